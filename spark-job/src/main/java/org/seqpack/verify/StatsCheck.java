package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.array;
import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;
import static org.seqpack.verify.OutputLayout.STATS_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.seqpack.core.Json;
import org.seqpack.verify.Findings.Kind;
import org.seqpack.verify.FooterConsensus.DataFile;

/** stats.json against the data: its counts, ratios, documents and file list. */
final class StatsCheck {
  private static final long MAX_JSON_BYTES = 64L << 20;
  private static final double TOLERANCE = 1e-9;

  private final JsonNode stats;
  private final Findings findings;

  private StatsCheck(JsonNode stats, Findings findings) {
    this.stats = stats;
    this.findings = findings;
  }

  /** stats.json as a JSON object, or null (with the finding) when it cannot be read as one. */
  static JsonNode read(FileSystem fs, FileStatus status, Findings findings) {
    if (status.getLen() > MAX_JSON_BYTES) {
      findings.add(Kind.STATS, STATS_JSON, "is " + status.getLen() + " bytes; too large to read");
      return null;
    }
    try (InputStream in = fs.open(status.getPath())) {
      JsonNode root = Json.parse(in.readAllBytes());
      if (!root.isObject()) {
        findings.add(Kind.STATS, STATS_JSON, "is not a JSON object");
        return null;
      }
      return root;
    } catch (IOException e) {
      findings.add(Kind.STATS, STATS_JSON, "cannot be read as JSON: " + Json.describe(e));
      return null;
    }
  }

  /**
   * @param rowsRead rows read per file name (absent: the file failed, its footer's count counts)
   * @param totals the sums over every row read
   */
  static void check(
      JsonNode stats,
      Findings findings,
      RowContract contract,
      List<DataFile> files,
      Map<String, Long> rowsRead,
      RowChecker.Totals totals) {
    StatsCheck check = new StatsCheck(stats, findings);
    check.counts(contract, totals);
    check.documents(contract, totals);
    check.files(files, rowsRead);
    findings.checked(
        "stats.json against the data: rows, tokens, segments, targets, fill, documents, files");
  }

