package org.seqpack.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;

/**
 * One data file of an output, its name relative to the output folder, its size, and what it holds:
 * rows (Parquet), or tokens, the documents that start in it and sequences (Megatron's {@code .bin};
 * llm.c shards have no sequences; an index file holds none of these). Counts a format does not have
 * are 0 and not written to JSON.
 */
public record OutputFile(
    String name, long bytes, long rows, long tokens, long documents, long sequences)
    implements Serializable {

  /** A Parquet file of packed rows. */
  public static OutputFile rows(String name, long bytes, long rows) {
    return new OutputFile(name, bytes, rows, 0, 0, 0);
  }

  /** {@code name}, {@code bytes}, then the counts of the format ({@code rows} for Parquet). */
  public ObjectNode toJson(OutputFormat format) {
    ObjectNode json = Json.object();
    json.put("path", name);
    json.put("bytes", bytes);
    if (format == OutputFormat.PARQUET) {
      json.put("rows", rows);
    } else if (tokens > 0 || documents > 0) {
      json.put("tokens", tokens);
      json.put("documents", documents);
      if (format == OutputFormat.MEGATRON) {
        json.put("sequences", sequences);
      }
    }
    return json;
  }

  /** Reads {@link #toJson}: absent counts are 0. */
  public static OutputFile parse(JsonNode json) throws IOException {
    JsonNode name = json.get("path");
    JsonNode bytes = json.get("bytes");
    if (name == null || !name.isTextual() || bytes == null || !bytes.canConvertToLong()) {
      throw new IOException("not an output file entry: " + Json.compact(json));
    }
    return new OutputFile(
        name.asText(),
        bytes.longValue(),
        count(json, "rows"),
        count(json, "tokens"),
        count(json, "documents"),
        count(json, "sequences"));
  }

  private static long count(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null ? 0 : value.asLong();
  }
}
