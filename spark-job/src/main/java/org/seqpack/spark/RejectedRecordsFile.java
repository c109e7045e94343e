package org.seqpack.spark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.core.PackStats;
import org.seqpack.core.RejectedRecord;
import org.seqpack.core.SourceDocument;

/**
 * The rejected records of one partition, one JSON object per line (see {@link RejectedRecord}).
 * Like the Parquet file, it is written under an attempt name and renamed to {@code
 * _rejected/part-NNNNN.jsonl} in the staging folder only when the task completes, so a retried task
 * replaces the file instead of adding lines to it. Opened on the first rejection only.
 */
final class RejectedRecordsFile implements Consumer<SourceDocument>, AutoCloseable {
  /** Folder of rejected records, in staging and in the output. */
  static final String FOLDER = RejectedRecord.FOLDER;

  private final Path attempt;
  private final Path target;
  private final Configuration conf;
  private final PackStats stats;
  private FileSystem fs;
  private Writer writer;

  RejectedRecordsFile(
      Path staging, int partition, long attemptId, Configuration conf, PackStats stats) {
    this.target = new Path(new Path(staging, FOLDER), fileName(partition));
    this.attempt =
        new Path(
            staging, "_attempts/" + FOLDER + "-" + fileName(partition) + ".attempt-" + attemptId);
    this.conf = conf;
    this.stats = stats;
  }

  static String fileName(int partition) {
    return String.format("part-%05d.jsonl", partition);
  }

  @Override
  public void accept(SourceDocument record) {
    try {
      if (writer == null) {
        fs = attempt.getFileSystem(conf);
        writer =
            new BufferedWriter(
                new OutputStreamWriter(fs.create(attempt, true), StandardCharsets.UTF_8), 1 << 16);
      }
      writer.write(RejectedRecord.jsonLine(record));
      writer.write('\n');
      stats.rejectedRecordsWritten++;
      if (stats.rejectedExamples.size() < PackStats.REJECTED_EXAMPLES) {
        stats.rejectedExamples.add(
            record.source() + " at " + record.position() + ": " + record.rejection());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write rejected records to " + attempt, e);
    }
  }

  /** Closes and renames the attempt into place; returns the file name, or null when none. */
  String commit() throws IOException {
    if (writer == null) {
      return null;
    }
    writer.close();
    writer = null;
    fs.mkdirs(target.getParent());
    // An earlier attempt of this partition may have finished too; its content is identical.
    fs.delete(target, false);
    if (!fs.rename(attempt, target)) {
      throw new IOException("cannot rename " + attempt + " to " + target);
    }
    return target.getName();
  }

  /** Drops the attempt after a failure. */
  @Override
  public void close() {
    try {
      if (writer != null) {
        writer.close();
        writer = null;
      }
      if (fs != null) {
        fs.delete(attempt, false);
      }
    } catch (IOException e) {
      // The failure that led here is the one to report.
    }
  }
}
