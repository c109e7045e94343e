package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;
import static org.seqpack.verify.OutputLayout.STATS_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.core.Json;
import org.seqpack.verify.Findings.Kind;
import org.seqpack.verify.FooterConsensus.DataFile;

/**
 * Verifies an output folder of the job against docs/FORMAT.md: the folder's layout, every file's
 * footer and schema, every row's invariants under the recorded configuration, stats.json against
 * the data, and on a sample of whole documents that decoding and re-encoding gives the same ids.
 * One process reads every row once, through Hadoop's FileSystem (any scheme with its connector).
 */
public final class OutputVerifier {
  /**
   * What to verify.
   *
   * @param output the output folder (any Hadoop filesystem path)
   * @param tokenizer a tokenizer.json or its folder, or null for the one stats.json records
   * @param sample whole-document segments to decode and re-encode (0: none)
   * @param perKind violations listed per kind (all are counted)
   */
  public record Options(String output, String tokenizer, int sample, int perKind) {}

  /** The outcome: the readable report and the number of violations. */
  public record Result(String report, long violations) {
    public boolean ok() {
      return violations == 0;
    }
  }

  private final Options options;
  private final Configuration conf;
  private final Findings findings;
  private final StringBuilder header = new StringBuilder();

  private OutputVerifier(Options options, Configuration conf) {
    this.options = options;
    this.conf = conf;
    this.findings = new Findings(options.perKind());
  }

  public static Result verify(Options options, Configuration conf) {
    List<String> lengths = lengthFolders(options.output(), conf);
    if (lengths.isEmpty()) {
      return verifyOne(options, conf);
    }
    // Several lengths: each L=<n>/ is a whole output of its own.
    StringBuilder report = new StringBuilder();
    long violations = 0;
    Path top = new Path(options.output());
    try {
      if (!top.getFileSystem(conf).exists(new Path(top, "_SUCCESS"))) {
        report.append(
            "seqpack verify: "
                + options.output()
                + "\n  _SUCCESS: is missing: not every length was committed\n");
        violations++;
      }
    } catch (IOException e) {
      report
          .append("seqpack verify: ")
          .append(options.output())
          .append(": ")
          .append(e)
          .append('\n');
      violations++;
    }
    for (String length : lengths) {
      Result result =
          verifyOne(
              new Options(
                  new Path(top, length).toString(),
                  options.tokenizer(),
                  options.sample(),
                  options.perKind()),
              conf);
      report.append(result.report());
      violations += result.violations();
    }
    return new Result(report.toString(), violations);
  }

  private static Result verifyOne(Options options, Configuration conf) {
    OutputVerifier verifier = new OutputVerifier(options, conf);
    verifier.run();
    return new Result(verifier.header + verifier.findings.render(), verifier.findings.total());
  }

