package org.seqpack.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;

/**
 * What one task wrote: its partition, its data file (null if no rows), its rejected-records file
 * (null if nothing was rejected) and that file's size, and its counters. A finished task records it
 * as JSON in the run's folder, which is what {@code --resume} keeps.
 */
public record PartitionResult(
    int partition, String file, String rejectedFile, long rejectedBytes, PackStats stats)
    implements Serializable {

  public byte[] toJson() {
    ObjectNode json = Json.object();
    json.put("partition", partition);
    json.put("file", file);
    json.put("rejected_file", rejectedFile);
    json.put("rejected_bytes", rejectedBytes);
    json.set("stats", Json.tree(stats));
    return Json.compactBytes(json);
  }

  /** Reads {@link #toJson}; an incomplete or foreign record is an {@link IOException}. */
  public static PartitionResult parse(byte[] bytes) throws IOException {
    JsonNode json = Json.parse(bytes);
    JsonNode partition = json.get("partition");
    JsonNode stats = json.get("stats");
    if (!json.isObject()
        || partition == null
        || !partition.canConvertToInt()
        || stats == null
        || !stats.isObject()
        || !json.has("rejected_bytes")) {
      throw new IOException("not a partition record: " + Json.compact(json));
    }
    return new PartitionResult(
        partition.intValue(),
        text(json, "file"),
        text(json, "rejected_file"),
        json.get("rejected_bytes").longValue(),
        Json.convert(stats, PackStats.class));
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
