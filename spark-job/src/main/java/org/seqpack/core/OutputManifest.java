package org.seqpack.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code _manifest.json}: the files that make up a committed output (docs/FORMAT.md). Readers take
 * the data files from here rather than from a listing, so files that runs which never committed
 * left in the folder (possible on object stores, where the commit cannot be one rename) are never
 * read. Formats without a footer (Megatron, llm.c) also find here the tokenizer's SHA-256 and the
 * recorded configuration; for Megatron, {@code datasets} lists each {@code .bin}/{@code .idx} pair
 * by its prefix with its counts, the weights of a {@code --data-path}.
 *
 * @param commit how the run was committed, {@code rename} or {@code manifest}
 * @param tokenizerSha256 recorded for the flat formats
 * @param recorded the recorded configuration, for the flat formats
 */
public record OutputManifest(
    OutputFormat format,
    String runId,
    String commit,
    List<OutputFile> files,
    List<DataFile> rejected,
    String tokenizerSha256,
    Map<String, String> recorded) {

  /** A rejected-records file, its path relative to the output folder, size and records. */
  public record DataFile(String path, long bytes, long count) {}

  public OutputManifest {
    files = List.copyOf(files);
    rejected = List.copyOf(rejected);
  }

  public String toJson() {
    ObjectNode json = Json.object();
    json.put("format", format.version());
    json.put("run_id", runId);
    json.put("commit", commit);
    ArrayNode data = json.putArray("files");
    for (OutputFile file : files) {
      data.add(file.toJson(format));
    }
    if (format == OutputFormat.MEGATRON) {
      ArrayNode datasets = json.putArray("datasets");
      for (OutputFile file : files) {
        if (file.name().endsWith(".bin")) {
          datasets
              .addObject()
              .put("prefix", file.name().substring(0, file.name().length() - ".bin".length()))
              .put("tokens", file.tokens())
              .put("documents", file.documents())
              .put("sequences", file.sequences());
        }
      }
    }
    ArrayNode records = json.putArray("rejected_files");
    for (DataFile file : rejected) {
      records
          .addObject()
          .put("path", file.path())
          .put("bytes", file.bytes())
          .put("records", file.count());
    }
    json.put("stats", "stats.json");
    if (!format.rows()) {
      json.put("tokenizer_sha256", tokenizerSha256);
      ObjectNode config = json.putObject("config");
      recorded.forEach(config::put);
    }
    return Json.pretty(json) + "\n";
  }
}
