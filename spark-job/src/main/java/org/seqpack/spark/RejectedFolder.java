package org.seqpack.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.seqpack.core.PackStats;
import org.seqpack.core.RejectedRecord;
import org.seqpack.core.SeqpackException;

/**
 * The {@code _rejected/} folder of a command that reads input as the job does but writes no rows
 * ({@code analyze}, {@code train-tokenizer}), so that every rejected document can be found as in
 * the job's output. Each task writes its partition's records with the job's {@link
 * RejectedRecordsFile} ({@code part-NNNNN.jsonl}, one {@link RejectedRecord} per line): under an
 * attempt name and renamed into place where renames are atomic, under a name carrying the run and
 * the task attempt otherwise. The task reports the file it committed and its records; the driver
 * then deletes every other file (a failed or superseded attempt's) and checks that the files hold
 * exactly the rejections counted.
 */
final class RejectedFolder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TaskFiles files;
  private final HadoopConf conf;

  private RejectedFolder(TaskFiles files, HadoopConf conf) {
    this.files = files;
    this.conf = conf;
  }

  /**
   * On the driver, before the tasks: {@code output}'s {@code _rejected/} and attempt folder,
   * emptied of an earlier run's files (the command has checked that it may replace them).
   */
  static RejectedFolder prepare(String output, Configuration conf) {
    try {
      Path folder = new Path(output);
      FileSystem fs = folder.getFileSystem(conf);
      boolean atomic = OutputFolder.renamesAtomically(fs);
      String runId = UUID.randomUUID().toString().substring(0, 8);
      RejectedFolder rejected =
          new RejectedFolder(
              new TaskFiles(output, output, runId, !atomic, atomic), new HadoopConf(conf));
      fs.delete(rejected.folder(), true);
      fs.delete(rejected.attempts(), true);
      return rejected;
    } catch (IOException e) {
      throw new SeqpackException(
          "'--output' is '"
              + output
              + "'; its "
              + RejectedRecord.FOLDER
              + "/ cannot be prepared: "
              + e.getMessage(),
          e);
    }
  }

  /** On an executor: this task's file, opened on its first rejection. */
  RejectedRecordsFile open(PackStats stats) {
    TaskContext task = TaskContext.get();
    return new RejectedRecordsFile(
        files, task.partitionId(), task.taskAttemptId(), conf.get(), stats);
  }

  /**
   * On the driver, after the tasks: deletes the files no used task result names and the attempts
   * folder, then checks that the named files are there and that their records add up to {@code
   * rejected}.
   *
   * @param committed the file names the used task results report, with their record counts
   */
  void finish(Map<String, Long> committed, long rejected) {
    Path folder = folder();
    try {
      FileSystem fs = folder.getFileSystem(conf.get());
      fs.delete(attempts(), true);
      FileStatus[] present;
      try {
        present = fs.listStatus(folder);
      } catch (FileNotFoundException e) {
        present = new FileStatus[0];
      }
      int kept = 0;
      for (FileStatus file : present) {
        if (committed.containsKey(file.getPath().getName())) {
          kept++;
        } else {
          fs.delete(file.getPath(), true);
        }
      }
      long written = committed.values().stream().mapToLong(Long::longValue).sum();
      if (kept != committed.size() || written != rejected) {
        throw new SeqpackException(
            RejectedRecord.FOLDER
                + "/ of '"
                + folder.getParent()
                + "' holds "
                + kept
                + " of the "
                + committed.size()
                + " files the tasks wrote, with "
                + written
                + " records for "
                + rejected
                + " rejected documents; must hold every rejected document");
      }
    } catch (IOException e) {
      throw new SeqpackException("cannot finish " + folder + ": " + e.getMessage(), e);
    }
  }

  private Path folder() {
    return new Path(files.dataFolder(), RejectedRecord.FOLDER);
  }

  private Path attempts() {
    return new Path(files.runFolder(), TaskFiles.ATTEMPTS);
  }
}
