package org.seqpack.spark;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.seqpack.config.JobOptions;
import org.seqpack.core.OutputFile;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.OutputManifest;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.RunIdentity;
import org.seqpack.core.SeqpackException;

/**
 * The output folder and one run's folder, a hidden sibling {@code _staging-<name>-<run>} beside it
 * that holds the run's record ({@code _run.json}) and one record per finished partition ({@code
 * _partitions/}), which {@code --resume} reads. The run is published in one of two ways (docs/
 * CLUSTERS.md, "What each store guarantees"):
 *
 * <ul>
 *   <li>{@link Commit#RENAME} (HDFS, local and POSIX disks): tasks write their files into the run's
 *       folder; the driver writes {@code stats.json}, {@code _manifest.json} and {@code _SUCCESS}
 *       there and swaps it in for the output with one folder rename (a previous output is renamed
 *       aside first and deleted after). The output path holds the previous output, nothing, or the
 *       whole new one.
 *   <li>{@link Commit#MANIFEST} (object stores, where a rename is a copy): tasks write their files
 *       straight into the output under names that carry the run and the attempt; the driver writes
 *       {@code stats.json}, then {@code _manifest.json}, the commit point (one object written
 *       whole), then {@code _SUCCESS}, and only then deletes what the manifest does not list (the
 *       previous output, files of killed runs). Readers that take the files from the manifest see
 *       the previous output or the whole new one.
 * </ul>
 */
final class OutputFolder {
  static final String STATS_JSON = "stats.json";
  static final String SUCCESS = "_SUCCESS";
  static final String MANIFEST = "_manifest.json";
  static final String RUN_JSON = "_run.json";
  private static final String STAGING = "_staging-";
  private static final String REPLACED = "_replaced-";

  /** The files a run committed by manifest writes into the output (see {@link TaskFiles}). */
  private static final Pattern RUN_FILE =
      Pattern.compile("part-\\d{5}(-\\d{5})?-[0-9a-f]+-\\d+\\.(parquet|jsonl|bin|idx)");

  /** Schemes whose folder renames are atomic, besides the local filesystem's classes. */
  private static final Set<String> ATOMIC_RENAME = Set.of("file", "hdfs", "viewfs", "ofs");

  enum Commit {
    RENAME,
    MANIFEST;

    String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Path output;
  private final FileSystem fs;
  private final boolean atomicRename;
  private final Commit commit;
  private final String runId;
  private final Path runFolder;
  private final Path replaced;

  /**
   * @param commitSetting {@code auto} (rename where renames are atomic, manifest elsewhere), {@code
   *     rename} or {@code manifest}
   */
  OutputFolder(String location, String runId, String commitSetting, Configuration conf) {
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
      this.runId = runId;
      this.runFolder = new Path(parent, STAGING + output.getName() + "-" + runId);
      this.replaced = new Path(parent, REPLACED + output.getName() + "-" + runId);
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
    this.atomicRename = renamesAtomically(fs);
    this.commit =
        switch (commitSetting) {
          case "rename" -> Commit.RENAME;
          case "manifest" -> Commit.MANIFEST;
          default -> atomicRename ? Commit.RENAME : Commit.MANIFEST;
        };
  }

  /** Whether {@code fs} renames a file in one atomic step (local disks, HDFS), unlike stores. */
  static boolean renamesAtomically(FileSystem fs) {
    return fs instanceof LocalFileSystem
        || fs instanceof RawLocalFileSystem
        || ATOMIC_RENAME.contains(fs.getUri().getScheme());
  }

  /** {@code L=<n>}: the folder of length {@code seqLen} in a several-length output. */
  static String lengthFolderName(int seqLen) {
    return "L=" + seqLen;
  }

  /** The output of length {@code seqLen} inside this one, for the same run. */
  OutputFolder lengthFolder(int seqLen, Configuration conf) {
    return new OutputFolder(
        new Path(output, lengthFolderName(seqLen)).toString(), runId, commit.configName(), conf);
  }

