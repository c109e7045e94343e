package org.seqpack.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * The top {@code stats.json} of a several-length run: the lengths, what each output holds and what
 * packing and writing it cost, and what the lengths shared (reading and tokenizing, done once).
 * Each {@code L=<n>/} folder has the full stats.json of its own output.
 */
public final class LengthsReport {
  /** One length's output: its folder (relative to the top one) and merged counters. */
  public record Length(int seqLen, String folder, PackStats stats) {}

  private final ObjectNode json;

  /**
   * @param config the run's recorded configuration (with every length)
   */
  public LengthsReport(List<Length> lengths, Map<String, String> config, double wallSeconds) {
    ObjectNode root = Json.object();
    root.put("format", OutputFormat.PARQUET.version());
    ArrayNode seqLens = root.putArray("seq_lens");
    lengths.forEach(length -> seqLens.add(length.seqLen()));
    PackStats first = lengths.get(0).stats();
    root.put("documents_read", first.documentsRead);
    ObjectNode shared = root.putObject("shared_task_seconds");
    shared.put("read", first.readNanos / 1e9);
    // Every length's encoder ran; the first tokenized, the others found its ids and only cut.
    long encode = 0;
    for (Length length : lengths) {
      encode += length.stats().tokenizeNanos;
    }
    shared.put("tokenize", encode / 1e9);
    ArrayNode outputs = root.putArray("outputs");
    for (Length length : lengths) {
      PackStats stats = length.stats();
      ObjectNode output = outputs.addObject();
      output.put("seq_len", length.seqLen());
      output.put("path", length.folder());
      output.put("documents_packed", stats.documentsPacked);
      output.put("documents_rejected", stats.rejectedTotal());
      output.put("tokens", stats.tokens);
      output.put("rows", stats.rows);
      output.put("min_rows", (stats.tokens + length.seqLen() - 1) / length.seqLen());
      output.put(
          "fill", stats.rowCapacity == 0 ? 0.0 : (double) stats.rowTokens / stats.rowCapacity);
      output.put("output_bytes", stats.outputBytes);
      ObjectNode own = output.putObject("task_seconds");
      own.put("pack", stats.packNanos / 1e9);
      own.put("layout", stats.layoutNanos / 1e9);
      own.put("write", stats.writeNanos / 1e9);
    }
    ObjectNode configJson = root.putObject("config");
    config.forEach(configJson::put);
    root.put("wall_seconds", wallSeconds);
    this.json = root;
  }

  public String toJson() {
    return Json.pretty(json) + "\n";
  }
}
