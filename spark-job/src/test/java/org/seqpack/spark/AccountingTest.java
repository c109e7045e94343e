package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.core.Json;
import org.seqpack.core.OutputFile;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackStats;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.RunIdentity;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;

/**
 * What a commit publishes, under either commit protocol, and what a failed run leaves behind:
 * neither {@code _SUCCESS} nor {@code stats.json} nor a manifest (the checks themselves are {@code
 * core.AccountingTest}; a failure of them inside a real run takes the same path as {@code
 * HostileInputTest}'s rejected-fraction failure).
 */
class AccountingTest {

  private static PartitionResult result(String file, String rejectedFile, long rejectedBytes) {
    PackStats stats = new PackStats();
    stats.rows = 1;
    stats.outputBytes = 4;
    stats.rejectedRecordsWritten = rejectedFile == null ? 0 : 1;
    return new PartitionResult(
        0, List.of(OutputFile.rows(file, 4, 1)), rejectedFile, rejectedBytes, stats);
  }

  private static RunIdentity identity(String runId) {
    return new RunIdentity(runId, 1, "rename", Map.of(), "t", "", "i", 1, 1, 1, "b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rename", "manifest"})
  void aFailedCommitLeavesNeitherStatsNorSuccess(String commit, @TempDir Path tmp)
      throws IOException {
    Path output = tmp.resolve("out");
    OutputFolder folder = new OutputFolder(output.toString(), "ab01", commit, new Configuration());
    folder.prepare(identity("ab01"));
    TaskFiles files = folder.taskFiles();
    Path data = Path.of(new org.apache.hadoop.fs.Path(files.dataFolder()).toUri());
    Files.createDirectories(data);
    String name = files.dataFileName(0, 7);
    Files.writeString(data.resolve(name), "rows");
    // The rejected records of partition 0 are missing: the commit fails before publishing.
    assertThrows(
        IOException.class,
        () ->
            folder.commit(
                List.of(result(name, files.rejectedFileName(0, 7), 3)),
                "{\"stats\": 1}",
                OutputFormat.PARQUET,
                "t",
                Map.of()));
    folder.abort(false);
    assertFalse(Files.exists(output.resolve("_SUCCESS")));
    assertFalse(Files.exists(output.resolve("stats.json")));
    assertFalse(Files.exists(output.resolve("_manifest.json")));
    assertFalse(Files.exists(Path.of(folder.runFolder().toUri())));
    assertFalse(Files.exists(data.resolve(name)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"rename", "manifest"})
  void aCommitPublishesDataRejectedRecordsStatsManifestAndSuccess(String commit, @TempDir Path tmp)
      throws IOException {
    Path output = tmp.resolve("out");
    // A previous output and a file a killed run left: the commit replaces the one and removes the
    // other.
    Files.createDirectories(output);
    Files.writeString(output.resolve("part-00000.parquet"), "old");
    Files.writeString(output.resolve("part-00001-cd02-5.parquet"), "killed");
    OutputFolder folder = new OutputFolder(output.toString(), "ab02", commit, new Configuration());
    folder.prepare(identity("ab02"));
    TaskFiles files = folder.taskFiles();
    Path data = Path.of(new org.apache.hadoop.fs.Path(files.dataFolder()).toUri());
    String name = files.dataFileName(0, 7);
    String rejected = files.rejectedFileName(0, 7);
    Files.writeString(data.resolve(name), "rows");
    Files.createDirectories(data.resolve("_rejected"));
    Files.writeString(data.resolve("_rejected").resolve(rejected), "{}\n");
    folder.commit(List.of(result(name, rejected, 3)), "{}", OutputFormat.PARQUET, "t", Map.of());

    try (Stream<Path> entries = Files.list(output)) {
      assertEquals(
          Stream.of("_SUCCESS", "_manifest.json", "_rejected", name, "stats.json")
              .sorted()
              .toList(),
          entries
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .sorted()
              .toList());
    }
    assertEquals("rows", Files.readString(output.resolve(name)));
    assertEquals("{}\n", Files.readString(output.resolve("_rejected").resolve(rejected)));
    JsonNode manifest = Json.parse(Files.readAllBytes(output.resolve("_manifest.json")));
    assertEquals("ab02", manifest.get("run_id").asText());
    assertEquals(commit, manifest.get("commit").asText());
    assertEquals(name, manifest.get("files").get(0).get("path").asText());
    assertEquals(4, manifest.get("files").get(0).get("bytes").asLong());
    assertEquals(1, manifest.get("files").get(0).get("rows").asLong());
    assertEquals(
        "_rejected/" + rejected, manifest.get("rejected_files").get(0).get("path").asText());
    assertFalse(Files.exists(Path.of(folder.runFolder().toUri())));
    assertEquals(commit.equals("manifest"), name.contains("-ab02-7"), name);
  }

  @Test
  void autoCommitsByRenameOnLocalDisks(@TempDir Path tmp) {
    OutputFolder folder =
        new OutputFolder(tmp.resolve("out").toString(), "ab03", "auto", new Configuration());
    assertEquals(OutputFolder.Commit.RENAME, folder.commit());
  }

  @Test
  void filesOfARunThatNeverCommittedDoNotCountAsAnOutput(@TempDir Path tmp) throws IOException {
    Path output = tmp.resolve("out");
    Files.createDirectories(output.resolve("_rejected"));
    Files.writeString(output.resolve("part-00003-ab04-12.parquet"), "half");
    OutputFolder folder =
        new OutputFolder(output.toString(), "ab05", "manifest", new Configuration());
    folder.checkWritable(false);
    Files.writeString(output.resolve("_manifest.json"), "{}");
    SeqpackException refused =
        assertThrows(SeqpackException.class, () -> folder.checkWritable(false));
    assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
  }

  /** A retried or speculative attempt replaces the partition's file: no duplicated lines. */
  @Test
  void aRetriedTaskDoesNotDuplicateRejectedRecords(@TempDir Path tmp) throws IOException {
    String staging = new org.apache.hadoop.fs.Path(tmp.toUri()).toString();
    TaskFiles files = new TaskFiles(staging, staging, "ab06", false, true);
    Configuration conf = new Configuration();
    List<SourceDocument> records =
        List.of(
            SourceDocument.rejected("file:/in.jsonl", 0, "invalid_json", "{"),
            SourceDocument.rejected("file:/in.jsonl", 2, "empty", ""));

    // Attempt 1 dies half way: nothing under the partition's name, its attempt file is gone.
    try (RejectedRecordsFile failed =
        new RejectedRecordsFile(files, 3, 101, conf, new PackStats())) {
      failed.accept(records.get(0));
    }
    assertFalse(Files.exists(tmp.resolve("_rejected/part-00003.jsonl")));
    // Attempts 2 and 3 (say, a speculative copy) both complete.
    for (long attempt : new long[] {102, 103}) {
      PackStats stats = new PackStats();
      try (RejectedRecordsFile file = new RejectedRecordsFile(files, 3, attempt, conf, stats)) {
        records.forEach(file);
        assertEquals("part-00003.jsonl", file.commit());
      }
      assertEquals(2, stats.rejectedRecordsWritten);
    }
    List<String> lines =
        Files.readAllLines(tmp.resolve("_rejected/part-00003.jsonl"), StandardCharsets.UTF_8);
    assertEquals(2, lines.size());
    try (Stream<Path> attempts = Files.list(tmp.resolve("_attempts"))) {
      assertEquals(
          List.of(),
          attempts.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
    }
  }
}
