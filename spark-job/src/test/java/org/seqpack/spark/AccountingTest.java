package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seqpack.core.PackStats;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;

/**
 * The end-of-run checks (nothing lost, nothing injected) and what a failed run leaves behind:
 * neither {@code _SUCCESS} nor {@code stats.json}. (A failure of these checks inside a real run
 * takes the same path as {@code HostileInputTest}'s rejected-fraction failure.)
 */
class AccountingTest {

  private static PackStats balanced() {
    PackStats stats = new PackStats();
    stats.documentsRead = 10;
    stats.documentsPacked = 8;
    stats.reject("empty");
    stats.reject("invalid_json");
    stats.rejectedRecordsWritten = 2;
    stats.tokens = 1000;
    stats.rowTokens = 1000;
    return stats;
  }

  @Test
  void balancedAccountsPass() {
    assertDoesNotThrow(() -> PrepareJob.checkAccounting(balanced()));
  }

  @Test
  void aDocumentNeitherPackedNorRejectedFailsTheRun() {
    PackStats stats = balanced();
    stats.documentsRead = 11;
    SeqpackException e =
        assertThrows(SeqpackException.class, () -> PrepareJob.checkAccounting(stats));
    assertEquals("accounting failed: 11 documents read != 8 packed + 2 rejected", e.getMessage());
  }

  @Test
  void aDocumentCountedTwiceFailsTheRun() {
    PackStats stats = balanced();
    stats.documentsPacked = 9;
    assertThrows(SeqpackException.class, () -> PrepareJob.checkAccounting(stats));
  }

  @Test
  void aRejectionMissingFromTheRejectedFolderFailsTheRun() {
    PackStats stats = balanced();
    stats.rejectedRecordsWritten = 1;
    SeqpackException e =
        assertThrows(SeqpackException.class, () -> PrepareJob.checkAccounting(stats));
    assertEquals(
        "accounting failed: 2 documents rejected != 1 records written to _rejected/",
        e.getMessage());
  }

  @Test
  void tokensNotInRowsFailTheRun() {
    PackStats stats = balanced();
    stats.rowTokens = 999;
    SeqpackException e =
        assertThrows(SeqpackException.class, () -> PrepareJob.checkAccounting(stats));
    assertEquals("accounting failed: 1000 tokens packed != 999 in rows", e.getMessage());
  }

  @ParameterizedTest(name = "{1} of {0} rejected, max {2}: fails {3}")
  @CsvSource({
    "100, 0, 0.0, false",
    "100, 1, 0.0, true",
    "100, 5, 0.05, false",
    "100, 6, 0.05, true",
    "100, 99, 1.0, false",
    "100, 100, 1.0, true", // every document rejected: always a failure
    "0, 0, 0.0, false", // nothing read: nothing to judge
  })
  void rejectedFraction(long read, long rejected, double max, boolean fails) {
    PackStats stats = new PackStats();
    stats.documentsRead = read;
    stats.documentsPacked = read - rejected;
    for (long i = 0; i < rejected; i++) {
      stats.reject("empty");
    }
    if (fails) {
      SeqpackException e =
          assertThrows(SeqpackException.class, () -> PrepareJob.checkRejectedFraction(stats, max));
      assertTrue(e.getMessage().contains("output.max-rejected-fraction"), e.getMessage());
    } else {
      assertDoesNotThrow(() -> PrepareJob.checkRejectedFraction(stats, max));
    }
  }

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
