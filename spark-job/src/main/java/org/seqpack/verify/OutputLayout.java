package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.array;
import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.core.Json;
import org.seqpack.verify.Findings.Kind;

/**
 * The entries of an output folder as its {@code _manifest.json} lists them: the data files, the
 * rejected-record files, stats.json; with a finding for {@code _SUCCESS} or the manifest missing, a
 * listed file missing or of another size, and every entry that is not part of an output. Files of
 * runs that never committed (named by run and attempt, docs/FORMAT.md) are not read and not a
 * violation: the next commit removes them.
 */
final class OutputLayout {
  // Names from docs/FORMAT.md, kept apart from the job's constants on purpose.
  static final String STATS_JSON = "stats.json";
  static final String MANIFEST = "_manifest.json";
  private static final String SUCCESS = "_SUCCESS";
  private static final String STAGING_PREFIX = "_staging-";
  private static final long MAX_MANIFEST_BYTES = 64L << 20;

  /**
   * Data file names by format: {@code part-NNNNN} (Megatron, Parquet) or {@code part-NNNNN-SSSSS}
   * (llm.c shards), then {@code -<run>-<attempt>} when committed by manifest, then the extension.
   */
  static final Map<String, Pattern> PART_NAMES =
      Map.of(
          "packed-rows/1", Pattern.compile("part-\\d{5}(-[0-9a-f]+-\\d+)?\\.parquet"),
          "megatron-indexed/1", Pattern.compile("part-\\d{5}(-[0-9a-f]+-\\d+)?\\.(bin|idx)"),
          "llmc-shards/1", Pattern.compile("part-\\d{5}-\\d{5}(-[0-9a-f]+-\\d+)?\\.bin"));

  /** The format of an output without a manifest to say it (the job's first and default one). */
  static final String DEFAULT_FORMAT = "packed-rows/1";

  /** A data or rejected-record file of a run committed by manifest. */
  static final Pattern RUN_FILE =
      Pattern.compile("part-\\d{5}(-\\d{5})?-[0-9a-f]+-\\d+\\.(parquet|jsonl|bin|idx)");

  static final Comparator<FileStatus> BY_NAME =
      Comparator.comparing(status -> status.getPath().getName());

  final FileSystem fs;

  /**
   * The output's format: the manifest's {@code format}, else Parquet rows. Known formats are the
   * keys of {@link #PART_NAMES}; any other is a finding, and the output is read as Parquet.
   */
  final String format;

  /** The data files the manifest lists (all {@code .parquet} files when there is none), by name. */
  final List<FileStatus> dataFiles;

  /** The manifest, or null when missing or unreadable. */
  final JsonNode manifest;

  /** stats.json, or null when missing. */
  final FileStatus stats;

  /** {@code _rejected/}, or null when absent. */
  final FileStatus rejected;

  /**
   * The rejected-record files the manifest lists, by name relative to {@code _rejected/} (null
   * without a manifest: then every file there counts).
   */
  final List<String> rejectedListed;

  /** The run id the manifest gives, or null. */
  final String runId;

