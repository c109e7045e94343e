package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Invariants of {@link RowRepair} over random windows packed by every strategy. */
class RowRepairPropertiesTest {

  @Provide
  Arbitrary<Integer> maxSegments() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 6), Arbitraries.just(Integer.MAX_VALUE));
  }

  @Provide
  Arbitrary<PackingStrategy> strategies() {
    // CONCAT cuts documents across rows, so its rows are already at the bound.
    return Arbitraries.of(
        PackingStrategy.BFD, PackingStrategy.FFD, PackingStrategy.FIRST_FIT, PackingStrategy.NONE);
  }

  @Property(tries = 1500)
  void rowsKeepEveryChunkOnceWithinTheLimits(
      @ForAll("strategies") PackingStrategy strategy,
      @ForAll @Size(max = 120) List<@IntRange(min = 1, max = 200) Integer> lengths,
      @ForAll @IntRange(min = 1, max = 200) int capacity,
      @ForAll("maxSegments") int maxSegments,
      @ForAll @IntRange(min = 0, max = 6) int roundsPerRow,
      @ForAll @IntRange(min = 1, max = 500) int nodeLimit,
      @ForAll long seed) {
    List<Chunk> chunks = window(lengths, capacity);
    List<PackedRow> rows = strategy.packer().pack(chunks, capacity, maxSegments);
    RowRepair repair = new RowRepair(roundsPerRow, nodeLimit);
    List<PackedRow> repaired = repair.repair(rows, capacity, maxSegments, seed);

    long tokens = 0;
    for (Chunk chunk : chunks) {
      tokens += chunk.length();
    }
    long bound = RowRepair.lowerBound(tokens, chunks.size(), capacity, maxSegments);
    assertTrue(repaired.size() <= rows.size(), repaired.size() + " rows > " + rows.size());
    assertTrue(repaired.size() >= bound, "fewer rows than the bound");
    if (rows.size() == bound || roundsPerRow == 0) {
      assertSame(rows, repaired);
    }

    Map<Chunk, Boolean> seen = new IdentityHashMap<>();
    for (PackedRow row : repaired) {
      assertTrue(row.length() <= capacity, "row of " + row.length() + " tokens");
      assertTrue(row.length() >= 1, "empty row");
      assertTrue(row.segments().size() <= maxSegments, row.segments().size() + " segments");
      for (Chunk chunk : row.segments()) {
        assertNull(seen.put(chunk, true), "chunk placed twice");
      }
    }
    assertEquals(chunks.size(), seen.size(), "chunks lost");

    // Untouched rows are the input's objects, in input order; new rows list chunks longest first.
    Map<PackedRow, Integer> inputIndex = new IdentityHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      inputIndex.put(rows.get(i), i);
    }
    int last = -1;
    for (PackedRow row : repaired) {
      Integer index = inputIndex.get(row);
      if (index != null) {
        assertTrue(index > last, "untouched rows out of order");
        last = index;
      } else {
        for (int j = 1; j < row.segments().size(); j++) {
          assertTrue(row.segments().get(j - 1).length() >= row.segments().get(j).length());
        }
      }
    }

    // Deterministic: the same rows and seed again give the same rows.
    assertEquals(repaired, repair.repair(new ArrayList<>(rows), capacity, maxSegments, seed));
  }

  @Property(tries = 300)
  void smallWindowsEndAtLeastAsFewAsBestFitDecreasing(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 50) Integer> lengths,
      @ForAll("maxSegments") int maxSegments,
      @ForAll long seed) {
    // One chunk per row: ten rows or fewer form a single pool.
    int capacity = 50;
    List<Chunk> chunks = window(lengths, capacity);
    List<PackedRow> rows = PackingStrategy.NONE.packer().pack(chunks, capacity, maxSegments);
    // A node limit high enough that the branch and bound is exhaustive on ten chunks.
    List<PackedRow> repaired =
        new RowRepair(1, 1_000_000).repair(rows, capacity, maxSegments, seed);
    List<PackedRow> bfd = PackingStrategy.BFD.packer().pack(chunks, capacity, maxSegments);
    assertTrue(repaired.size() <= bfd.size(), repaired.size() + " rows > BFD's " + bfd.size());
  }

  @Property(tries = 1000)
  void branchAndBoundFindsTheFewestBins(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 30) Integer> lengths,
      @ForAll @IntRange(min = 30, max = 60) int capacity,
      @ForAll("maxSegments") int maxSegments) {
    int[] sizes = longestFirst(lengths);
    int fewest =
        fewestBins(
            sizes,
            0,
            new int[sizes.length],
            new int[sizes.length],
            0,
            capacity,
            maxSegments,
            sizes.length);
    RowRepair.BranchAndBound search = new RowRepair.BranchAndBound(capacity, maxSegments);
    int[] binOf = search.solve(sizes, sizes.length - 1, 1_000_000);
    if (fewest == sizes.length) {
      assertNull(binOf);
    } else {
      assertValid(sizes, binOf, capacity, maxSegments);
      assertEquals(fewest, Arrays.stream(binOf).max().getAsInt() + 1);
    }
  }

  @Property(tries = 1000)
  void minimumSlackFillsTheFirstBinBest(
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 1, max = 40) Integer> lengths,
      @ForAll @IntRange(min = 40, max = 100) int capacity,
      @ForAll("maxSegments") int maxSegments) {
    int[] sizes = longestFirst(lengths);
    int[] binOf = new RowRepair.MinimumSlack(capacity, maxSegments).pack(sizes);
    assertValid(sizes, binOf, capacity, maxSegments);
    // Bin 0 holds the longest item and the best subset of the others within the limits.
    assertEquals(0, binOf[0]);
    int best = 0;
    for (int mask = 0; mask < 1 << sizes.length; mask += 2) {
      int sum = sizes[0];
      for (int i = 1; i < sizes.length; i++) {
        sum += (mask >> i & 1) * sizes[i];
      }
      if (sum <= capacity && Integer.bitCount(mask) + 1 <= maxSegments) {
        best = Math.max(best, sum);
      }
    }
    int first = 0;
    for (int i = 0; i < sizes.length; i++) {
      first += binOf[i] == 0 ? sizes[i] : 0;
    }
    assertEquals(best, first);
  }

  private static int[] longestFirst(List<Integer> lengths) {
    return lengths.stream().sorted((x, y) -> y - x).mapToInt(Integer::intValue).toArray();
  }

  private static void assertValid(int[] sizes, int[] binOf, int capacity, int maxSegments) {
    int[] tokens = new int[sizes.length];
    int[] segments = new int[sizes.length];
    for (int i = 0; i < sizes.length; i++) {
      tokens[binOf[i]] += sizes[i];
      segments[binOf[i]]++;
    }
    for (int b = 0; b < sizes.length; b++) {
      assertTrue(tokens[b] <= capacity && segments[b] <= maxSegments, "bin " + b + " over");
    }
  }

  /** Exhaustive: the fewest bins for items i onwards, given the open bins' contents. */
  private static int fewestBins(
      int[] sizes,
      int i,
      int[] tokens,
      int[] segments,
      int open,
      int capacity,
      int maxSegments,
      int best) {
    if (open >= best) {
      return best;
    }
    if (i == sizes.length) {
      return open;
    }
    for (int b = 0; b <= open && b < sizes.length; b++) {
      if (tokens[b] + sizes[i] <= capacity && segments[b] < maxSegments) {
        tokens[b] += sizes[i];
        segments[b]++;
        best =
            fewestBins(
                sizes, i + 1, tokens, segments, Math.max(open, b + 1), capacity, maxSegments, best);
        tokens[b] -= sizes[i];
        segments[b]--;
      }
    }
    return best;
  }

  /** One chunk per length (cut to the capacity), document i holding length i. */
  static List<Chunk> window(List<Integer> lengths, int capacity) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      int length = Math.min(lengths.get(i), capacity);
      chunks.add(Chunk.of(Fixtures.positions(length), i));
    }
    return chunks;
  }
}
