package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;
import static org.seqpack.verify.OutputLayout.STATS_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.seqpack.core.Json;
import org.seqpack.verify.Findings.Kind;

/**
 * The rejected records: {@code _rejected/part-NNNNN.jsonl}, one JSON object per line with a {@code
 * reason}; as many files and lines as stats.json's {@code rejected_records} says, and per reason as
 * many lines as {@code documents.rejected} counts (every rejected document is there).
 */
final class RejectedRecordsCheck {
  static final String REJECTED = "_rejected";
  private static final Pattern REJECTED_NAME =
      Pattern.compile("part-\\d{5}(-[0-9a-f]+-\\d+)?\\.jsonl");

  private final FileSystem fs;
  private final List<String> listed;
  private final Findings findings;
  private final Map<String, Long> reasons = new TreeMap<>();
  private long records;
  private int files;

  private RejectedRecordsCheck(FileSystem fs, List<String> listed, Findings findings) {
    this.fs = fs;
    this.listed = listed;
    this.findings = findings;
  }

  /**
   * @param folder {@code _rejected/}, or null when absent
   * @param listed the files of {@code _rejected/} the manifest lists (null: every file counts)
   * @param stats stats.json, or null when missing
   */
  static void check(
      FileSystem fs, FileStatus folder, List<String> listed, JsonNode stats, Findings findings) {
    RejectedRecordsCheck check = new RejectedRecordsCheck(fs, listed, findings);
    if (folder != null && !check.read(folder)) {
      return;
    }
    if (stats != null) {
      check.compare(folder, stats);
    }
  }

  /** Reads every record file; false when the folder cannot be listed. */
  private boolean read(FileStatus folder) {
    FileStatus[] entries;
    try {
      entries = fs.listStatus(folder.getPath());
    } catch (IOException e) {
      findings.add(Kind.REJECTED, REJECTED, "cannot be listed: " + e.getMessage());
      return false;
    }
    Arrays.sort(entries, OutputLayout.BY_NAME);
    for (FileStatus entry : entries) {
      String name = entry.getPath().getName();
      if (name.startsWith(".")) {
        continue;
      }
      if (listed != null && !listed.contains(name)) {
        if (!OutputLayout.RUN_FILE.matcher(name).matches()) {
          findings.add(
              Kind.REJECTED, REJECTED + "/" + name, "is not listed in " + OutputLayout.MANIFEST);
        }
        continue; // a file of a run that never committed
      }
      if (!entry.isFile() || !REJECTED_NAME.matcher(name).matches()) {
        findings.add(
            Kind.REJECTED, REJECTED + "/" + name, "is not a part-NNNNN.jsonl file of records");
        continue;
      }
      files++;
      records += readFile(entry);
    }
    return true;
  }

  /** Counts one file's records by reason; returns its number of lines. */
  private long readFile(FileStatus file) {
    String name = REJECTED + "/" + file.getPath().getName();
    long lines = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(fs.open(file.getPath()), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines++;
        String reason = null;
        try {
          JsonNode record = Json.parse(line);
          if (record.isObject() && record.has("source") && record.has("position")) {
            reason = string(record, "reason");
          }
        } catch (IOException e) {
          // reported below
        }
        if (reason == null) {
          findings.add(
              Kind.REJECTED,
              name + " line " + lines,
              "is not a JSON object with source, position and reason");
        } else {
          reasons.merge(reason, 1L, Long::sum);
        }
      }
    } catch (IOException e) {
      findings.add(Kind.REJECTED, name, "cannot be read: " + e.getMessage());
    }
    return lines;
  }

  private void expectCount(JsonNode recorded, String key, long actual, String what) {
    Long value = number(recorded, key);
    if (value == null || value != actual) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " rejected_records." + key,
          "is " + value + "; " + REJECTED + "/ holds " + actual + " " + what);
    }
  }

  private void compare(FileStatus folder, JsonNode stats) {
    JsonNode recorded = object(stats, "rejected_records");
    JsonNode documents = object(stats, "documents");
    Long rejectedTotal = documents == null ? null : number(documents, "rejected_total");
    if (recorded != null) {
      String name = string(recorded, "folder");
      if (name != null && !name.equals(REJECTED)) {
        findings.add(
            Kind.STATS,
            STATS_JSON + " rejected_records.folder",
            "is '" + name + "'; must be '" + REJECTED + "'");
      }
      expectCount(recorded, "files", files, "record files");
      expectCount(recorded, "records", records, "records");
    } else if (folder != null) {
      findings.add(
          Kind.STATS, STATS_JSON, "has no 'rejected_records', but " + REJECTED + "/ exists");
    }
    if (recorded == null && folder == null) {
      return; // an output from before rejected records were kept
    }
    if (rejectedTotal != null && rejectedTotal != records) {
      findings.add(
          Kind.REJECTED,
          REJECTED,
          "holds "
              + records
              + " records; stats.json documents.rejected_total is "
              + rejectedTotal
              + " (every rejected document must be kept)");
    }
    JsonNode counts = documents == null ? null : object(documents, "rejected");
    if (counts != null) {
      Map<String, Long> expected = new TreeMap<>();
      for (Map.Entry<String, JsonNode> reason : counts.properties()) {
        if (reason.getValue().asLong() != 0) {
          expected.put(reason.getKey(), reason.getValue().asLong());
        }
      }
      if (!expected.equals(reasons)) {
        findings.add(
            Kind.REJECTED,
            REJECTED,
            "holds records by reason "
                + reasons
                + "; stats.json documents.rejected is "
                + expected);
      }
    }
    findings.checked(
        String.format(
            Locale.ROOT,
            "%s/: %,d records in %,d file(s) against stats.json",
            REJECTED,
            records,
            files));
  }
}
