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
 * The rejected records of one partition, one JSON object per line (see {@link RejectedRecord}), in
 * {@code _rejected/} of the data folder under the name {@link TaskFiles} gives it. Like the Parquet
 * file it is complete only when the task completes (renamed into place then, or uploaded under an
 * attempt's own name), so a retried task never adds lines to another attempt's file. Opened on the
 * first rejection only.
 */
final class RejectedRecordsFile implements Consumer<SourceDocument>, AutoCloseable {
  /** Folder of rejected records, in staging and in the output. */
  static final String FOLDER = RejectedRecord.FOLDER;

  private final TaskFiles files;
  private final Path attempt;
  private final Path target;
  private final Configuration conf;
  private final PackStats stats;
  private FileSystem fs;
  private Writer writer;
  private boolean committed;
  private long bytes;

  RejectedRecordsFile(
      TaskFiles files, int partition, long attemptId, Configuration conf, PackStats stats) {
    this.files = files;
    this.target =
        new Path(
            new Path(files.dataFolder(), FOLDER), files.rejectedFileName(partition, attemptId));
    this.attempt = files.writePath(target, attemptId);
    this.conf = conf;
    this.stats = stats;
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

  /** Closes the file and moves it into place; returns its name, or null when none. */
  String commit() throws IOException {
    if (writer == null) {
      return null;
    }
    writer.close();
    writer = null;
    files.finish(fs, attempt, target);
    committed = true;
    bytes = fs.getFileStatus(target).getLen();
    return target.getName();
  }

  /** The committed file's size. */
  long bytes() {
    return bytes;
  }

  /** Drops the attempt after a failure. */
  @Override
  public void close() {
    try {
      if (writer != null) {
        writer.close();
        writer = null;
      }
      if (fs != null && !committed) {
        fs.delete(attempt, false);
      }
    } catch (IOException e) {
      // The failure that led here is the one to report.
    }
  }
}
