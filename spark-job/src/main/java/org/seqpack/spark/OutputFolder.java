package org.seqpack.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.config.JobOptions;
import org.seqpack.core.SeqpackException;

/**
 * The output folder and its staging area. Tasks write into {@code <output>/_staging-<run>}; only
 * after every task succeeded are the files moved to the folder itself (data files, then the
 * rejected records into {@code _rejected/}), then {@code stats.json} is written, and {@code
 * _SUCCESS} last. A run that dies leaves no {@code _SUCCESS} and no stats.
 */
final class OutputFolder {
  static final String STATS_JSON = "stats.json";
  static final String SUCCESS = "_SUCCESS";

  private final Path output;
  private final Path staging;
  private final FileSystem fs;
  private boolean statsWritten;

  OutputFolder(String location, String runId, Configuration conf) {
    try {
      Path path = new Path(location);
      this.fs = path.getFileSystem(conf);
      // Qualified here, on the driver: executors would resolve a relative path against their own
      // working folders (a Worker's work dir, a YARN container), not the driver's.
      this.output = fs.makeQualified(path);
      this.staging = new Path(output, "_staging-" + runId);
    } catch (IOException | IllegalArgumentException e) {
      throw new SeqpackException(
          "'"
              + JobOptions.OUTPUT.key()
              + "' is '"
              + location
              + "'; cannot be used: "
              + e.getMessage(),
          e);
    }
  }

  /** Fails when the folder exists and is not empty, unless {@code overwrite}. */
  void checkWritable(boolean overwrite) {
    try {
      if (fs.exists(output)) {
        FileStatus status = fs.getFileStatus(output);
        if (!status.isDirectory()) {
          throw new SeqpackException(
              "'"
                  + JobOptions.OUTPUT.key()
                  + "' is '"
                  + output
                  + "'; must be a folder, but it is a file");
        }
        if (fs.listStatus(output).length > 0 && !overwrite) {
          throw new SeqpackException(
              "'"
                  + JobOptions.OUTPUT.key()
                  + "' is '"
                  + output
                  + "'; must be empty or absent, but it holds files (pass --overwrite to replace them)");
        }
      }
    } catch (IOException e) {
      throw new SeqpackException(
          "'"
              + JobOptions.OUTPUT.key()
              + "' is '"
              + output
              + "'; cannot be checked: "
              + e.getMessage(),
          e);
    }
  }

  /** Empties the output folder (when replacing) and creates the staging folder. */
  void prepare() throws IOException {
    if (fs.exists(output)) {
      for (FileStatus child : fs.listStatus(output)) {
        fs.delete(child.getPath(), true);
      }
    }
    if (!fs.mkdirs(staging)) {
      throw new IOException("cannot create " + staging);
    }
  }

  Path staging() {
    return staging;
  }

  Path output() {
    return output;
  }

  /** Moves the files into place, writes stats.json, removes staging, writes _SUCCESS. */
  void commit(List<String> files, String statsJson) throws IOException {
    commit(files, List.of(), statsJson);
  }

  /**
   * Moves the data files and the rejected-record files ({@code _rejected/} names) into place,
   * writes stats.json, removes staging, writes _SUCCESS.
   */
  void commit(List<String> files, List<String> rejectedFiles, String statsJson) throws IOException {
    for (String file : files) {
      move(new Path(staging, file), new Path(output, file));
    }
    if (!rejectedFiles.isEmpty()) {
      Path folder = new Path(output, RejectedRecordsFile.FOLDER);
      if (!fs.mkdirs(folder)) {
        throw new IOException("cannot create " + folder);
      }
      for (String file : rejectedFiles) {
        move(new Path(new Path(staging, RejectedRecordsFile.FOLDER), file), new Path(folder, file));
      }
    }
    statsWritten = true;
    write(new Path(output, STATS_JSON), statsJson);
    fs.delete(staging, true);
    write(new Path(output, SUCCESS), "");
  }

  private void move(Path from, Path to) throws IOException {
    if (!fs.exists(from)) {
      throw new IOException("task output " + from + " is missing");
    }
    if (!fs.rename(from, to)) {
      throw new IOException("cannot move " + from + " to " + to);
    }
  }

  /**
   * Removes the staging folder after a failure, and stats.json and _SUCCESS if a failed commit got
   * that far; the output never looks complete.
   */
  void abort() {
    try {
      fs.delete(staging, true);
      if (statsWritten) {
        fs.delete(new Path(output, SUCCESS), false);
        fs.delete(new Path(output, STATS_JSON), false);
      }
    } catch (IOException e) {
      // The failure that led here is the one to report.
    }
  }

  private void write(Path path, String content) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
