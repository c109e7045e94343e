package org.seqpack.verify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.verify.Findings.Kind;

/**
 * The entries of an output folder: its data files, stats.json and {@code _rejected/}, with a
 * finding for {@code _SUCCESS} missing and for every entry that is not part of an output.
 */
final class OutputLayout {
  // Names from docs/FORMAT.md, kept apart from the job's constants on purpose.
  static final String STATS_JSON = "stats.json";
  private static final String SUCCESS = "_SUCCESS";
  private static final String STAGING_PREFIX = "_staging-";
  private static final Pattern PART_NAME = Pattern.compile("part-\\d{5}\\.parquet");

  static final Comparator<FileStatus> BY_NAME =
      Comparator.comparing(status -> status.getPath().getName());

  final FileSystem fs;

  /** The {@code .parquet} files, by name. */
  final List<FileStatus> parquet;

  /** stats.json, or null when missing. */
  final FileStatus stats;

  /** {@code _rejected/}, or null when absent. */
  final FileStatus rejected;

  private OutputLayout(
      FileSystem fs, List<FileStatus> parquet, FileStatus stats, FileStatus rejected) {
    this.fs = fs;
    this.parquet = parquet;
    this.stats = stats;
    this.rejected = rejected;
  }

  /** The folder's layout, or null (with the finding) when it is not a folder that can be listed. */
  static OutputLayout read(String output, Configuration conf, Findings findings) {
    Path path = new Path(output);
    FileSystem fs;
    FileStatus[] entries;
    try {
      fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        findings.add(Kind.FOLDER, output, "does not exist");
        return null;
      }
      if (!fs.getFileStatus(path).isDirectory()) {
        findings.add(Kind.FOLDER, output, "is a file; must be an output folder");
        return null;
      }
      entries = fs.listStatus(path);
    } catch (IOException | RuntimeException e) {
      findings.add(Kind.FOLDER, output, "cannot be listed: " + e.getMessage());
      return null;
    }

    List<FileStatus> parquet = new ArrayList<>();
    boolean success = false;
    FileStatus stats = null;
    FileStatus rejected = null;
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".")) {
        continue; // checksum files and other hidden files of the filesystem
      }
      if (name.equals(SUCCESS) && entry.isFile()) {
        success = true;
      } else if (name.equals(STATS_JSON) && entry.isFile()) {
        stats = entry;
      } else if (name.endsWith(".parquet") && entry.isFile()) {
        parquet.add(entry);
        if (!PART_NAME.matcher(name).matches()) {
          findings.add(Kind.FOLDER, name, "is not named part-NNNNN.parquet");
        }
      } else if (name.equals(RejectedRecordsCheck.REJECTED) && entry.isDirectory()) {
        rejected = entry;
      } else if (name.startsWith(STAGING_PREFIX)) {
        findings.add(
            Kind.FOLDER,
            name,
            "is a run's staging folder: a run is in progress or died here; its files are not"
                + " part of the output");
      } else {
        findings.add(
            Kind.FOLDER,
            name,
            "is not part of an output (part-NNNNN.parquet files, _rejected/, stats.json and"
                + " _SUCCESS)");
      }
    }
    parquet.sort(BY_NAME);
    if (!success) {
      findings.add(
          Kind.FOLDER,
          SUCCESS,
          "is missing: the run did not commit (it failed, was killed or is still running)");
    }
    return new OutputLayout(fs, parquet, stats, rejected);
  }
}