  /**
   * Starts a several-length run at this folder: creates it and removes its {@code _SUCCESS}, so
   * that until every length is committed the folder does not claim to be complete.
   */
  void beginLengths() throws IOException {
    fs.mkdirs(output);
    fs.delete(new Path(output, SUCCESS), false);
  }

  /**
   * Completes a several-length output once each length's folder is committed: removes length
   * folders of earlier runs that this one did not write, then writes {@code stats.json} and {@code
   * _SUCCESS}.
   */
  void commitLengths(String statsJson, List<String> lengthFolders) throws IOException {
    for (FileStatus entry : fs.listStatus(output)) {
      String name = entry.getPath().getName();
      if (entry.isDirectory() && name.startsWith("L=") && !lengthFolders.contains(name)) {
        fs.delete(entry.getPath(), true);
      }
    }
    write(new Path(output, STATS_JSON), statsJson);
    write(new Path(output, SUCCESS), "");
  }

  /** The same output, for the run {@code otherRunId}. */
  OutputFolder forRun(String otherRunId, Configuration conf) {
    return new OutputFolder(output.toString(), otherRunId, commit.configName(), conf);
  }

  Commit commit() {
    return commit;
  }

  String runId() {
    return runId;
  }

  Path output() {
    return output;
  }

  Path runFolder() {
    return runFolder;
  }

  TaskFiles taskFiles() {
    Path data = commit == Commit.RENAME ? runFolder : output;
    return new TaskFiles(
        data.toString(), runFolder.toString(), runId, commit == Commit.MANIFEST, atomicRename);
  }

