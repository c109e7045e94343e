package org.seqpack.verify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.verify.Findings.Kind;

/**
 * Verifies an output folder of the job against docs/FORMAT.md: the folder's layout, every file's
 * footer and schema, every row's invariants under the recorded configuration, stats.json against
 * the data, and on a sample of whole documents that decoding and re-encoding gives the same ids.
 * One process reads every row once, through Hadoop's FileSystem (any scheme with its connector).
 */
public final class OutputVerifier {
  // Names and keys from docs/FORMAT.md, kept apart from the job's constants on purpose.
  static final String STATS_JSON = "stats.json";
  static final String SUCCESS = "_SUCCESS";
  static final String STAGING_PREFIX = "_staging-";
  static final String REJECTED = "_rejected";
  static final String FORMAT_KEY = "seqpack.format";
  static final String TOKENIZER_SHA256_KEY = "seqpack.tokenizer.sha256";
  static final String CONFIG_KEY = "seqpack.config";
  static final String FORMAT = "packed-rows/1";
  static final String TOKENIZER_JSON = "tokenizer.json";
  private static final Pattern PART_NAME = Pattern.compile("part-\\d{5}\\.parquet");
  private static final Pattern REJECTED_NAME = Pattern.compile("part-\\d{5}\\.jsonl");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final long MAX_JSON_BYTES = 64L << 20;
  private static final long MAX_TOKENIZER_BYTES = 512L << 20;
  private static final double TOLERANCE = 1e-9;

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

