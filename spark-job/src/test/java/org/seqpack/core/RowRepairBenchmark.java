package org.seqpack.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cost of {@link RowRepair} after best-fit decreasing on the Europarl chunk lengths of {@link
 * RowRepairEuroparlTest} (GPT-2, L = 1024): rows, milliseconds per 1,000 input rows (best of five,
 * after three warm-up passes) and the repair's work counters. Run by {@code bench/packing.sh
 * repair}; figures, not a test. It lives in org.seqpack.core for RowRepair.Work's counters.
 */
public final class RowRepairBenchmark {
  private static final int CAPACITY = 1024;
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  private RowRepairBenchmark() {}

  public static void main(String[] args) throws IOException {
    int[] all = RowRepairEuroparlTest.lengths("europarl-1056.txt");
    int half = all.length / 2;
    int[][] windows = {
      Arrays.copyOfRange(all, 0, half),
      Arrays.copyOfRange(all, half, all.length),
      all,
      RowRepairEuroparlTest.lengths("europarl-full-histogram.txt")
    };
    String[] names = {"first half", "second half", "1,056 chunks", "18,538 chunks"};
    List<List<PackedRow>> packed = new ArrayList<>();
    for (int[] window : windows) {
      packed.add(
          new BestFitDecreasing().pack(RowRepairEuroparlTest.chunks(window), CAPACITY, NO_LIMIT));
    }
    for (int warmUp = 0; warmUp < 3; warmUp++) {
      for (List<PackedRow> rows : packed) {
        new RowRepair().repair(rows, CAPACITY, NO_LIMIT, warmUp);
      }
    }
    for (int w = 0; w < windows.length; w++) {
      long best = Long.MAX_VALUE;
      RowRepair.Work work = null;
      int rows = 0;
      for (int repeat = 0; repeat < 5; repeat++) {
        work = new RowRepair.Work();
        long start = System.nanoTime();
        rows = new RowRepair().repair(packed.get(w), CAPACITY, NO_LIMIT, 0, work).size();
        best = Math.min(best, System.nanoTime() - start);
      }
      System.out.printf(
          Locale.ROOT,
          "%s: BFD %d rows -> %d (bound %d), %.2f ms = %.1f ms per 1,000 rows;"
              + " %d rounds, %d accepted, %d nodes%n",
          names[w],
          packed.get(w).size(),
          rows,
          (RowRepairEuroparlTest.tokens(windows[w]) + CAPACITY - 1) / CAPACITY,
          best / 1e6,
          best / 1e3 / packed.get(w).size(),
          work.rounds,
          work.accepted,
          work.nodes);
    }
  }
}
