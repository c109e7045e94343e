package org.seqpack.core;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * {@code _manifest.json}: the files that make up a committed output (docs/FORMAT.md). Readers take
 * the data files from here rather than from a listing, so files that runs which never committed
 * left in the folder (possible on object stores, where the commit cannot be one rename) are never
 * read.
 *
 * @param commit how the run was committed, {@code rename} or {@code manifest}
 */
public record OutputManifest(
    String format, String runId, String commit, List<DataFile> files, List<DataFile> rejected) {

  /**
   * One file, its path relative to the output folder, its size, and its rows (data) or records
   * (rejected).
   */
  public record DataFile(String path, long bytes, long count) {}

  public OutputManifest {
    files = List.copyOf(files);
    rejected = List.copyOf(rejected);
  }

  public String toJson() {
    ObjectNode json = Json.object();
    json.put("format", format);
    json.put("run_id", runId);
    json.put("commit", commit);
    ArrayNode data = json.putArray("files");
    for (DataFile file : files) {
      data.addObject()
          .put("path", file.path())
          .put("bytes", file.bytes())
          .put("rows", file.count());
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
    return Json.pretty(json) + "\n";
  }
}
