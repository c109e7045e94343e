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
 * The output folder and its staging folder, a hidden sibling {@code _staging-<name>-<run>} beside
 * it. Tasks write there; when every task succeeded the driver checks the files, writes {@code
 * stats.json} and {@code _SUCCESS} into staging, and swaps staging in with one folder rename (a
 * previous output is renamed aside first and deleted after). So the output path holds either the
 * previous output, nothing, or the whole new output with its stats and {@code _SUCCESS}: a run
 * killed at any point leaves nothing there that looks complete. (Folder renames are atomic on HDFS
 * and local disks; object stores such as S3 copy instead, see docs/ROBUSTNESS.md.)
 */
final class OutputFolder {
  static final String STATS_JSON = "stats.json";
  static final String SUCCESS = "_SUCCESS";
  static final String ATTEMPTS = "_attempts";

  private final Path output;
  private final Path staging;
  private final Path replaced;
  private final FileSystem fs;

  OutputFolder(String location, String runId, Configuration conf) {
    try {
      Path path = new Path(location);
      this.fs = path.getFileSystem(conf);
      // Qualified here, on the driver: executors would resolve a relative path against their own
      // working folders (a Worker's work dir, a YARN container), not the driver's.
      this.output = fs.makeQualified(path);
      Path parent = output.getParent();
      if (parent == null) {
        throw new IllegalArgumentException("the root of a filesystem cannot be the output folder");
      }
      this.staging = new Path(parent, "_staging-" + output.getName() + "-" + runId);
      this.replaced = new Path(parent, "_replaced-" + output.getName() + "-" + runId);
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

  /** Creates the staging folder; a previous output stays untouched until the commit. */
  void prepare() throws IOException {
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

  /** Commits data files only (no rejected records). */
  void commit(List<String> files, String statsJson) throws IOException {
    commit(files, List.of(), statsJson);
  }

  /**
   * Checks that every data file and rejected-record file ({@code _rejected/} names) is in staging,
   * writes stats.json and _SUCCESS there, and swaps staging in for the output folder.
   */
  void commit(List<String> files, List<String> rejectedFiles, String statsJson) throws IOException {
    for (String file : files) {
      requireFile(new Path(staging, file));
    }
    for (String file : rejectedFiles) {
      requireFile(new Path(new Path(staging, RejectedRecordsFile.FOLDER), file));
    }
    // Attempt files of failed or speculative task attempts are not part of the output.
    fs.delete(new Path(staging, ATTEMPTS), true);
    Path rejectedFolder = new Path(staging, RejectedRecordsFile.FOLDER);
    if (rejectedFiles.isEmpty() && fs.exists(rejectedFolder)) {
      fs.delete(rejectedFolder, true);
    }
    write(new Path(staging, STATS_JSON), statsJson);
    write(new Path(staging, SUCCESS), "");

    boolean hadOutput = fs.exists(output);
    if (hadOutput && !fs.rename(output, replaced)) {
      throw new IOException("cannot move the previous output " + output + " aside to " + replaced);
    }
    if (!fs.rename(staging, output)) {
      if (hadOutput) {
        fs.rename(replaced, output);
      }
      throw new IOException("cannot rename " + staging + " to " + output);
    }
    if (hadOutput) {
      fs.delete(replaced, true);
    }
    removeLeftovers();
  }

  /** Staging and set-aside folders of earlier runs of this output that were killed. */
  private void removeLeftovers() throws IOException {
    String name = output.getName();
    FileStatus[] siblings = fs.listStatus(output.getParent());
    for (FileStatus sibling : siblings) {
      String other = sibling.getPath().getName();
      if (other.startsWith("_staging-" + name + "-")
          || other.startsWith("_replaced-" + name + "-")) {
        fs.delete(sibling.getPath(), true);
      }
    }
  }

  private void requireFile(Path path) throws IOException {
    if (!fs.exists(path)) {
      throw new IOException("task output " + path + " is missing");
    }
  }

  /** Removes the staging folder after a failure; a previous output is put back if it was moved. */
  void abort() {
    try {
      fs.delete(staging, true);
      if (fs.exists(replaced) && !fs.exists(output)) {
        fs.rename(replaced, output);
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
