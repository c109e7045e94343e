package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PackingSimulationTest {
  /** Best-fit decreasing written out plainly: O(n · rows), no buckets, no trees. */
  private static long directBestFitRows(List<Integer> lengths, int seqLen) {
    List<Integer> sorted = new ArrayList<>(lengths);
    sorted.sort((a, b) -> b - a);
    List<Integer> free = new ArrayList<>();
    for (int length : sorted) {
      int best = -1;
      for (int r = 0; r < free.size(); r++) {
        if (free.get(r) >= length && (best < 0 || free.get(r) < free.get(best))) {
          best = r;
        }
      }
      if (best < 0) {
        free.add(seqLen - length);
      } else {
        free.set(best, free.get(best) - length);
      }
    }
    return free.size();
  }

  private static long[] histogram(List<Integer> lengths, int seqLen) {
    long[] counts = new long[seqLen + 1];
    for (int length : lengths) {
      counts[length]++;
    }
    return counts;
  }

  @Test
  void literalTable() {
    // 6+4, 5+5, 3+3+3 (and 1 in one of them): 3 rows of 10, 30 tokens, full.
    List<Integer> lengths = List.of(6, 4, 5, 5, 3, 3, 3, 1);
    PackingSimulation.Result result =
        PackingSimulation.pack(histogram(lengths, 10), 10, Long.MAX_VALUE);
    assertEquals(8, result.chunks());
    assertEquals(30, result.tokens());
    assertEquals(3, result.rowsBestFit());
    assertEquals(3, result.rows());
    assertEquals(3, result.lowerBound());
    assertEquals(1.0, result.fill(), 1e-12);
    // Document masking: Σ nᵢ² = 36+16+25+25+9+9+9+1 = 130 pairs; full causal 3 · 10² = 300.
    assertEquals(130.0, result.maskedPairs(), 1e-9);
    assertEquals(300.0, result.causalPairs(), 1e-9);
  }

  @Test
  void bestFitRowsEqualADirectCalculationOnRandomLengths() {
    SplittableRandom random = new SplittableRandom(16);
    for (int trial = 0; trial < 50; trial++) {
      int seqLen = 16 + random.nextInt(200);
      List<Integer> lengths = new ArrayList<>();
      int n = 1 + random.nextInt(300);
      for (int i = 0; i < n; i++) {
        lengths.add(1 + random.nextInt(seqLen));
      }
      PackingSimulation.Result result =
          PackingSimulation.pack(histogram(lengths, seqLen), seqLen, Long.MAX_VALUE);
      assertEquals(directBestFitRows(lengths, seqLen), result.rowsBestFit(), "trial " + trial);
      assertTrue(result.rows() <= result.rowsBestFit() && result.rows() >= result.lowerBound());
      double squares = 0;
      for (int length : lengths) {
        squares += (double) length * length;
      }
      assertEquals(squares, result.maskedPairs(), 1e-6);
    }
  }

  @Test
  void windowsDealEveryChunkOnce() {
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      lengths.add(1 + i % 100);
    }
    long tokens = lengths.stream().mapToLong(Integer::longValue).sum();
    PackingSimulation.Result windowed = PackingSimulation.pack(histogram(lengths, 100), 100, 5_000);
    assertEquals(1000, windowed.chunks());
    assertEquals(tokens, windowed.tokens());
    assertTrue(windowed.rows() >= windowed.lowerBound());
  }

  @Test
  void lengthStatsCutDocumentsAsSplitAndTruncateDo() {
    LengthStats stats = new LengthStats(new int[] {4, 10});
    for (int length : new int[] {3, 4, 5, 8, 9, 12}) {
      stats.add(length);
    }
    // L = 4: 5 -> 4+1, 8 -> 4+4, 9 -> 4+4+1, 12 -> 4+4+4.
    assertEquals(4, stats.documentsOver(0));
    assertEquals(1 + 4 + 5 + 8, stats.tokensOver(0));
    assertEquals(5 + 8 + 9 + 12, stats.tokensInDocumentsOver(0));
    assertEquals(1 + 1 + 2 + 2, stats.splitCuts(0));
    assertArrayEquals(new long[] {0, 2, 0, 1, 9}, stats.splitChunks(0));
    assertArrayEquals(new long[] {0, 0, 0, 1, 5}, stats.truncatedChunks(0));
    // L = 10: only 12 is over, 10 + 2.
    assertEquals(1, stats.documentsOver(1));
    assertEquals(2, stats.tokensOver(1));
    assertEquals(1, stats.splitCuts(1));
    long[] chunks = stats.splitChunks(1);
    assertEquals(1, chunks[10]);
    assertEquals(1, chunks[2]);
    assertEquals(41, stats.tokens());
    LengthStats other = new LengthStats(new int[] {4, 10});
    other.add(12);
    stats.merge(other);
    assertEquals(5, stats.documentsOver(0));
    assertEquals(53, stats.tokens());
  }

  @Test
  void logBucketsHoldTheirLengths() {
    for (long n = 1; n < 200_000; n++) {
      int b = LengthStats.bucket(n);
      assertTrue(LengthStats.bucketStart(b) <= n && n < LengthStats.bucketStart(b + 1), "n=" + n);
    }
    assertEquals(4 * 10, LengthStats.bucket(1024));
    assertEquals(4 * 10 - 1, LengthStats.bucket(1023));
  }
}
