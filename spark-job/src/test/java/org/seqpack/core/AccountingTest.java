package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The end-of-run checks: nothing lost, nothing injected, rejections bounded. */
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
    assertDoesNotThrow(() -> Accounting.check(balanced()));
  }

  /** The message with which the check fails on balanced accounts after {@code breakage}. */
  private static String failure(Consumer<PackStats> breakage) {
    PackStats stats = balanced();
    breakage.accept(stats);
    return assertThrows(SeqpackException.class, () -> Accounting.check(stats)).getMessage();
  }

  @Test
  void aDocumentNeitherPackedNorRejectedFailsTheRun() {
    assertEquals(
        "accounting failed: 11 documents read != 8 packed + 2 rejected",
        failure(stats -> stats.documentsRead = 11));
  }

  @Test
  void aDocumentCountedTwiceFailsTheRun() {
    assertEquals(
        "accounting failed: 10 documents read != 9 packed + 2 rejected",
        failure(stats -> stats.documentsPacked = 9));
  }

  @Test
  void aRejectionMissingFromTheRejectedFolderFailsTheRun() {
    assertEquals(
        "accounting failed: 2 documents rejected != 1 records written to _rejected/",
        failure(stats -> stats.rejectedRecordsWritten = 1));
  }

  @Test
  void tokensNotInRowsFailTheRun() {
    assertEquals(
        "accounting failed: 1000 tokens packed != 999 in rows",
        failure(stats -> stats.rowTokens = 999));
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
          assertThrows(
              SeqpackException.class,
              () -> Accounting.checkRejectedFraction(stats, max, "output.max-rejected-fraction"));
      assertTrue(e.getMessage().contains("output.max-rejected-fraction"), e.getMessage());
    } else {
      assertDoesNotThrow(
          () -> Accounting.checkRejectedFraction(stats, max, "output.max-rejected-fraction"));
    }
  }

  @Test
  void warnsAboveOnePercentRejected() {
    PackStats stats = new PackStats();
    stats.documentsRead = 100;
    stats.documentsPacked = 98;
    stats.reject("empty");
    assertEquals(List.of(), Accounting.warnings(stats));
    stats.documentsPacked = 97;
    stats.reject("invalid_json");
    assertEquals(
        List.of(
            "2.00 % of the documents were rejected {empty=1, invalid_json=1} (above 1 %; see"
                + " _rejected/)"),
        Accounting.warnings(stats));
  }
}
