package org.seqpack.core;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's {@code stats.json} and printed summary, derived from the merged counters. */
public final class RunReport {
  /** One output file. */
  public record OutputFile(String name, long rows, long bytes) {}

  /**
   * Where the rejected records went: {@code folder} relative to the output, holding {@code files}
   * JSONL files (none, and no folder, when nothing was rejected).
   */
  public record RejectedOutput(String folder, int files) {}

  private final PackStats stats;
  private final int seqLen;
  private final JsonObject json;
  private final List<String> warnings;
  private final RejectedOutput rejected;

  /**
   * @param rejected where the rejected records were written
   * @param warnings problems that did not fail the run, for the console and stats.json
   */
  public RunReport(
      PackStats stats,
      int seqLen,
      String formatVersion,
      Map<String, Object> tokenizer,
      Map<String, String> config,
      Map<String, String> versions,
      int partitions,
      List<OutputFile> files,
      RejectedOutput rejected,
      List<String> warnings,
      double wallSeconds) {
    this.stats = stats;
    this.seqLen = seqLen;
    this.warnings = List.copyOf(warnings);
    this.rejected = rejected;
    JsonObject root = new JsonObject();
    root.addProperty("format", formatVersion);
    JsonObject documents = new JsonObject();
    documents.addProperty("read", stats.documentsRead);
    documents.addProperty("packed", stats.documentsPacked);
    documents.addProperty("rejected_total", stats.rejectedTotal());
    JsonObject rejectedJson = new JsonObject();
    stats.rejected.forEach(rejectedJson::addProperty);
    documents.add("rejected", rejectedJson);
    documents.addProperty("rejected_fraction", stats.rejectedFraction());
    documents.addProperty("with_invalid_utf8", stats.documentsWithInvalidUtf8);
    documents.addProperty("with_lone_surrogates", stats.documentsWithLoneSurrogates);
    documents.addProperty("with_special_strings", stats.documentsWithSpecialStrings);
    documents.addProperty("split", stats.documentsSplit);
    documents.addProperty("truncated", stats.documentsTruncated);
    documents.addProperty("dropped", stats.documentsDropped);
    root.add("documents", documents);
    JsonObject rejectedRecords = new JsonObject();
    rejectedRecords.addProperty("folder", rejected.folder());
    rejectedRecords.addProperty("files", rejected.files());
    rejectedRecords.addProperty("records", stats.rejectedRecordsWritten);
    root.add("rejected_records", rejectedRecords);
    root.addProperty("tokens", stats.tokens);
    root.addProperty("tokens_lost", stats.tokensLost);
    JsonObject pieces = new JsonObject();
    pieces.addProperty("texts", stats.textsInPieces);
    pieces.addProperty("cuts_inside_words", stats.cutsInsideWords);
    root.add("tokenized_in_pieces", pieces);
    root.addProperty("chunks_from_splitting", stats.chunksFromSplitting);
    root.addProperty("seq_len", seqLen);
    root.addProperty("rows", stats.rows);
    root.addProperty("min_rows", minRows());
    root.addProperty("segments", stats.segments);
    root.addProperty("mean_segments_per_row", ratio(stats.segments, stats.rows));
    root.addProperty("row_tokens", stats.rowTokens);
    root.addProperty("target_tokens", stats.targetTokens);
    root.addProperty("fill", fill());
    root.addProperty("padding_fraction", stats.rows == 0 ? 0.0 : 1.0 - fill());
    JsonObject tokenizerJson = new JsonObject();
    tokenizer.forEach(
        (key, value) -> {
          if (value instanceof Number number) {
            tokenizerJson.addProperty(key, number);
          } else {
            tokenizerJson.addProperty(key, String.valueOf(value));
          }
        });
    root.add("tokenizer", tokenizerJson);
    JsonObject configJson = new JsonObject();
    config.forEach(configJson::addProperty);
    root.add("config", configJson);
    JsonObject versionsJson = new JsonObject();
    versions.forEach(versionsJson::addProperty);
    root.add("versions", versionsJson);
    root.addProperty("partitions", partitions);
    JsonArray filesJson = new JsonArray();
    long bytes = 0;
    for (OutputFile file : files) {
      JsonObject fileJson = new JsonObject();
      fileJson.addProperty("name", file.name());
      fileJson.addProperty("rows", file.rows());
      fileJson.addProperty("bytes", file.bytes());
      filesJson.add(fileJson);
      bytes += file.bytes();
    }
    root.add("files", filesJson);
    root.addProperty("output_bytes", bytes);
    root.addProperty("bytes_per_token", ratio(bytes, stats.rowTokens));
    JsonObject cpu = new JsonObject();
    cpu.addProperty("read", stats.readNanos / 1e9);
    cpu.addProperty("tokenize", stats.tokenizeNanos / 1e9);
    cpu.addProperty("pack", stats.packNanos / 1e9);
    cpu.addProperty("layout", stats.layoutNanos / 1e9);
    cpu.addProperty("write", stats.writeNanos / 1e9);
    root.add("task_seconds", cpu);
    root.addProperty("wall_seconds", wallSeconds);
    JsonArray warningsJson = new JsonArray();
    this.warnings.forEach(warningsJson::add);
    root.add("warnings", warningsJson);
    this.json = root;
  }

  /** ⌈tokens ÷ L⌉: no packing can use fewer rows. */
  public long minRows() {
    return (stats.tokens + seqLen - 1) / seqLen;
  }

  /** Real tokens ÷ row capacity (rows × L for fixed-length rows). */
  public double fill() {
    return ratio(stats.rowTokens, stats.rowCapacity);
  }

  public String toJson() {
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n";
  }

  public List<String> warnings() {
    return warnings;
  }

  /** A few human-readable lines for the console. */
  public String summary(String output, double wallSeconds) {
    StringBuilder warningLines = new StringBuilder();
    if (stats.rejectedRecordsWritten > 0) {
      warningLines.append(
          String.format(
              Locale.ROOT,
              "rejected:  %,d records in %s/%s/%n",
              stats.rejectedRecordsWritten,
              output,
              rejected.folder()));
    }
    for (String warning : warnings) {
      warningLines.append("warning:   ").append(warning).append(System.lineSeparator());
    }
    return String.format(
        Locale.ROOT,
        "documents: %,d read, %,d packed, %,d rejected %s%n"
            + "tokens:    %,d in %,d rows of %,d (fill %.2f %%, lower bound %,d rows)%n"
            + "long docs: %,d split, %,d truncated, %,d dropped, %,d tokens lost%n"
            + "output:    %s (%.2f bytes/token)%n"
            + "time:      %.1f s%n%s",
        stats.documentsRead,
        stats.documentsPacked,
        stats.rejectedTotal(),
        stats.rejected.isEmpty() ? "" : stats.rejected.toString(),
        stats.tokens,
        stats.rows,
        seqLen,
        100.0 * fill(),
        minRows(),
        stats.documentsSplit,
        stats.documentsTruncated,
        stats.documentsDropped,
        stats.tokensLost,
        output,
        json.get("bytes_per_token").getAsDouble(),
        wallSeconds,
        warningLines);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
