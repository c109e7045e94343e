package org.seqpack.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where a task writes, as {@link OutputFolder} decided on the driver.
 *
 * <p>Committed by rename ({@code named == false}): the data file and rejected records go under an
 * attempt name in the run's folder and are renamed to {@code part-NNNNN.parquet} and {@code
 * _rejected/part-NNNNN.jsonl} there once complete. Committed by manifest ({@code named == true}):
 * they are written straight into the output under names that carry the run and the task attempt,
 * {@code part-NNNNN-<run>-<attempt>.parquet}, so no two attempts ever write one name and nothing is
 * renamed (on an object store an upload appears whole when it completes, and a rename is a copy).
 * Either way the task then records its result in {@code _partitions/part-NNNNN.json} of the run's
 * folder, written last: a partition without that record is not finished. The flat formats name
 * their files the same way with their own extensions: {@code part-NNNNN.bin} and {@code .idx}
 * (Megatron), {@code part-NNNNN-SSSSS.bin} (llm.c shards).
 *
 * @param atomicRename whether small files may be written under an attempt name and renamed
 */
record TaskFiles(
    String dataFolder, String runFolder, String runId, boolean named, boolean atomicRename)
    implements Serializable {
  static final String ATTEMPTS = "_attempts";
  static final String PARTITIONS = "_partitions";

  /** {@code part-NNNNN}: the start of every file name of a partition. */
  static String partitionName(int partition) {
    return String.format("part-%05d", partition);
  }

  String dataFileName(int partition, long attemptId) {
    return partitionName(partition) + suffix(attemptId) + ".parquet";
  }

  /** Relative to the data folder, under {@code _rejected/}. */
  String rejectedFileName(int partition, long attemptId) {
    return partitionName(partition) + suffix(attemptId) + ".jsonl";
  }

  /**
   * What follows a partition's name (and shard number) in its files' names, before the extension.
   */
  String suffix(long attemptId) {
    return named ? "-" + runId + "-" + attemptId : "";
  }

  /** Where the task streams {@code target}: an attempt file when committed by rename. */
  Path writePath(Path target, long attemptId) {
    return named ? target : attempt(target, attemptId);
  }

  // Data, rejected and record files differ in their extension, so names do not collide.
  private Path attempt(Path target, long attemptId) {
    return new Path(runFolder, ATTEMPTS + "/" + target.getName() + ".attempt-" + attemptId);
  }

  /** Moves a finished {@link #writePath} to {@code target} (nothing to do when named). */
  void finish(FileSystem fs, Path written, Path target) throws IOException {
    if (!written.equals(target)) {
      replace(fs, written, target);
    }
  }

  private static void replace(FileSystem fs, Path written, Path target) throws IOException {
    fs.mkdirs(target.getParent());
    // An earlier attempt of this partition may have finished too; its content is identical.
    fs.delete(target, false);
    if (!fs.rename(written, target)) {
      throw new IOException("cannot rename " + written + " to " + target);
    }
  }

  Path partitionRecord(int partition) {
    return partitionRecord(new Path(runFolder), partition);
  }

  static Path partitionRecord(Path runFolder, int partition) {
    return new Path(runFolder, PARTITIONS + "/" + String.format("part-%05d.json", partition));
  }

  /**
   * Writes a small file whole: under an attempt name and renamed where renames are atomic, directly
   * otherwise (an object store's upload is all or nothing).
   */
  void writeWhole(FileSystem fs, Path target, byte[] content, long attemptId) throws IOException {
    Path written = atomicRename ? attempt(target, attemptId) : target;
    try (OutputStream out = fs.create(written, true)) {
      out.write(content);
    }
    if (atomicRename) {
      replace(fs, written, target);
    }
  }
}
