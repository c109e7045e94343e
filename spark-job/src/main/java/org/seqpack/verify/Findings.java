package org.seqpack.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Violations found by a verification, grouped by kind and capped per kind (every one is counted),
 * plus notes on what was checked and what was skipped.
 */
final class Findings {
  /** What a violation breaks; the report groups by kind in this order. */
  enum Kind {
    FOLDER("folder"),
    FILE("file"),
    FOOTER("footer"),
    ROW_LENGTH("row length"),
    PADDING("padding"),
    SEGMENT_IDS("segment_ids"),
    POSITION_IDS("position_ids"),
    LOSS_MASK("loss_mask"),
    NUM_TOKENS("num_tokens"),
    NUM_SEGMENTS("num_segments"),
    SEQ_LENS("seq_lens"),
    SENTINELS("sentinels"),
    STATS("stats.json"),
    REJECTED("_rejected"),
    TOKENIZER("tokenizer"),
    ROUND_TRIP("round trip");

    final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /** One violation: where (file, row, column[index] as far as known) and what. */
  record Violation(Kind kind, String where, String message) {
    @Override
    public String toString() {
      return where.isEmpty() ? message : where + ": " + message;
    }
  }

  private final int perKind;
  private final Map<Kind, List<Violation>> shown = new LinkedHashMap<>();
  private final Map<Kind, Long> counts = new LinkedHashMap<>();
  private final List<String> checked = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  Findings(int perKind) {
    this.perKind = perKind;
  }

  void add(Kind kind, String where, String message) {
    long count = counts.merge(kind, 1L, Long::sum);
    if (count <= perKind) {
      shown.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Violation(kind, where, message));
    }
  }

  /** A violation at {@code file}, row {@code row} (0-based), {@code column[index]}. */
  void atRow(Kind kind, String file, long row, String column, int index, String message) {
    add(kind, file + " row " + row + " " + column + "[" + index + "]", message);
  }

  /** A violation of a whole row of {@code file}. */
  void atRow(Kind kind, String file, long row, String message) {
    add(kind, file + " row " + row, message);
  }

  void checked(String what) {
    checked.add(what);
  }

  void skipped(String what) {
    skipped.add(what);
  }

  long total() {
    long total = 0;
    for (long count : counts.values()) {
      total += count;
    }
    return total;
  }

  /** The report's tail: checks done, checks skipped, then the violations by kind. */
  String render() {
    StringBuilder out = new StringBuilder();
    for (String line : checked) {
      out.append("checked: ").append(line).append('\n');
    }
    for (String line : skipped) {
      out.append("skipped: ").append(line).append('\n');
    }
    long total = total();
    if (total == 0) {
      out.append("OK: no violations\n");
      return out.toString();
    }
    List<String> summary = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      if (counts.containsKey(kind)) {
        summary.add(kind.label + " " + String.format(Locale.ROOT, "%,d", counts.get(kind)));
      }
    }
    out.append(
        String.format(Locale.ROOT, "VIOLATIONS: %,d (%s)%n", total, String.join(", ", summary)));
    for (Kind kind : Kind.values()) {
      List<Violation> list = shown.get(kind);
      if (list == null) {
        continue;
      }
      long count = counts.get(kind);
      out.append(String.format(Locale.ROOT, "  %s (%,d):%n", kind.label, count));
      for (Violation violation : list) {
        out.append("    ").append(violation).append('\n');
      }
      if (count > list.size()) {
        out.append(String.format(Locale.ROOT, "    ... and %,d more%n", count - list.size()));
      }
    }
    out.append(
        String.format(
            Locale.ROOT,
            "FAILED: %,d violation%s of docs/FORMAT.md%n",
            total,
            total == 1 ? "" : "s"));
    return out.toString();
  }
}
