package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.core.PackStats;
import org.seqpack.core.SourceDocument;

/**
 * What a failed run leaves behind: neither {@code _SUCCESS} nor {@code stats.json} (the checks
 * themselves are {@code core.AccountingTest}; a failure of them inside a real run takes the same
 * path as {@code HostileInputTest}'s rejected-fraction failure).
 */
class AccountingTest {

  @Test
  void aFailedCommitLeavesNeitherStatsNorSuccess(@TempDir Path tmp) throws IOException {
    Path output = tmp.resolve("out");
    OutputFolder folder = new OutputFolder(output.toString(), "run1", new Configuration());
    folder.prepare();
    Path staging = Path.of(folder.staging().toUri());
    Files.writeString(staging.resolve("part-00000.parquet"), "rows");
    // The rejected records of partition 0 are missing: the commit fails after moving data.
    assertThrows(
        IOException.class,
        () ->
            folder.commit(
                List.of("part-00000.parquet"), List.of("part-00000.jsonl"), "{\"stats\": 1}"));
    folder.abort();
    assertFalse(Files.exists(output.resolve("_SUCCESS")));
    assertFalse(Files.exists(output.resolve("stats.json")));
    assertFalse(Files.exists(staging));
  }

  @Test
  void aCommitMovesDataAndRejectedRecordsThenStatsThenSuccess(@TempDir Path tmp)
      throws IOException {
    Path output = tmp.resolve("out");
    OutputFolder folder = new OutputFolder(output.toString(), "run2", new Configuration());
    folder.prepare();
    Path staging = Path.of(folder.staging().toUri());
    Files.writeString(staging.resolve("part-00000.parquet"), "rows");
    Files.createDirectories(staging.resolve("_rejected"));
    Files.writeString(staging.resolve("_rejected/part-00000.jsonl"), "{}\n");
    folder.commit(List.of("part-00000.parquet"), List.of("part-00000.jsonl"), "{}");
    assertTrue(Files.exists(output.resolve("part-00000.parquet")));
    assertEquals("{}\n", Files.readString(output.resolve("_rejected/part-00000.jsonl")));
    assertTrue(Files.exists(output.resolve("stats.json")));
    assertTrue(Files.exists(output.resolve("_SUCCESS")));
    assertFalse(Files.exists(staging));
  }

  /** A retried or speculative attempt replaces the partition's file: no duplicated lines. */
  @Test
  void aRetriedTaskDoesNotDuplicateRejectedRecords(@TempDir Path tmp) throws IOException {
    org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(tmp.toUri());
    Configuration conf = new Configuration();
    List<SourceDocument> records =
        List.of(
            SourceDocument.rejected("file:/in.jsonl", 0, "invalid_json", "{"),
            SourceDocument.rejected("file:/in.jsonl", 2, "empty", ""));

    // Attempt 1 dies half way: nothing under the partition's name, its attempt file is gone.
    try (RejectedRecordsFile failed =
        new RejectedRecordsFile(staging, 3, 101, conf, new PackStats())) {
      failed.accept(records.get(0));
    }
    assertFalse(Files.exists(tmp.resolve("_rejected/part-00003.jsonl")));
    // Attempts 2 and 3 (say, a speculative copy) both complete.
    for (long attempt : new long[] {102, 103}) {
      PackStats stats = new PackStats();
      try (RejectedRecordsFile file = new RejectedRecordsFile(staging, 3, attempt, conf, stats)) {
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