  /**
   * Fails when the folder is a file, or holds an output (anything but files that runs which never
   * committed left there) and {@code overwrite} is off.
   */
  void checkWritable(boolean overwrite) {
    try {
      if (!fs.exists(output)) {
        return;
      }
      if (!fs.getFileStatus(output).isDirectory()) {
        throw new SeqpackException(
            "'"
                + JobOptions.OUTPUT.key()
                + "' is '"
                + output
                + "'; must be a folder, but it is a file");
      }
      if (!overwrite && holdsOutput()) {
        throw new SeqpackException(
            "'"
                + JobOptions.OUTPUT.key()
                + "' is '"
                + output
                + "'; must be empty or absent, but it holds files (pass --overwrite to replace them)");
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

  private boolean holdsOutput() throws IOException {
    for (FileStatus entry : fs.listStatus(output)) {
      String name = entry.getPath().getName();
      boolean leftover =
          name.startsWith(".")
              || name.startsWith(STAGING)
              || name.startsWith(REPLACED)
              || (entry.isFile() && RUN_FILE.matcher(name).matches())
              || (entry.isDirectory() && name.equals(RejectedRecordsFile.FOLDER));
      if (!leftover) {
        return true;
      }
    }
    return false;
  }

  /** Runs of this output that started and never committed, the latest first. */
  List<RunIdentity> unfinishedRuns() throws IOException {
    List<RunIdentity> runs = new ArrayList<>();
    String prefix = STAGING + output.getName() + "-";
    FileStatus[] siblings;
    try {
      siblings = fs.listStatus(output.getParent());
    } catch (FileNotFoundException e) {
      return runs;
    }
    for (FileStatus sibling : siblings) {
      if (sibling.isDirectory() && sibling.getPath().getName().startsWith(prefix)) {
        try {
          runs.add(RunIdentity.parse(read(new Path(sibling.getPath(), RUN_JSON))));
        } catch (IOException e) {
          // Killed before its record was complete: nothing of it can be kept.
        }
      }
    }
    runs.sort(Comparator.comparingLong(RunIdentity::startedMillis).reversed());
    return runs;
  }

  /** Creates the run's folder and records the run in it; a previous output stays untouched. */
  void prepare(RunIdentity identity) throws IOException {
    if (!fs.mkdirs(runFolder)) {
      throw new IOException("cannot create " + runFolder);
    }
    try (OutputStream out = fs.create(new Path(runFolder, RUN_JSON), true)) {
      out.write(identity.toJson());
    }
  }

  /**
   * The partitions of this run that finished: a readable record whose data and rejected files are
   * there with the sizes it gives. Anything else is computed again. (Three listings and one read
   * per record: on an object store a request per file would dominate.)
   */
  List<PartitionResult> finishedPartitions(int partitions) throws IOException {
    Path data = new Path(taskFiles().dataFolder());
    Map<String, Long> dataSizes = sizes(data);
    Map<String, Long> rejectedSizes = sizes(new Path(data, RejectedRecordsFile.FOLDER));
    List<PartitionResult> finished = new ArrayList<>();
    for (FileStatus record : list(new Path(runFolder, TaskFiles.PARTITIONS))) {
      PartitionResult result;
      try {
        result = PartitionResult.parse(read(record.getPath()));
      } catch (IOException e) {
        continue; // killed while writing its record
      }
      if (result.partition() < partitions
          && record
              .getPath()
              .getName()
              .equals(TaskFiles.partitionRecord(runFolder, result.partition()).getName())
          && result.files().stream().allMatch(f -> hasSize(dataSizes, f.name(), f.bytes()))
          && hasSize(rejectedSizes, result.rejectedFile(), result.rejectedBytes())) {
        finished.add(result);
      }
    }
    finished.sort(Comparator.comparingInt(PartitionResult::partition));
    return finished;
  }

  private FileStatus[] list(Path folder) throws IOException {
    try {
      return fs.listStatus(folder);
    } catch (FileNotFoundException e) {
      return new FileStatus[0];
    }
  }

  private Map<String, Long> sizes(Path folder) throws IOException {
    Map<String, Long> sizes = new HashMap<>();
    for (FileStatus file : list(folder)) {
      sizes.put(file.getPath().getName(), file.getLen());
    }
    return sizes;
  }

  private static boolean hasSize(Map<String, Long> sizes, String name, long bytes) {
    return name == null || Long.valueOf(bytes).equals(sizes.get(name));
  }

  private Path dataFile(OutputFile file) {
    return new Path(taskFiles().dataFolder(), file.name());
  }

  private Path rejectedFile(PartitionResult result) {
    return new Path(
        new Path(taskFiles().dataFolder(), RejectedRecordsFile.FOLDER), result.rejectedFile());
  }

  /**
   * Publishes the run: checks that every file the results name is there, writes stats.json, the
   * manifest and _SUCCESS, and makes them the output (see the class comment).
   *
   * @param tokenizerSha256 and {@code recorded} go into the manifest of formats without footers
   */
  void commit(
      List<PartitionResult> results,
      String statsJson,
      OutputFormat format,
      String tokenizerSha256,
      Map<String, String> recorded)
      throws IOException {
    List<OutputFile> data = new ArrayList<>();
    List<OutputManifest.DataFile> rejected = new ArrayList<>();
    for (PartitionResult result : results) {
      for (OutputFile file : result.files()) {
        requireFile(dataFile(file));
        data.add(file);
      }
      if (result.rejectedFile() != null) {
        requireFile(rejectedFile(result));
        rejected.add(
            new OutputManifest.DataFile(
                RejectedRecordsFile.FOLDER + "/" + result.rejectedFile(),
                result.rejectedBytes(),
                result.stats().rejectedRecordsWritten));
      }
    }
    String manifest =
        new OutputManifest(
                format, runId, commit.configName(), data, rejected, tokenizerSha256, recorded)
            .toJson();
    if (commit == Commit.RENAME) {
      commitByRename(rejected.isEmpty(), statsJson, manifest);
    } else {
      commitByManifest(data, rejected, statsJson, manifest);
    }
    removeLeftovers();
  }

  private void commitByRename(boolean nothingRejected, String statsJson, String manifest)
      throws IOException {
    // Attempt files of failed or speculative attempts and the run's own records are not output.
    fs.delete(new Path(runFolder, TaskFiles.ATTEMPTS), true);
    fs.delete(new Path(runFolder, TaskFiles.PARTITIONS), true);
    fs.delete(new Path(runFolder, RUN_JSON), false);
    Path rejectedFolder = new Path(runFolder, RejectedRecordsFile.FOLDER);
    if (nothingRejected && fs.exists(rejectedFolder)) {
      fs.delete(rejectedFolder, true);
    }
    write(new Path(runFolder, STATS_JSON), statsJson);
    write(new Path(runFolder, MANIFEST), manifest);
    write(new Path(runFolder, SUCCESS), "");

    boolean hadOutput = fs.exists(output);
    if (hadOutput && !fs.rename(output, replaced)) {
      throw new IOException("cannot move the previous output " + output + " aside to " + replaced);
    }
    if (!fs.rename(runFolder, output)) {
      if (hadOutput) {
        fs.rename(replaced, output);
      }
      throw new IOException("cannot rename " + runFolder + " to " + output);
    }
    if (hadOutput) {
      fs.delete(replaced, true);
    }
  }

  private void commitByManifest(
      List<OutputFile> data,
      List<OutputManifest.DataFile> rejected,
      String statsJson,
      String manifest)
      throws IOException {
    write(new Path(output, STATS_JSON), statsJson);
    write(new Path(output, MANIFEST), manifest); // the commit point
    write(new Path(output, SUCCESS), "");
    Set<String> keep = new HashSet<>(List.of(STATS_JSON, MANIFEST, SUCCESS));
    data.forEach(file -> keep.add(file.name()));
    rejected.forEach(file -> keep.add(file.path()));
    for (FileStatus entry : fs.listStatus(output)) {
      String name = entry.getPath().getName();
      if (name.startsWith(".") || keep.contains(name)) {
        continue;
      }
      if (entry.isDirectory() && name.equals(RejectedRecordsFile.FOLDER) && !rejected.isEmpty()) {
        for (FileStatus record : fs.listStatus(entry.getPath())) {
          if (!keep.contains(name + "/" + record.getPath().getName())) {
            fs.delete(record.getPath(), true);
          }
        }
      } else {
        fs.delete(entry.getPath(), true); // the previous output, or files of a killed run
      }
    }
    fs.delete(runFolder, true);
  }

  /** Run folders and set-aside folders of earlier runs of this output that were killed. */
  private void removeLeftovers() throws IOException {
    String name = output.getName();
    for (FileStatus sibling : fs.listStatus(output.getParent())) {
      String other = sibling.getPath().getName();
      if (other.startsWith(STAGING + name + "-") || other.startsWith(REPLACED + name + "-")) {
        fs.delete(sibling.getPath(), true);
      }
    }
  }

  private void requireFile(Path path) throws IOException {
    if (!fs.exists(path)) {
      throw new IOException("task output " + path + " is missing");
    }
  }

  /**
   * Cleans up after a failure: a previous output is put back if it was moved aside; unless {@code
   * keepForResume}, the run's folder and its files are removed.
   */
  void abort(boolean keepForResume) {
    try {
      if (fs.exists(replaced) && !fs.exists(output)) {
        fs.rename(replaced, output);
      }
      if (keepForResume) {
        return;
      }
      if (commit == Commit.MANIFEST && fs.exists(output)) {
        deleteRunFiles(output);
        Path rejected = new Path(output, RejectedRecordsFile.FOLDER);
        if (fs.exists(rejected)) {
          deleteRunFiles(rejected);
        }
      }
      fs.delete(runFolder, true);
    } catch (IOException e) {
      // The failure that led here is the one to report.
    }
  }

  private void deleteRunFiles(Path folder) throws IOException {
    for (FileStatus entry : fs.listStatus(folder)) {
      String name = entry.getPath().getName();
      if (RUN_FILE.matcher(name).matches() && name.contains("-" + runId + "-")) {
        fs.delete(entry.getPath(), false);
      }
    }
  }

  private byte[] read(Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      in.transferTo(bytes);
      return bytes.toByteArray();
    }
  }

  private void write(Path path, String content) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
