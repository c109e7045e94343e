package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Repair after best-fit decreasing on real chunk lengths: Europarl documents in GPT-2 tokens, L =
 * 1024 (files under {@code lengths/}). The figures in the names are what the defaults reach.
 */
class RowRepairEuroparlTest {
  private static final int CAPACITY = 1024;
  private static final int NO_LIMIT = Integer.MAX_VALUE;

  /** Lengths from a resource: one per line, or "length count"; '#' starts a comment line. */
  static int[] lengths(String name) throws IOException {
    try (InputStream in = RowRepairEuroparlTest.class.getResourceAsStream("/lengths/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int[] out = new int[0];
      int n = 0;
      for (String line : text.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] parts = trimmed.split("\\s+");
        int length = Integer.parseInt(parts[0]);
        int count = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
        out = Arrays.copyOf(out, Math.max(out.length, n + count));
        Arrays.fill(out, n, n + count, length);
        n += count;
      }
      return Arrays.copyOf(out, n);
    }
  }

  static List<Chunk> chunks(int[] lengths) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      chunks.add(new Chunk(new int[lengths[i]], null, 0, lengths[i], i));
    }
    return chunks;
  }

  static long tokens(int[] lengths) {
    long sum = 0;
    for (int length : lengths) {
      sum += length;
    }
    return sum;
  }

  /** Packs with BFD, repairs with the defaults, checks the result; returns {BFD rows, rows}. */
  static int[] packAndRepair(int[] lengths, long seed) {
    List<Chunk> chunks = chunks(lengths);
    List<PackedRow> packed = new BestFitDecreasing().pack(chunks, CAPACITY, NO_LIMIT);
    RowRepair.Work work = new RowRepair.Work();
    List<PackedRow> repaired = new RowRepair().repair(packed, CAPACITY, NO_LIMIT, seed, work);

    Map<Chunk, Boolean> seen = new IdentityHashMap<>();
    for (PackedRow row : repaired) {
      assertTrue(row.length() <= CAPACITY, "row of " + row.length() + " tokens");
      for (Chunk chunk : row.segments()) {
        assertEquals(null, seen.put(chunk, true), "chunk placed twice");
      }
    }
    assertEquals(chunks.size(), seen.size());
    assertTrue(repaired.size() <= packed.size());
    assertTrue(work.rounds <= (long) RowRepair.DEFAULT_ROUNDS_PER_ROW * packed.size());
    assertTrue(work.nodes <= work.rounds * (RowRepair.DEFAULT_NODE_LIMIT + 1));
    return new int[] {packed.size(), repaired.size()};
  }

  static double fill(long tokens, int rows) {
    return tokens / (rows * (double) CAPACITY);
  }

  @Test
  void halvesAsTwoPartitions_242Plus229RowsBecome239Plus227_fillFrom98_5To99_5Percent()
      throws IOException {
    int[] all = lengths("europarl-1056.txt");
    assertEquals(1056, all.length);
    assertEquals(474_854, tokens(all));
    int half = all.length / 2;
    int[] first = packAndRepair(Arrays.copyOfRange(all, 0, half), 0);
    int[] second = packAndRepair(Arrays.copyOfRange(all, half, all.length), 1);

    assertEquals(242, first[0]);
    assertEquals(229, second[0]);
    // Lower bounds ⌈tokens / L⌉ are 239 and 226.
    assertTrue(first[1] <= 239, "first half: " + first[1] + " rows");
    assertTrue(second[1] <= 227, "second half: " + second[1] + " rows");
    int rows = first[1] + second[1];
    assertTrue(rows <= 468, rows + " rows");
    assertTrue(fill(tokens(all), rows) >= 0.99, "fill " + fill(tokens(all), rows));
  }

  @Test
  void wholeList_470RowsBecome465_bound464_fillFrom98_7To99_7Percent() throws IOException {
    int[] all = lengths("europarl-1056.txt");
    int[] rows = packAndRepair(all, 0);
    assertEquals(470, rows[0]);
    assertTrue(rows[1] <= 465, rows[1] + " rows");
  }

  @Test
  void wholeCorpus_8296RowsBecome8233_bound8231_fillFrom99_21To99_97Percent() throws IOException {
    int[] full = lengths("europarl-full-histogram.txt");
    assertEquals(18_538, full.length);
    assertEquals(8231, (tokens(full) + CAPACITY - 1) / CAPACITY);
    int[] rows = packAndRepair(full, 0);
    assertEquals(8296, rows[0]);
    assertTrue(rows[1] <= 8233, rows[1] + " rows");
    assertTrue(fill(tokens(full), rows[1]) >= 0.999);
  }
}
