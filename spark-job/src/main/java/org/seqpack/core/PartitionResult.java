package org.seqpack.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What one task wrote: its partition, its data files (none when it kept no document; one Parquet
 * file, a Megatron pair, or llm.c shards), its rejected-records file (null if nothing was rejected)
 * and that file's size, and its counters. A finished task records it as JSON in the run's folder,
 * which is what {@code --resume} keeps.
 */
public record PartitionResult(
    int partition, List<OutputFile> files, String rejectedFile, long rejectedBytes, PackStats stats)
    implements Serializable {

  public PartitionResult {
    files = List.copyOf(files);
  }

  public byte[] toJson() {
    ObjectNode json = Json.object();
    json.put("partition", partition);
    ArrayNode list = json.putArray("files");
    for (OutputFile file : files) {
      // Every count, whatever the format: the record is read back whole.
      list.addObject()
          .put("path", file.name())
          .put("bytes", file.bytes())
          .put("rows", file.rows())
          .put("tokens", file.tokens())
          .put("documents", file.documents())
          .put("sequences", file.sequences());
    }
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
    JsonNode files = json.get("files");
    if (!json.isObject()
        || partition == null
        || !partition.canConvertToInt()
        || stats == null
        || !stats.isObject()
        || files == null
        || !files.isArray()
        || !json.has("rejected_bytes")) {
      throw new IOException("not a partition record: " + Json.compact(json));
    }
    List<OutputFile> list = new ArrayList<>();
    for (JsonNode file : files) {
      list.add(OutputFile.parse(file));
    }
    JsonNode rejected = json.get("rejected_file");
    return new PartitionResult(
        partition.intValue(),
        list,
        rejected == null || rejected.isNull() ? null : rejected.asText(),
        json.get("rejected_bytes").longValue(),
        Json.convert(stats, PackStats.class));
  }
}