  /**
   * The {@code L=<n>} folders a several-length output's top stats.json lists (docs/FORMAT.md,
   * "Several lengths"), or none when {@code output} is a single output.
   */
  private static List<String> lengthFolders(String output, Configuration conf) {
    List<String> folders = new ArrayList<>();
    try {
      Path path = new Path(output);
      FileSystem fs = path.getFileSystem(conf);
      Path stats = new Path(path, STATS_JSON);
      if (fs.exists(new Path(path, OutputLayout.MANIFEST)) || !fs.exists(stats)) {
        return folders;
      }
      JsonNode root;
      try (InputStream in = fs.open(stats)) {
        root = Json.parse(in.readAllBytes());
      }
      JsonNode outputs = root.get("outputs");
      if (root.has("seq_lens") && outputs != null && outputs.isArray()) {
        for (JsonNode entry : outputs) {
          String folder = entry.isObject() ? string(entry, "path") : null;
          if (folder != null && folder.matches("L=\\d+")) {
            folders.add(folder);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      folders.clear(); // not a several-length output: the single-output checks say what is wrong
    }
    return folders;
  }

  private void run() {
    header.append("seqpack verify: ").append(options.output()).append('\n');
    OutputLayout layout = OutputLayout.read(options.output(), conf, findings);
    if (layout == null) {
      return;
    }
    JsonNode stats =
        layout.stats == null ? null : StatsCheck.read(layout.fs, layout.stats, findings);
    if (layout.stats == null) {
      findings.add(Kind.STATS, STATS_JSON, "is missing");
    }
    if (stats != null && layout.runId != null) {
      JsonNode run = object(stats, "run");
      String statsRun = run == null ? null : string(run, "id");
      if (!layout.runId.equals(statsRun)) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " run.id",
            "is "
                + statsRun
                + "; "
                + OutputLayout.MANIFEST
                + " is of run "
                + layout.runId
                + " (a run was stopped during its commit; the next run replaces both)");
      }
    }
    RejectedRecordsCheck.check(layout.fs, layout.rejected, layout.rejectedListed, stats, findings);
    if (!layout.format.equals(OutputLayout.DEFAULT_FORMAT)) {
      FlatOutputCheck.check(layout, stats, options, conf, findings, header);
      return;
    }

    // Footers first: the rows are checked under the configuration they record.
    FooterConsensus footers = FooterConsensus.read(layout.dataFiles, stats, conf, findings);
    if (footers.config == null) {
      findings.add(
          Kind.FOOTER,
          "",
          "no recorded configuration (no readable footer "
              + FooterConsensus.CONFIG_KEY
              + ", no stats.json config):"
              + " the rows cannot be checked");
      return;
    }
    RowContract contract = contract(stats, footers);
    if (contract == null) {
      return;
    }

    RecordedTokenizer tokenizer =
        RecordedTokenizer.find(
            options.tokenizer(), stats, footers.config, footers.sha256, contract, conf, findings);
    try {
      checkRows(stats, footers, contract, tokenizer);
    } finally {
      if (tokenizer != null) {
        tokenizer.close();
      }
    }
  }

  /** The contract of the recorded configuration, or null (with the finding) when it is invalid. */
  private RowContract contract(JsonNode stats, FooterConsensus footers) {
    JsonNode statsTokenizer = stats == null ? null : object(stats, "tokenizer");
    boolean sentinelsKnown = statsTokenizer != null && number(statsTokenizer, "pad_id") != null;
    int padId = sentinelsKnown ? sentinel(statsTokenizer, "pad_id") : RowContract.NONE;
    int bosId = sentinelsKnown ? sentinel(statsTokenizer, "bos_id") : RowContract.NONE;
    int eosId = sentinelsKnown ? sentinel(statsTokenizer, "eos_id") : RowContract.NONE;
    RowContract contract;
    try {
      contract = RowContract.of(footers.config, sentinelsKnown, padId, bosId, eosId);
    } catch (IllegalArgumentException e) {
      findings.add(
          Kind.FOOTER,
          footers.configFromStats ? STATS_JSON + " config" : FooterConsensus.CONFIG_KEY,
          e.getMessage());
      return null;
    }
    if (!sentinelsKnown) {
      findings.skipped(
          "pad id, BOS/EOS and special-id rules, round trip: the ids are in stats.json's"
              + " tokenizer, which is missing");
    }
    return contract;
  }

  private void checkRows(
      JsonNode stats, FooterConsensus footers, RowContract contract, RecordedTokenizer tokenizer) {
    RowChecker checker = new RowChecker(contract, findings);
    if (tokenizer != null
        && contract.sentinelsKnown()
        && !contract.sft()
        && !contract.specialTokensInText()) {
      checker.checkSpecialIds(tokenizer.specialIds());
    }
    header
        .append("rules:  ")
        .append(contract.describe())
        .append(
            checker.checksSpecialIds()
                ? "\n  sentinels: special-token ids only as a segment's BOS (first) or EOS (last)"
                : "")
        .append('\n');

    RoundTripSample sample =
        RoundTripSample.plan(options.sample(), contract, stats, tokenizer, findings);
    RowChecker.SegmentSink sink = sample == null ? (f, r, s, ids, from, to) -> {} : sample;
    RowChecker.Totals totals = new RowChecker.Totals();
    Map<String, Long> rowsRead = new LinkedHashMap<>();
    for (DataFile file : footers.files) {
      long read = readRows(file, checker, totals, sink);
      if (read >= 0) {
        rowsRead.put(file.name(), read);
      }
    }
    header.append(
        String.format(
            Locale.ROOT,
            "data:   %,d file(s), %,d rows, %,d tokens, %,d segments, %,d targets%n",
            footers.files.size(),
            totals.rows,
            totals.numTokens,
            totals.numSegments,
            totals.targets));
    findings.checked(String.format(Locale.ROOT, "row invariants on %,d rows", totals.rows));
    if (stats != null) {
      StatsCheck.check(stats, findings, contract, footers.files, rowsRead, totals);
    }
    if (sample != null) {
      sample.checkAndReport(tokenizer, findings);
    }
  }

  /** Reads and checks every row of {@code file}; returns the rows read, or -1 when it failed. */
  private long readRows(
      DataFile file, RowChecker checker, RowChecker.Totals totals, RowChecker.SegmentSink sink) {
    long[] last = {-1};
    try (PackedRowFile reader = PackedRowFile.open(file.path(), conf)) {
      long rows =
          reader.forEachRow(
              (row, columns) -> {
                last[0] = row;
                checker.check(file.name(), row, columns, totals, sink);
              });
      if (rows != file.footerRows()) {
        findings.add(
            Kind.FILE,
            file.name(),
            "holds " + rows + " rows; its footer's row groups say " + file.footerRows());
      }
      return rows;
    } catch (IOException | RuntimeException e) {
      findings.add(
          Kind.FILE,
          file.name(),
          "unreadable after row " + last[0] + " of " + file.footerRows() + ": " + e.getMessage());
      return -1;
    }
  }

  private static int sentinel(JsonNode tokenizer, String key) {
    Long value = number(tokenizer, key);
    return value == null || value < 0 || value > Integer.MAX_VALUE
        ? RowContract.NONE
        : value.intValue();
  }
}