  /**
   * stats.json of a flat output (Megatron, llm.c) against what the files hold.
   *
   * @param layout the folder: its data files, with their sizes
   */
  static void checkFlat(
      JsonNode stats,
      Findings findings,
      String format,
      long tokens,
      long documents,
      long sequences,
      OutputLayout layout) {
    StatsCheck check = new StatsCheck(stats, findings);
    check.expectString(stats, "format", format);
    check.expectLong(stats, "tokens", tokens, "the tokens in the files");
    JsonNode counts = object(stats, "documents");
    if (counts != null) {
      check.expectLong(counts, "packed", documents, "the documents in the files");
    }
    if (format.equals(FlatOutputCheck.MEGATRON)) {
      check.expectLong(stats, "sequences", sequences, "the sequences of the indices");
      Long packed = counts == null ? null : number(counts, "packed");
      Long chunks = number(stats, "chunks_from_splitting");
      if (packed != null && chunks != null && packed + chunks != sequences) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " documents.packed",
            "packed "
                + packed
                + " + chunks_from_splitting "
                + chunks
                + " != the "
                + sequences
                + " sequences of the indices");
      }
    }
    check.accounting();
    JsonNode listed = array(stats, "files");
    long bytes = 0;
    Map<String, Long> sizes = new LinkedHashMap<>();
    layout.dataFiles.forEach(f -> sizes.put(f.getPath().getName(), f.getLen()));
    Set<String> seen = new HashSet<>();
    for (JsonNode entry : listed == null ? List.<JsonNode>of() : listed) {
      String name = entry.isObject() ? string(entry, "name") : null;
      Long size = entry.isObject() ? number(entry, "bytes") : null;
      if (name == null || size == null) {
        findings.add(Kind.STATS, STATS_JSON + " files", entry + " must have name and bytes");
        continue;
      }
      bytes += size;
      seen.add(name);
      Long actual = sizes.get(name);
      if (actual == null) {
        findings.add(
            Kind.STATS, STATS_JSON + " files", "lists " + name + ", which is not a data file here");
      } else if (actual.longValue() != size) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " files",
            name + " is " + actual + " bytes; stats.json says " + size);
      }
    }
    for (String name : sizes.keySet()) {
      if (!seen.contains(name)) {
        findings.add(Kind.STATS, STATS_JSON + " files", "does not list " + name);
      }
    }
    check.expectLong(stats, "output_bytes", bytes, "Σ bytes of the files listed");
    findings.checked("stats.json against the data: tokens, documents, sequences, files");
  }

  /** read = packed + rejected, and the reasons add up to the rejected total. */
  private void accounting() {
    JsonNode documents = object(stats, "documents");
    if (documents == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no 'documents' object");
      return;
    }
    Long read = number(documents, "read");
    Long packed = number(documents, "packed");
    Long rejected = number(documents, "rejected_total");
    if (read != null && packed != null && rejected != null && read != packed + rejected) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " documents",
          "read " + read + " != packed " + packed + " + rejected " + rejected);
    }
    JsonNode reasons = object(documents, "rejected");
    if (reasons != null && rejected != null) {
      long sum = 0;
      for (JsonNode reason : reasons) {
        sum += reason.asLong();
      }
      if (sum != rejected) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " documents.rejected_total",
            "is " + rejected + "; its reasons add up to " + sum);
      }
    }
  }

  private void counts(RowContract contract, RowChecker.Totals totals) {
    int seqLen = contract.seqLen();
    expectString(stats, "format", FooterConsensus.FORMAT);
    expectLong(stats, "seq_len", seqLen, "pack.seq-len of the configuration");
    expectLong(stats, "rows", totals.rows, "rows in the files");
    expectLong(stats, "tokens", totals.numTokens, "Σ num_tokens over the rows");
    expectLong(stats, "row_tokens", totals.numTokens, "Σ num_tokens over the rows");
    expectLong(stats, "segments", totals.numSegments, "Σ num_segments over the rows");
    expectLong(stats, "target_tokens", totals.targets, "Σ loss_mask over the rows");
    Long tokens = number(stats, "tokens");
    if (tokens != null) {
      expectLong(stats, "min_rows", (tokens + seqLen - 1) / seqLen, "⌈tokens ÷ L⌉");
    }
    double fill = totals.capacity == 0 ? 0.0 : (double) totals.numTokens / totals.capacity;
    expectDouble(stats, "fill", fill, "Σ num_tokens ÷ Σ row length");
    expectDouble(
        stats, "padding_fraction", totals.rows == 0 ? 0.0 : 1.0 - fill, "1 − fill of the rows");
    expectDouble(
        stats,
        "mean_segments_per_row",
        totals.rows == 0 ? 0.0 : (double) totals.numSegments / totals.rows,
        "segments ÷ rows");

    JsonNode tokenizer = object(stats, "tokenizer");
    if (tokenizer == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no 'tokenizer' object");
    } else {
      for (String key : List.of("pad_id", "bos_id", "eos_id")) {
        if (number(tokenizer, key) == null) {
          findings.add(Kind.STATS, STATS_JSON + " tokenizer", "has no numeric '" + key + "'");
        }
      }
    }
  }

  private void documents(RowContract contract, RowChecker.Totals totals) {
    accounting();
    JsonNode documents = object(stats, "documents");
    if (documents == null) {
      return;
    }
    Long packed = number(documents, "packed");
    Long chunks = number(stats, "chunks_from_splitting");
    if (packed != null && chunks != null) {
      long expected = packed + chunks;
      boolean concat = contract.concat();
      boolean bad = concat ? totals.numSegments < expected : totals.numSegments != expected;
      if (bad) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " documents.packed",
            "packed "
                + packed
                + " + chunks_from_splitting "
                + chunks
                + " = "
                + expected
                + "; the rows hold "
                + totals.numSegments
                + " segments (must be "
                + (concat ? "at least that with concat)" : "equal)"));
      }
    }
  }

  private void files(List<DataFile> files, Map<String, Long> rowsRead) {
    JsonNode listed = array(stats, "files");
    if (listed == null) {
      return;
    }
    Map<String, DataFile> present = new LinkedHashMap<>();
    for (DataFile file : files) {
      present.put(file.name(), file);
    }
    Set<String> seen = new HashSet<>();
    long bytes = 0;
    for (JsonNode entry : listed) {
      if (!entry.isObject()) {
        findings.add(Kind.STATS, STATS_JSON + " files", "holds " + entry + "; must be objects");
        continue;
      }
      String name = string(entry, "name");
      Long rows = number(entry, "rows");
      Long size = number(entry, "bytes");
      if (name == null || rows == null || size == null) {
        findings.add(Kind.STATS, STATS_JSON + " files", entry + " must have name, rows and bytes");
        continue;
      }
      bytes += size;
      seen.add(name);
      DataFile file = present.get(name);
      if (file == null) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " files",
            "lists " + name + ", which is not a readable data file of the folder");
        continue;
      }
      if (file.bytes() != size) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " files",
            name + " is " + file.bytes() + " bytes; stats.json says " + size);
      }
      Long read = rowsRead.get(name);
      long actual = read != null ? read : file.footerRows();
      if (actual != rows) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " files",
            name + " holds " + actual + " rows; stats.json says " + rows);
      }
    }
    for (String name : present.keySet()) {
      if (!seen.contains(name)) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " files",
            "does not list " + name + ": a data file the run did not write");
      }
    }
    expectLong(stats, "output_bytes", bytes, "Σ bytes of the files listed");
    Long partitions = number(stats, "partitions");
    if (partitions != null && partitions < listed.size()) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " partitions",
          "is " + partitions + "; fewer than the " + listed.size() + " files listed");
    }
  }

  private void expectString(JsonNode json, String key, String expected) {
    String value = string(json, key);
    if (value == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no '" + key + "'");
    } else if (!value.equals(expected)) {
      findings.add(
          Kind.STATS, STATS_JSON + " " + key, "is '" + value + "'; must be '" + expected + "'");
    }
  }

  private void expectLong(JsonNode json, String key, long expected, String what) {
    Long value = number(json, key);
    if (value == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no numeric '" + key + "'");
    } else if (value != expected) {
      findings.add(
          Kind.STATS, STATS_JSON + " " + key, "is " + value + "; " + what + " is " + expected);
    }
  }

  private void expectDouble(JsonNode json, String key, double expected, String what) {
    JsonNode value = json.get(key);
    if (value == null || !value.isNumber()) {
      findings.add(Kind.STATS, STATS_JSON, "has no numeric '" + key + "'");
    } else if (Math.abs(value.doubleValue() - expected) > TOLERANCE) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " " + key,
          "is " + value.doubleValue() + "; " + what + " is " + expected);
    }
  }
}