  /** Footer facts of one data file. */
  private record DataFile(
      String name, Path path, long bytes, long footerRows, Map<String, String> metadata) {}

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
    OutputVerifier verifier = new OutputVerifier(options, conf);
    verifier.run();
    return new Result(verifier.header + verifier.findings.render(), verifier.findings.total());
  }

  private void run() {
    header.append("seqpack verify: ").append(options.output()).append('\n');
    Path output = new Path(options.output());
    FileSystem fs;
    FileStatus[] entries;
    try {
      fs = output.getFileSystem(conf);
      if (!fs.exists(output)) {
        findings.add(Kind.FOLDER, options.output(), "does not exist");
        return;
      }
      if (!fs.getFileStatus(output).isDirectory()) {
        findings.add(Kind.FOLDER, options.output(), "is a file; must be an output folder");
        return;
      }
      entries = fs.listStatus(output);
    } catch (IOException | RuntimeException e) {
      findings.add(Kind.FOLDER, options.output(), "cannot be listed: " + e.getMessage());
      return;
    }

    List<FileStatus> parquet = new ArrayList<>();
    boolean success = false;
    FileStatus statsStatus = null;
    FileStatus rejected = null;
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".")) {
        continue; // checksum files and other hidden files of the filesystem
      }
      if (name.equals(SUCCESS) && entry.isFile()) {
        success = true;
      } else if (name.equals(STATS_JSON) && entry.isFile()) {
        statsStatus = entry;
      } else if (name.endsWith(".parquet") && entry.isFile()) {
        parquet.add(entry);
        if (!PART_NAME.matcher(name).matches()) {
          findings.add(Kind.FOLDER, name, "is not named part-NNNNN.parquet");
        }
      } else if (name.equals(REJECTED) && entry.isDirectory()) {
        rejected = entry;
      } else if (name.startsWith(STAGING_PREFIX)) {
        findings.add(
            Kind.FOLDER,
            name,
            "is a run's staging folder: a run is in progress or died here; its files are not"
                + " part of the output");
      } else {
        findings.add(
            Kind.FOLDER,
            name,
            "is not part of an output (part-NNNNN.parquet files, _rejected/, stats.json and"
                + " _SUCCESS)");
      }
    }
    parquet.sort((a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
    if (!success) {
      findings.add(
          Kind.FOLDER,
          SUCCESS,
          "is missing: the run did not commit (it failed, was killed or is still running)");
    }

    JsonObject stats = statsStatus == null ? null : readStats(fs, statsStatus);
    if (statsStatus == null) {
      findings.add(Kind.STATS, STATS_JSON, "is missing");
    }
    checkRejected(fs, rejected, stats);

    // Footers first: the rows are checked under the configuration they record. Each footer must
    // agree with stats.json; without stats.json (or when no footer agrees with it), with the
    // footers' majority, so that one altered file is the one named.
    List<DataFile> files = new ArrayList<>();
    Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    Map<String, String> shas = new LinkedHashMap<>();
    for (FileStatus status : parquet) {
      DataFile file = readFooter(status);
      if (file == null) {
        continue;
      }
      files.add(file);
      Map<String, String> fileConfig = checkFooter(file);
      if (fileConfig != null) {
        configs.put(file.name(), fileConfig);
      }
      String fileSha = file.metadata().get(TOKENIZER_SHA256_KEY);
      if (fileSha != null) {
        shas.put(file.name(), fileSha);
      }
    }
    Map<String, String> statsConfig = stats == null ? null : stringMap(stats, "config");
    Map<String, String> config = reference(configs.values(), statsConfig);
    String configSource =
        statsConfig != null && statsConfig.equals(config) ? STATS_JSON : "footers";
    configs.forEach(
        (name, fileConfig) -> {
          if (!fileConfig.equals(config)) {
            findings.add(
                Kind.FOOTER,
                name,
                CONFIG_KEY
                    + " differs from "
                    + (configSource.equals(STATS_JSON) ? "stats.json's config" : "other files'")
                    + ": "
                    + difference(config, fileConfig));
          }
        });
    if (statsConfig != null && !statsConfig.equals(config)) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " config",
          "differs from the footers' " + CONFIG_KEY + ": " + difference(config, statsConfig));
    }
    JsonObject statsTokenizer = stats == null ? null : object(stats, "tokenizer");
    String statsSha = statsTokenizer == null ? null : string(statsTokenizer, "sha256");
    String sha256 = reference(shas.values(), statsSha);
    shas.forEach(
        (name, fileSha) -> {
          if (!fileSha.equals(sha256)) {
            findings.add(
                Kind.FOOTER,
                name,
                TOKENIZER_SHA256_KEY
                    + " is "
                    + fileSha
                    + "; "
                    + (sha256.equals(statsSha) ? "stats.json records " : "other files record ")
                    + sha256);
          }
        });
    if (statsSha != null && !statsSha.equals(sha256)) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " tokenizer.sha256",
          "is " + statsSha + "; the footers record " + sha256);
    }
    if (!files.isEmpty()) {
      findings.checked(
          "footers of "
              + files.size()
              + " file(s): "
              + FORMAT_KEY
              + ", "
              + TOKENIZER_SHA256_KEY
              + ", "
              + CONFIG_KEY
              + ", schema");
    }
    if (config == null) {
      findings.add(
          Kind.FOOTER,
          "",
          "no recorded configuration (no readable footer "
              + CONFIG_KEY
              + ", no stats.json config):"
              + " the rows cannot be checked");
      return;
    }

    boolean sentinelsKnown = statsTokenizer != null && number(statsTokenizer, "pad_id") != null;
    int padId = sentinelsKnown ? sentinel(statsTokenizer, "pad_id") : RowRules.NONE;
    int bosId = sentinelsKnown ? sentinel(statsTokenizer, "bos_id") : RowRules.NONE;
    int eosId = sentinelsKnown ? sentinel(statsTokenizer, "eos_id") : RowRules.NONE;
    RowRules rules;
    try {
      rules = RowRules.of(config, sentinelsKnown, padId, bosId, eosId);
    } catch (IllegalArgumentException e) {
      findings.add(
          Kind.FOOTER,
          configSource.equals(STATS_JSON) ? STATS_JSON + " config" : CONFIG_KEY,
          e.getMessage());
      return;
    }
    if (!sentinelsKnown) {
      findings.skipped(
          "pad id, BOS/EOS and special-id rules, round trip: the ids are in stats.json's"
              + " tokenizer, which is missing");
    }

    Tokenizers tokenizers = tokenizers(stats, config, sha256, rules);
    if (tokenizers != null && rules.sentinelsKnown && !rules.sft && !rules.specialTokensInText) {
      rules.checkSpecialIds(tokenizers.specialIds);
    }
    header
        .append("rules:  ")
        .append(rules.describe())
        .append(
            rules.checksSpecialIds()
                ? "\n  sentinels: special-token ids only as a segment's BOS (first) or EOS (last)"
                : "")
        .append('\n');

    RoundTripSample sample = roundTripSample(rules, stats, tokenizers);
    RowRules.SegmentSink sink = sample == null ? (f, r, s, ids, from, to) -> {} : sample;
    RowRules.Totals totals = new RowRules.Totals();
    Map<String, Long> rowsRead = new LinkedHashMap<>();
    for (DataFile file : files) {
      long read = readRows(file, rules, totals, sink);
      if (read >= 0) {
        rowsRead.put(file.name(), read);
      }
    }
    header.append(
        String.format(
            Locale.ROOT,
            "data:   %,d file(s), %,d rows, %,d tokens, %,d segments, %,d targets%n",
            files.size(),
            totals.rows,
            totals.numTokens,
            totals.numSegments,
            totals.targets));
    findings.checked(String.format(Locale.ROOT, "row invariants on %,d rows", totals.rows));
    if (stats != null) {
      checkStats(stats, rules, files, rowsRead, totals);
    }
    if (sample != null) {
      try {
        sample.check(tokenizers.original(), tokenizers.used(), findings);
        findings.checked(
            String.format(
                Locale.ROOT,
                "round trip on %,d of %,d eligible segments (%s)%s",
                sample.sampled(),
                sample.eligible(),
                sample.rule(),
                sample.firstWordDifferences() == 0
                    ? ""
                    : String.format(
                        Locale.ROOT,
                        "; %,d document ends differed only in their first word (a cut inside a"
                            + " word)",
                        sample.firstWordDifferences())));
      } finally {
        tokenizers.close();
      }
    } else if (tokenizers != null) {
      tokenizers.close();
    }
  }

  /**
   * The rejected records: {@code _rejected/part-NNNNN.jsonl}, one JSON object per line with a
   * {@code reason}; as many files and lines as stats.json's {@code rejected_records} says, and per
   * reason as many lines as {@code documents.rejected} counts (every rejected document is there).
   */
  private void checkRejected(FileSystem fs, FileStatus folder, JsonObject stats) {
    Map<String, Long> reasons = new TreeMap<>();
    long records = 0;
    int files = 0;
    if (folder != null) {
      FileStatus[] entries;
      try {
        entries = fs.listStatus(folder.getPath());
      } catch (IOException e) {
        findings.add(Kind.REJECTED, REJECTED, "cannot be listed: " + e.getMessage());
        return;
      }
      java.util.Arrays.sort(
          entries, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
      for (FileStatus entry : entries) {
        String name = entry.getPath().getName();
        if (name.startsWith(".")) {
          continue;
        }
        if (!entry.isFile() || !REJECTED_NAME.matcher(name).matches()) {
          findings.add(
              Kind.REJECTED, REJECTED + "/" + name, "is not a part-NNNNN.jsonl file of records");
          continue;
        }
        files++;
        records += readRejected(fs, entry, reasons);
      }
    }
    if (stats == null) {
      return;
    }
    JsonObject recorded = object(stats, "rejected_records");
    JsonObject documents = object(stats, "documents");
    Long rejectedTotal = documents == null ? null : number(documents, "rejected_total");
    if (recorded != null) {
      String name = string(recorded, "folder");
      if (name != null && !name.equals(REJECTED)) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " rejected_records.folder",
            "is '" + name + "'; must be '" + REJECTED + "'");
      }
      Long recordedFiles = number(recorded, "files");
      if (recordedFiles == null || recordedFiles != files) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " rejected_records.files",
            "is " + recordedFiles + "; " + REJECTED + "/ holds " + files + " record files");
      }
      Long recordedRecords = number(recorded, "records");
      if (recordedRecords == null || recordedRecords != records) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " rejected_records.records",
            "is " + recordedRecords + "; " + REJECTED + "/ holds " + records + " records");
      }
    } else if (folder != null) {
      findings.add(
          Kind.STATS, STATS_JSON, "has no 'rejected_records', but " + REJECTED + "/ exists");
    }
    if (recorded == null && folder == null) {
      return; // an output from before rejected records were kept
    }
    if (rejectedTotal != null && rejectedTotal != records) {
      findings.add(
          Kind.REJECTED,
          REJECTED,
          "holds "
              + records
              + " records; stats.json documents.rejected_total is "
              + rejectedTotal
              + " (every rejected document must be kept)");
    }
    JsonObject counts = documents == null ? null : object(documents, "rejected");
    if (counts != null) {
      Map<String, Long> expected = new TreeMap<>();
      for (Map.Entry<String, JsonElement> reason : counts.entrySet()) {
        if (reason.getValue().getAsLong() != 0) {
          expected.put(reason.getKey(), reason.getValue().getAsLong());
        }
      }
      if (!expected.equals(reasons)) {
        findings.add(
            Kind.REJECTED,
            REJECTED,
            "holds records by reason "
                + reasons
                + "; stats.json documents.rejected is "
                + expected);
      }
    }
    findings.checked(
        String.format(
            Locale.ROOT,
            "%s/: %,d records in %,d file(s) against stats.json",
            REJECTED,
            records,
            files));
  }

  /** Counts one file's records by reason; returns its number of lines. */
  private long readRejected(FileSystem fs, FileStatus file, Map<String, Long> reasons) {
    String name = REJECTED + "/" + file.getPath().getName();
    long lines = 0;
    try (java.io.BufferedReader reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        String reason = null;
        try {
          JsonElement record = JsonParser.parseString(line);
          if (record.isJsonObject()
              && record.getAsJsonObject().has("source")
              && record.getAsJsonObject().has("position")) {
            reason = string(record.getAsJsonObject(), "reason");
          }
        } catch (JsonParseException e) {
          // reported below
        }
        if (reason == null) {
          findings.add(
              Kind.REJECTED,
              name + " line " + lines,
              "is not a JSON object with source, position and reason");
        } else {
          reasons.merge(reason, 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      findings.add(Kind.REJECTED, name, "cannot be read: " + e.getMessage());
    }
    return lines;
  }

  private JsonObject readStats(FileSystem fs, FileStatus status) {
    if (status.getLen() > MAX_JSON_BYTES) {
      findings.add(Kind.STATS, STATS_JSON, "is " + status.getLen() + " bytes; too large to read");
      return null;
    }
    try (InputStream in = fs.open(status.getPath())) {
      JsonElement root =
          JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      if (!root.isJsonObject()) {
        findings.add(Kind.STATS, STATS_JSON, "is not a JSON object");
        return null;
      }
      return root.getAsJsonObject();
    } catch (IOException | JsonParseException e) {
      findings.add(Kind.STATS, STATS_JSON, "cannot be read as JSON: " + e.getMessage());
      return null;
    }
  }

  private DataFile readFooter(FileStatus status) {
    String name = status.getPath().getName();
    try (PackedRowFile file = PackedRowFile.open(status.getPath(), conf)) {
      List<String> problems = file.schemaProblems();
      for (String problem : problems) {
        findings.add(Kind.FILE, name, "schema: " + problem);
      }
      if (!problems.isEmpty()) {
        return null;
      }
      return new DataFile(
          name,
          status.getPath(),
          status.getLen(),
          file.footerRows(),
          new LinkedHashMap<>(file.keyValueMetadata()));
    } catch (IOException | RuntimeException e) {
      findings.add(
          Kind.FILE,
          name,
          "cannot be read as Parquet ("
              + status.getLen()
              + " bytes; truncated or corrupt?): "
              + e.getMessage());
      return null;
    }
  }

  /** Checks the footer's three keys; returns the configuration it records, or null. */
  private Map<String, String> checkFooter(DataFile file) {
    Map<String, String> metadata = file.metadata();
    String format = metadata.get(FORMAT_KEY);
    if (!FORMAT.equals(format)) {
      findings.add(
          Kind.FOOTER,
          file.name(),
          FORMAT_KEY + " is " + quote(format) + "; must be '" + FORMAT + "'");
    }
    String sha = metadata.get(TOKENIZER_SHA256_KEY);
    if (sha == null || !SHA256.matcher(sha).matches()) {
      findings.add(
          Kind.FOOTER,
          file.name(),
          TOKENIZER_SHA256_KEY + " is " + quote(sha) + "; must be 64 lower-case hex digits");
    }
    String json = metadata.get(CONFIG_KEY);
    if (json == null) {
      findings.add(Kind.FOOTER, file.name(), CONFIG_KEY + " is missing");
      return null;
    }
    try {
      JsonElement root = JsonParser.parseString(json);
      if (!root.isJsonObject()) {
        throw new JsonParseException("not an object");
      }
      Map<String, String> config = new TreeMap<>();
      for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject().entrySet()) {
        if (!entry.getValue().isJsonPrimitive()) {
          throw new JsonParseException("'" + entry.getKey() + "' is not a string");
        }
        config.put(entry.getKey(), entry.getValue().getAsString());
      }
      return config;
    } catch (JsonParseException | IllegalStateException e) {
      findings.add(
          Kind.FOOTER,
          file.name(),
          CONFIG_KEY + " must be a JSON object of dotted keys: " + e.getMessage());
      return null;
    }
  }

  /** Reads and checks every row of {@code file}; returns the rows read, or -1 when it failed. */
  private long readRows(
      DataFile file, RowRules rules, RowRules.Totals totals, RowRules.SegmentSink sink) {
    long[] last = {-1};
    try (PackedRowFile reader = PackedRowFile.open(file.path(), conf)) {
      long rows =
          reader.forEachRow(
              (row, columns) -> {
                last[0] = row;
                rules.check(file.name(), row, columns, findings, totals, sink);
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

  private void checkStats(
      JsonObject stats,
      RowRules rules,
      List<DataFile> files,
      Map<String, Long> rowsRead,
      RowRules.Totals totals) {
    expectString(stats, "format", FORMAT);
    expectLong(stats, "seq_len", rules.seqLen, "pack.seq-len of the configuration");
    expectLong(stats, "rows", totals.rows, "rows in the files");
    expectLong(stats, "tokens", totals.numTokens, "Σ num_tokens over the rows");
    expectLong(stats, "row_tokens", totals.numTokens, "Σ num_tokens over the rows");
    expectLong(stats, "segments", totals.numSegments, "Σ num_segments over the rows");
    expectLong(stats, "target_tokens", totals.targets, "Σ loss_mask over the rows");
    Long tokens = number(stats, "tokens");
    if (tokens != null) {
      expectLong(stats, "min_rows", (tokens + rules.seqLen - 1) / rules.seqLen, "⌈tokens ÷ L⌉");
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

    JsonObject tokenizer = object(stats, "tokenizer");
    if (tokenizer == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no 'tokenizer' object");
    } else {
      for (String key : List.of("pad_id", "bos_id", "eos_id")) {
        if (number(tokenizer, key) == null) {
          findings.add(Kind.STATS, STATS_JSON + " tokenizer", "has no numeric '" + key + "'");
        }
      }
    }
    JsonObject documents = object(stats, "documents");
    if (documents == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no 'documents' object");
    } else {
      Long read = number(documents, "read");
      Long packed = number(documents, "packed");
      Long rejected = number(documents, "rejected_total");
      Long chunks = number(stats, "chunks_from_splitting");
      if (read != null && packed != null && rejected != null && read != packed + rejected) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " documents",
            "read " + read + " != packed " + packed + " + rejected " + rejected);
      }
      JsonObject reasons = object(documents, "rejected");
      if (reasons != null && rejected != null) {
        long sum = 0;
        for (Map.Entry<String, JsonElement> reason : reasons.entrySet()) {
          sum += reason.getValue().getAsLong();
        }
        if (sum != rejected) {
          findings.add(
              Kind.STATS,
              STATS_JSON + " documents.rejected_total",
              "is " + rejected + "; its reasons add up to " + sum);
        }
      }
      if (packed != null && chunks != null) {
        long expected = packed + chunks;
        boolean bad = rules.concat ? totals.numSegments < expected : totals.numSegments != expected;
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
                  + (rules.concat ? "at least that with concat)" : "equal)"));
        }
      }
    }

    JsonArray listed = array(stats, "files");
    if (listed != null) {
      Map<String, DataFile> present = new LinkedHashMap<>();
      for (DataFile file : files) {
        present.put(file.name(), file);
      }
      Set<String> seen = new HashSet<>();
      long bytes = 0;
      for (JsonElement element : listed) {
        if (!element.isJsonObject()) {
          findings.add(Kind.STATS, STATS_JSON + " files", "holds " + element + "; must be objects");
          continue;
        }
        JsonObject entry = element.getAsJsonObject();
        String name = string(entry, "name");
        Long rows = number(entry, "rows");
        Long size = number(entry, "bytes");
        if (name == null || rows == null || size == null) {
          findings.add(
              Kind.STATS, STATS_JSON + " files", entry + " must have name, rows and bytes");
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
    findings.checked(
        "stats.json against the data: rows, tokens, segments, targets, fill, documents, files");
  }

  /** The tokenizers for the sentinel and round-trip checks, or null (with the reason recorded). */
  private Tokenizers tokenizers(
      JsonObject stats, Map<String, String> config, String sha256, RowRules rules) {
    String location = options.tokenizer();
    boolean given = location != null;
    if (!given) {
      JsonObject tokenizer = stats == null ? null : object(stats, "tokenizer");
      location = tokenizer == null ? null : string(tokenizer, "path");
      if (location == null) {
        location = config.get("tokenizer.path");
      }
      if (location == null || location.isEmpty()) {
        findings.skipped("special ids and round trip: no --tokenizer and none recorded");
        return null;
      }
    }
    byte[] bytes;
    String source;
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      Path file = fs.getFileStatus(path).isDirectory() ? new Path(path, TOKENIZER_JSON) : path;
      FileStatus status = fs.getFileStatus(file);
      if (status.getLen() > MAX_TOKENIZER_BYTES) {
        throw new IOException(status.getLen() + " bytes is too large for a tokenizer.json");
      }
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      source = file.toString();
    } catch (IOException | RuntimeException e) {
      if (given) {
        findings.add(Kind.TOKENIZER, location, "cannot be read: " + e.getMessage());
      } else {
        findings.skipped(
            "special ids and round trip: no --tokenizer, and the recorded tokenizer '"
                + location
                + "' is not readable ("
                + e.getMessage()
                + ")");
      }
      return null;
    }
    String actual = TokenizerSpec.sha256(bytes);
    if (sha256 == null) {
      findings.skipped(
          "special ids and round trip: no recorded tokenizer SHA-256 to match " + source);
      return null;
    }
    if (!actual.equals(sha256)) {
      if (given) {
        findings.add(
            Kind.TOKENIZER,
            source,
            "has SHA-256 " + actual + "; the output was made with " + sha256);
      } else {
        findings.skipped(
            "special ids and round trip: the tokenizer now at the recorded path "
                + source
                + " has SHA-256 "
                + actual
                + ", not the recorded "
                + sha256
                + " (pass --tokenizer)");
      }
      return null;
    }
    findings.checked("tokenizer " + source + " has the recorded SHA-256 " + sha256);
    try {
      TokenizerSpec original = TokenizerSpec.parse(source, bytes, null, true);
      TokenizerSpec used = TokenizerSpec.parse(source, bytes, null, rules.specialTokensInText);
      return new Tokenizers(source, original, used, specialIds(original, bytes));
    } catch (RuntimeException e) {
      findings.add(Kind.TOKENIZER, source, "cannot be parsed: " + e.getMessage());
      return null;
    }
  }

  /** Special added tokens' ids, except the model's unknown token, which text can produce. */
  private static boolean[] specialIds(TokenizerSpec spec, byte[] json) {
    String unknown = null;
    try {
      JsonObject model =
          JsonParser.parseString(new String(json, StandardCharsets.UTF_8))
              .getAsJsonObject()
              .getAsJsonObject("model");
      if (model != null && model.has("unk_token") && model.get("unk_token").isJsonPrimitive()) {
        unknown = model.get("unk_token").getAsString();
      }
    } catch (RuntimeException e) {
      // TokenizerSpec parsed it already; a model without unk_token is the common case.
    }
    int max = -1;
    for (int id : spec.specialTokens().values()) {
      max = Math.max(max, id);
    }
    boolean[] special = new boolean[max + 1];
    for (Map.Entry<String, Integer> token : spec.specialTokens().entrySet()) {
      if (!token.getKey().equals(unknown) && token.getValue() >= 0) {
        special[token.getValue()] = true;
      }
    }
    return special;
  }

  private RoundTripSample roundTripSample(RowRules rules, JsonObject stats, Tokenizers tokenizers) {
    if (tokenizers == null || !rules.sentinelsKnown) {
      return null;
    }
    if (options.sample() == 0) {
      findings.skipped("round trip: --sample 0");
      return null;
    }
    if (rules.sft) {
      findings.skipped(
          "round trip: SFT rows hold rendered chat templates and prompt/completion joins, not"
              + " documents");
      return null;
    }
    JsonObject documents = stats == null ? null : object(stats, "documents");
    Long split = documents == null ? null : number(documents, "split");
    boolean noCut =
        List.of("truncate-tail", "truncate-head", "truncate-middle", "drop")
                .contains(rules.longDocs)
            || (split != null && split == 0);
    boolean shortAreDocuments = !rules.concat && noCut;
    boolean[] special = tokenizers.specialIds;
    boolean sentinelsMark =
        !rules.specialTokensInText
            && isSpecial(special, rules.bosId)
            && isSpecial(special, rules.eosId);
    boolean eosMarksEnds =
        !rules.specialTokensInText
            && isSpecial(special, rules.eosId)
            && !rules.longDocs.equals("truncate-middle");
    RoundTripSample sample =
        new RoundTripSample(
            options.sample(),
            rules.seqLen,
            shortAreDocuments,
            sentinelsMark,
            eosMarksEnds,
            rules.bosId,
            rules.eosId);
    if (!sample.possible()) {
      findings.skipped(
          "round trip: no segment can be told to be a whole document (documents were cut into"
              + " several segments, and no special BOS and EOS mark documents)");
      return null;
    }
    try {
      tokenizers.load();
    } catch (RuntimeException e) {
      findings.add(Kind.TOKENIZER, tokenizers.location, "cannot be loaded: " + e.getMessage());
      return null;
    }
    return sample;
  }

  private static boolean isSpecial(boolean[] special, int id) {
    return id >= 0 && id < special.length && special[id];
  }

  private void expectString(JsonObject json, String key, String expected) {
    String value = string(json, key);
    if (value == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no '" + key + "'");
    } else if (!value.equals(expected)) {
      findings.add(
          Kind.STATS, STATS_JSON + " " + key, "is '" + value + "'; must be '" + expected + "'");
    }
  }

  private void expectLong(JsonObject json, String key, long expected, String what) {
    Long value = number(json, key);
    if (value == null) {
      findings.add(Kind.STATS, STATS_JSON, "has no numeric '" + key + "'");
    } else if (value != expected) {
      findings.add(
          Kind.STATS, STATS_JSON + " " + key, "is " + value + "; " + what + " is " + expected);
    }
  }

  private void expectDouble(JsonObject json, String key, double expected, String what) {
    JsonElement value = json.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      findings.add(Kind.STATS, STATS_JSON, "has no numeric '" + key + "'");
    } else if (Math.abs(value.getAsDouble() - expected) > TOLERANCE) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " " + key,
          "is " + value.getAsDouble() + "; " + what + " is " + expected);
    }
  }

  private static Long number(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    try {
      return value.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static String string(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
  }

  private static JsonObject object(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonObject() ? null : value.getAsJsonObject();
  }

  private static JsonArray array(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonArray() ? null : value.getAsJsonArray();
  }

  private static Map<String, String> stringMap(JsonObject json, String key) {
    JsonObject object = object(json, key);
    if (object == null) {
      return null;
    }
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
      map.put(
          entry.getKey(),
          entry.getValue().isJsonPrimitive()
              ? entry.getValue().getAsString()
              : entry.getValue().toString());
    }
    return map;
  }

  private static int sentinel(JsonObject tokenizer, String key) {
    Long value = number(tokenizer, key);
    return value == null || value < 0 || value > Integer.MAX_VALUE
        ? RowRules.NONE
        : value.intValue();
  }

  /**
   * The value to compare against: {@code preferred} (stats.json's) when some file agrees with it,
   * else the most common value (the first on ties), else {@code preferred}.
   */
  private static <T> T reference(java.util.Collection<T> values, T preferred) {
    if (preferred != null && (values.isEmpty() || values.contains(preferred))) {
      return preferred;
    }
    Map<T, Integer> counts = new LinkedHashMap<>();
    for (T value : values) {
      counts.merge(value, 1, Integer::sum);
    }
    T best = preferred;
    int most = 0;
    for (Map.Entry<T, Integer> entry : counts.entrySet()) {
      if (entry.getValue() > most) {
        best = entry.getKey();
        most = entry.getValue();
      }
    }
    return best;
  }

  private static String difference(Map<String, String> expected, Map<String, String> actual) {
    List<String> differences = new ArrayList<>();
    Set<String> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    for (String key : keys) {
      if (!Objects.equals(expected.get(key), actual.get(key))) {
        differences.add(key + " " + quote(expected.get(key)) + " vs " + quote(actual.get(key)));
      }
    }
    return String.join(", ", differences);
  }

  private static String quote(String value) {
    return value == null ? "absent" : "'" + value + "'";
  }

  /** The recorded tokenizer: its specs, special ids, and native encoders once loaded. */
  private static final class Tokenizers implements AutoCloseable {
    final String location;
    final TokenizerSpec originalSpec;
    final TokenizerSpec usedSpec;
    final boolean[] specialIds;
    private TokenEncoder original;
    private TokenEncoder used;

    Tokenizers(
        String location, TokenizerSpec originalSpec, TokenizerSpec usedSpec, boolean[] specialIds) {
      this.location = location;
      this.originalSpec = originalSpec;
      this.usedSpec = usedSpec;
      this.specialIds = specialIds;
    }

    void load() {
      original = TokenEncoder.load(originalSpec);
      used = TokenEncoder.load(usedSpec);
    }

    TokenEncoder original() {
      return original;
    }

    TokenEncoder used() {
      return used;
    }

    @Override
    public void close() {
      if (original != null) {
        original.close();
      }
      if (used != null) {
        used.close();
      }
    }
  }
}
