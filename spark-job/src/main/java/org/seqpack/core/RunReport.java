package org.seqpack.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The run's {@code stats.json} and printed summary, derived from the merged counters. */
public final class RunReport {
  /**
   * Where the rejected records went: {@code folder} relative to the output, holding {@code files}
   * JSONL files (none, and no folder, when nothing was rejected).
   */
  public record RejectedOutput(String folder, int files) {}

  /**
   * The run that wrote the output: its id (in {@code _manifest.json} too), how it was committed,
   * and how many partitions it kept from the unfinished run it resumed (0 for a fresh run).
   */
  public record RunInfo(String id, String commit, int resumedPartitions) {}

  private final PackStats stats;
  private final int seqLen;
  private final OutputFormat format;
  private final long sequences;
  private final ObjectNode json;
  private final List<String> warnings;
  private final RejectedOutput rejected;

  /**
   * @param rejected where the rejected records were written
   * @param warnings problems that did not fail the run, for the console and stats.json
   */
  public RunReport(
      PackStats stats,
      int seqLen,
      OutputFormat format,
      Map<String, Object> tokenizer,
      Map<String, String> config,
      Map<String, String> versions,
      int partitions,
      List<OutputFile> files,
      RejectedOutput rejected,
      List<String> warnings,
      RunInfo run,
      double wallSeconds) {
    this.stats = stats;
    this.seqLen = seqLen;
    this.format = format;
    this.sequences = files.stream().mapToLong(OutputFile::sequences).sum();
    this.warnings = List.copyOf(warnings);
    this.rejected = rejected;
    ObjectNode root = Json.object();
    root.put("format", format.version());
    ObjectNode documents = Json.object();
    documents.put("read", stats.documentsRead);
    documents.put("packed", stats.documentsPacked);
    documents.put("rejected_total", stats.rejectedTotal());
    ObjectNode rejectedJson = Json.object();
    stats.rejected.forEach(rejectedJson::put);
    documents.set("rejected", rejectedJson);
    documents.put("rejected_fraction", stats.rejectedFraction());
    documents.put("with_invalid_utf8", stats.documentsWithInvalidUtf8);
    documents.put("with_lone_surrogates", stats.documentsWithLoneSurrogates);
    documents.put("with_special_strings", stats.documentsWithSpecialStrings);
    documents.put("split", stats.documentsSplit);
    documents.put("truncated", stats.documentsTruncated);
    documents.put("dropped", stats.documentsDropped);
    root.set("documents", documents);
    ObjectNode rejectedRecords = Json.object();
    rejectedRecords.put("folder", rejected.folder());
    rejectedRecords.put("files", rejected.files());
    rejectedRecords.put("records", stats.rejectedRecordsWritten);
    root.set("rejected_records", rejectedRecords);
    root.put("tokens", stats.tokens);
    root.put("tokens_lost", stats.tokensLost);
    ObjectNode pieces = Json.object();
    pieces.put("texts", stats.textsInPieces);
    pieces.put("cuts_inside_words", stats.cutsInsideWords);
    root.set("tokenized_in_pieces", pieces);
    root.put("chunks_from_splitting", stats.chunksFromSplitting);
    root.put("seq_len", seqLen);
    if (format.rows()) {
      root.put("rows", stats.rows);
      root.put("min_rows", minRows());
      root.put("segments", stats.segments);
      root.put("mean_segments_per_row", ratio(stats.segments, stats.rows));
      root.put("row_tokens", stats.rowTokens);
      root.put("target_tokens", stats.targetTokens);
      root.put("fill", fill());
      root.put("padding_fraction", stats.rows == 0 ? 0.0 : 1.0 - fill());
    } else if (format == OutputFormat.MEGATRON) {
      root.put("sequences", sequences);
    }
    ObjectNode tokenizerJson = Json.object();
    tokenizer.forEach(
        (key, value) -> {
          if (value instanceof Number number) {
            tokenizerJson.set(key, Json.tree(number));
          } else {
            tokenizerJson.put(key, String.valueOf(value));
          }
        });
    root.set("tokenizer", tokenizerJson);
    ObjectNode configJson = Json.object();
    config.forEach(configJson::put);
    root.set("config", configJson);
    ObjectNode versionsJson = Json.object();
    versions.forEach(versionsJson::put);
    root.set("versions", versionsJson);
    root.put("partitions", partitions);
    ArrayNode filesJson = root.putArray("files");
    long bytes = 0;
    for (OutputFile file : files) {
      ObjectNode fileJson = Json.object();
      fileJson.put("name", file.name());
      if (format.rows()) {
        fileJson.put("rows", file.rows());
        fileJson.put("bytes", file.bytes());
      } else {
        ObjectNode counts = file.toJson(format);
        counts.remove("path");
        fileJson.setAll(counts);
      }
      filesJson.add(fileJson);
      bytes += file.bytes();
    }
    root.put("output_bytes", bytes);
    root.put("bytes_per_token", ratio(bytes, format.rows() ? stats.rowTokens : stats.tokens));
    ObjectNode cpu = Json.object();
    cpu.put("read", stats.readNanos / 1e9);
    cpu.put("tokenize", stats.tokenizeNanos / 1e9);
    cpu.put("pack", stats.packNanos / 1e9);
    cpu.put("layout", stats.layoutNanos / 1e9);
    cpu.put("write", stats.writeNanos / 1e9);
    root.set("task_seconds", cpu);
    ObjectNode runJson = root.putObject("run");
    runJson.put("id", run.id());
    runJson.put("commit", run.commit());
    runJson.put("resumed_partitions", run.resumedPartitions());
    root.put("wall_seconds", wallSeconds);
    ArrayNode warningsJson = root.putArray("warnings");
    this.warnings.forEach(warningsJson::add);
    this.json = root;
  }

  /** The merged counters the report was made from. */
  public PackStats stats() {
    return stats;
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
    return Json.pretty(json) + "\n";
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
    String tokens =
        switch (format) {
          case PARQUET ->
              String.format(
                  Locale.ROOT,
                  "%,d in %,d rows of %,d (fill %.2f %%, lower bound %,d rows)",
                  stats.tokens,
                  stats.rows,
                  seqLen,
                  100.0 * fill(),
                  minRows());
          case MEGATRON ->
              String.format(
                  Locale.ROOT,
                  "%,d in %,d sequences of %,d documents (Megatron indexed datasets)",
                  stats.tokens,
                  sequences,
                  stats.documentsPacked);
          case LLMC ->
              String.format(
                  Locale.ROOT,
                  "%,d of %,d documents in %,d llm.c shards",
                  stats.tokens,
                  stats.documentsPacked,
                  json.get("files").size());
        };
    return String.format(
        Locale.ROOT,
        "documents: %,d read, %,d packed, %,d rejected %s%n"
            + "tokens:    %s%n"
            + "long docs: %,d split, %,d truncated, %,d dropped, %,d tokens lost%n"
            + "output:    %s (%.2f bytes/token)%n"
            + "time:      %.1f s%n%s",
        stats.documentsRead,
        stats.documentsPacked,
        stats.rejectedTotal(),
        stats.rejected.isEmpty() ? "" : stats.rejected.toString(),
        tokens,
        stats.documentsSplit,
        stats.documentsTruncated,
        stats.documentsDropped,
        stats.tokensLost,
        output,
        json.get("bytes_per_token").asDouble(),
        wallSeconds,
        warningLines);
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }
}
