package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;
import static org.seqpack.verify.JsonFields.stringMap;
import static org.seqpack.verify.OutputLayout.STATS_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.seqpack.core.Json;
import org.seqpack.verify.Findings.Kind;

/**
 * The data files' footers and the configuration and tokenizer SHA-256 they agree on. Each footer
 * must agree with stats.json; without stats.json (or when no footer agrees with it), with the
 * footers' majority, so that one altered file is the one named.
 */
final class FooterConsensus {
  // Keys from docs/FORMAT.md, kept apart from the job's constants on purpose.
  private static final String FORMAT_KEY = "seqpack.format";
  private static final String TOKENIZER_SHA256_KEY = "seqpack.tokenizer.sha256";
  static final String CONFIG_KEY = "seqpack.config";
  static final String FORMAT = "packed-rows/1";
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** Footer facts of one data file. */
  record DataFile(
      String name, Path path, long bytes, long footerRows, Map<String, String> metadata) {}

  /** The files whose footer and schema could be read, by name. */
  final List<DataFile> files;

  /** The configuration to check the rows under, or null when none is recorded. */
  final Map<String, String> config;

  /** Whether {@link #config} is stats.json's (else the footers' majority). */
  final boolean configFromStats;

  /** The tokenizer SHA-256 the output was made with, or null when none is recorded. */
  final String sha256;

  private FooterConsensus(
      List<DataFile> files, Map<String, String> config, boolean configFromStats, String sha256) {
    this.files = files;
    this.config = config;
    this.configFromStats = configFromStats;
    this.sha256 = sha256;
  }

  /**
   * Reads the footers of {@code parquet} and compares them with each other and with {@code stats}
   * (null when missing).
   */
  static FooterConsensus read(
      List<FileStatus> parquet, JsonNode stats, Configuration conf, Findings findings) {
    List<DataFile> files = new ArrayList<>();
    Map<String, Map<String, String>> configs = new LinkedHashMap<>();
    Map<String, String> shas = new LinkedHashMap<>();
    for (FileStatus status : parquet) {
      DataFile file = readFooter(status, conf, findings);
      if (file == null) {
        continue;
      }
      files.add(file);
      Map<String, String> fileConfig = checkFooter(file, findings);
      if (fileConfig != null) {
        configs.put(file.name(), fileConfig);
      }
      String fileSha = file.metadata().get(TOKENIZER_SHA256_KEY);
      if (fileSha != null) {
        shas.put(file.name(), fileSha);
      }
    }
    Map<String, String> statsConfig = stats == null ? null : stringMap(stats, "config");
    Map<String, String> config =
        agree(
            configs,
            statsConfig,
            STATS_JSON + " config",
            (reference, value, fromStats) ->
                CONFIG_KEY
                    + " differs from "
                    + (fromStats ? "stats.json's config" : "other files'")
                    + ": "
                    + difference(reference, value),
            (reference, recorded, fromStats) ->
                "differs from the footers' " + CONFIG_KEY + ": " + difference(reference, recorded),
            findings);
    JsonNode statsTokenizer = stats == null ? null : object(stats, "tokenizer");
    String statsSha = statsTokenizer == null ? null : string(statsTokenizer, "sha256");
    String sha256 =
        agree(
            shas,
            statsSha,
            STATS_JSON + " tokenizer.sha256",
            (reference, value, fromStats) ->
                TOKENIZER_SHA256_KEY
                    + " is "
                    + value
                    + "; "
                    + (fromStats ? "stats.json records " : "other files record ")
                    + reference,
            (reference, recorded, fromStats) ->
                "is " + recorded + "; the footers record " + reference,
            findings);
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
    return new FooterConsensus(
        files, config, statsConfig != null && statsConfig.equals(config), sha256);
  }

  /** Words for a value that differs from the reference. */
  private interface Difference<T> {
    String describe(T reference, T value, boolean referenceFromStats);
  }

  /**
   * The reference value (see {@link #reference}); records each file's value that differs from it,
   * and stats.json's ({@code recorded}, at {@code recordedAt}) when that differs.
   */
  private static <T> T agree(
      Map<String, T> byFile,
      T recorded,
      String recordedAt,
      Difference<T> fileDiffers,
      Difference<T> recordedDiffers,
      Findings findings) {
    T reference = reference(byFile.values(), recorded);
    boolean fromStats = recorded != null && recorded.equals(reference);
    byFile.forEach(
        (name, value) -> {
          if (!value.equals(reference)) {
            findings.add(Kind.FOOTER, name, fileDiffers.describe(reference, value, fromStats));
          }
        });
    if (recorded != null && !fromStats) {
      findings.add(Kind.STATS, recordedAt, recordedDiffers.describe(reference, recorded, false));
    }
    return reference;
  }

  /**
   * The value to compare against: {@code preferred} (stats.json's) when some file agrees with it,
   * else the most common value (the first on ties), else {@code preferred}.
   */
  private static <T> T reference(Collection<T> values, T preferred) {
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

  private static DataFile readFooter(FileStatus status, Configuration conf, Findings findings) {
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
  private static Map<String, String> checkFooter(DataFile file, Findings findings) {
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
    String problem = null;
    Map<String, String> config = new TreeMap<>();
    try {
      JsonNode root = Json.parse(json);
      if (!root.isObject()) {
        problem = "not an object";
      }
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        if (!JsonFields.isScalar(entry.getValue())) {
          problem = "'" + entry.getKey() + "' is not a string";
          break;
        }
        config.put(entry.getKey(), entry.getValue().asText());
      }
    } catch (IOException e) {
      problem = Json.describe(e);
    }
    if (problem != null) {
      findings.add(
          Kind.FOOTER,
          file.name(),
          CONFIG_KEY + " must be a JSON object of dotted keys: " + problem);
      return null;
    }
    return config;
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
}