  private OutputLayout(
      FileSystem fs,
      String format,
      List<FileStatus> dataFiles,
      JsonNode manifest,
      FileStatus stats,
      FileStatus rejected,
      List<String> rejectedListed,
      String runId) {
    this.fs = fs;
    this.format = format;
    this.dataFiles = dataFiles;
    this.manifest = manifest;
    this.stats = stats;
    this.rejected = rejected;
    this.rejectedListed = rejectedListed;
    this.runId = runId;
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

    Manifest manifest = null;
    for (FileStatus entry : entries) {
      if (entry.getPath().getName().equals(MANIFEST) && entry.isFile()) {
        manifest = Manifest.read(fs, entry, findings);
      }
    }
    if (manifest == null) {
      findings.add(
          Kind.FOLDER,
          MANIFEST,
          "is missing or unreadable: it lists the files of a committed output (docs/FORMAT.md)");
    }

    String format = manifest == null || manifest.format == null ? DEFAULT_FORMAT : manifest.format;
    if (!PART_NAMES.containsKey(format)) {
      findings.add(
          Kind.FOLDER,
          MANIFEST + " format",
          "is '" + format + "'; must be one of " + String.join(", ", PART_NAMES.keySet()));
      format = DEFAULT_FORMAT;
    }
    Pattern partName = PART_NAMES.get(format);
    String extension = format.equals(DEFAULT_FORMAT) ? ".parquet" : ".bin";
    List<FileStatus> dataFiles = new ArrayList<>();
    boolean success = false;
    FileStatus stats = null;
    FileStatus rejected = null;
    int ignored = 0;
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".") || name.equals(MANIFEST)) {
        continue; // checksum files and other hidden files of the filesystem
      }
      if (name.equals(SUCCESS) && entry.isFile()) {
        success = true;
      } else if (name.equals(STATS_JSON) && entry.isFile()) {
        stats = entry;
      } else if ((name.endsWith(extension) || partName.matcher(name).matches()) && entry.isFile()) {
        if (manifest == null) {
          dataFiles.add(entry);
          if (!partName.matcher(name).matches()) {
            findings.add(Kind.FOLDER, name, "is not named " + partName.pattern());
          }
        } else if (manifest.files.containsKey(name)) {
          dataFiles.add(checkListed(entry, manifest.files.get(name), findings));
        } else if (RUN_FILE.matcher(name).matches()) {
          ignored++;
        } else {
          findings.add(Kind.FOLDER, name, "is not listed in " + MANIFEST);
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
            "is not part of an output (the files _manifest.json lists, _rejected/, stats.json and"
                + " _SUCCESS)");
      }
    }
    List<String> rejectedListed = null;
    if (manifest != null) {
      for (String name : manifest.files.keySet()) {
        if (dataFiles.stream().noneMatch(status -> status.getPath().getName().equals(name))) {
          findings.add(Kind.FOLDER, name, "is listed in " + MANIFEST + " but missing");
        }
      }
      rejectedListed = new ArrayList<>();
      for (Map.Entry<String, Long> listed : manifest.rejected.entrySet()) {
        String name = listed.getKey().substring(RejectedRecordsCheck.REJECTED.length() + 1);
        rejectedListed.add(name);
        try {
          checkListed(
              fs.getFileStatus(new Path(new Path(path, RejectedRecordsCheck.REJECTED), name)),
              listed.getValue(),
              findings);
        } catch (FileNotFoundException e) {
          findings.add(Kind.FOLDER, listed.getKey(), "is listed in " + MANIFEST + " but missing");
        } catch (IOException e) {
          findings.add(Kind.FOLDER, listed.getKey(), "cannot be read: " + e.getMessage());
        }
      }
    }
    dataFiles.sort(BY_NAME);
    if (!success) {
      findings.add(
          Kind.FOLDER,
          SUCCESS,
          "is missing: the run did not commit (it failed, was killed or is still running)");
    }
    if (ignored > 0) {
      findings.skipped(
          ignored
              + " data file(s) not in "
              + MANIFEST
              + ": left by runs that never committed, not part of the output (the next commit"
              + " removes them)");
    }
    return new OutputLayout(
        fs,
        format,
        dataFiles,
        manifest == null ? null : manifest.root,
        stats,
        rejected,
        rejectedListed,
        manifest == null ? null : manifest.runId);
  }

  private static FileStatus checkListed(FileStatus file, long bytes, Findings findings) {
    if (file.getLen() != bytes) {
      findings.add(
          Kind.FOLDER,
          file.getPath().getName(),
          "is " + file.getLen() + " bytes; " + MANIFEST + " gives " + bytes);
    }
    return file;
  }

  /** The manifest's data and rejected files with their sizes, by path. */
  private record Manifest(
      String runId,
      String format,
      Map<String, Long> files,
      Map<String, Long> rejected,
      JsonNode root) {
    static Manifest read(FileSystem fs, FileStatus status, Findings findings) {
      if (status.getLen() > MAX_MANIFEST_BYTES) {
        findings.add(Kind.FOLDER, MANIFEST, "is " + status.getLen() + " bytes; too large to read");
        return null;
      }
      JsonNode root;
      try (InputStream in = fs.open(status.getPath())) {
        root = Json.parse(in.readAllBytes());
      } catch (IOException e) {
        findings.add(Kind.FOLDER, MANIFEST, "cannot be read as JSON: " + Json.describe(e));
        return null;
      }
      Map<String, Long> files = paths(root, "files", "", findings);
      Map<String, Long> rejected =
          paths(root, "rejected_files", RejectedRecordsCheck.REJECTED + "/", findings);
      if (!root.isObject() || files == null || rejected == null) {
        findings.add(Kind.FOLDER, MANIFEST, "must be an object with files and rejected_files");
        return null;
      }
      return new Manifest(string(root, "run_id"), string(root, "format"), files, rejected, root);
    }

    /** Paths (under {@code prefix}, no deeper) with their sizes; null when malformed. */
    private static Map<String, Long> paths(
        JsonNode root, String key, String prefix, Findings findings) {
      JsonNode list = root.isObject() ? array(root, key) : null;
      if (list == null) {
        return null;
      }
      Map<String, Long> paths = new LinkedHashMap<>();
      for (JsonNode file : list) {
        String path = file.isObject() ? string(file, "path") : null;
        Long bytes = file.isObject() ? number(file, "bytes") : null;
        if (path == null
            || bytes == null
            || !path.startsWith(prefix)
            || path.substring(prefix.length()).contains("/")) {
          findings.add(
              Kind.FOLDER,
              MANIFEST + " " + key,
              "holds " + file + "; must be {path, bytes} directly in the folder");
          continue;
        }
        paths.put(path, bytes);
      }
      return paths;
    }
  }
}
