package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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

/** Invariants of every strategy over random documents cut by every long-document policy. */
class PackerPropertiesTest {

  @Provide
  Arbitrary<Integer> maxSegments() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 6), Arbitraries.just(Integer.MAX_VALUE));
  }

  /** The chunks of random documents (token p of a document is p) under a policy. */
  static List<Chunk> window(List<Integer> lengths, int capacity, LongDocPolicy policy, int stride) {
    DocumentChunker chunker = new DocumentChunker(capacity, policy, 1 + (stride - 1) % capacity);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < lengths.size(); i++) {
      chunks.addAll(chunker.chunk(Fixtures.positions(lengths.get(i)), i));
    }
    return chunks;
  }

  @Property(tries = 1500)
  void rowsRespectTheContract(
      @ForAll PackingStrategy strategy,
      @ForAll LongDocPolicy policy,
      @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 300) Integer> lengths,
      @ForAll @IntRange(min = 2, max = 128) int capacity,
      @ForAll("maxSegments") int maxSegments,
      @ForAll @IntRange(min = 1, max = 128) int stride) {
    List<Chunk> chunks = window(lengths, capacity, policy, stride);
    List<PackedRow> rows = strategy.packer().pack(chunks, capacity, maxSegments);

    long tokens = 0;
    for (Chunk chunk : chunks) {
      tokens += chunk.length();
    }
    long placed = 0;
    for (PackedRow row : rows) {
      assertTrue(row.length() <= capacity, "row of " + row.length() + " tokens");
      assertTrue(row.length() >= 1, "empty row");
      assertTrue(row.segments().size() <= maxSegments, "row of " + row.segments().size());
      placed += row.length();
    }
    assertEquals(tokens, placed);
    assertTrue(rows.size() >= (tokens + capacity - 1) / capacity, "fewer rows than the bound");

    // Deterministic: the same chunks again give equal rows.
    assertEquals(rows, strategy.packer().pack(new ArrayList<>(chunks), capacity, maxSegments));

    if (strategy == PackingStrategy.CONCAT) {
      assertConcatenation(chunks, rows, capacity, maxSegments);
    } else {
      assertEachChunkOnce(chunks, rows);
    }
    if (strategy == PackingStrategy.BFD
        || strategy == PackingStrategy.FFD
        || strategy == PackingStrategy.FIRST_FIT) {
      assertAnyFit(rows, capacity, maxSegments);
    }
  }

  private static void assertEachChunkOnce(List<Chunk> chunks, List<PackedRow> rows) {
    Map<Chunk, Integer> seen = new IdentityHashMap<>();
    for (PackedRow row : rows) {
      for (Chunk chunk : row.segments()) {
        seen.merge(chunk, 1, Integer::sum);
      }
    }
    assertEquals(chunks.size(), seen.size(), "distinct chunks placed");
    for (Chunk chunk : chunks) {
      assertEquals(1, seen.getOrDefault(chunk, 0), "placements of a chunk");
    }
  }

  /** Rows full but the last (or closed by the segment limit); tokens and targets once, in order. */
  private static void assertConcatenation(
      List<Chunk> chunks, List<PackedRow> rows, int capacity, int maxSegments) {
    for (int r = 0; r + 1 < rows.size(); r++) {
      PackedRow row = rows.get(r);
      assertTrue(
          row.length() == capacity || row.segments().size() == maxSegments,
          "row " + r + " of " + rows.size() + " has " + row.length() + " tokens");
    }
    int r = 0;
    int s = 0;
    int i = 0;
    for (Chunk chunk : chunks) {
      for (int p = 0; p < chunk.length(); p++) {
        while (i == rows.get(r).segments().get(s).length()) {
          i = 0;
          if (++s == rows.get(r).segments().size()) {
            s = 0;
            r++;
          }
        }
        Chunk piece = rows.get(r).segments().get(s);
        assertSame(chunk.tokens(), piece.tokens());
        assertSame(chunk.targets(), piece.targets());
        assertEquals(chunk.document(), piece.document());
        assertEquals(chunk.offset() + p, piece.offset() + i);
        i++;
      }
    }
    assertTrue(rows.isEmpty() || (r == rows.size() - 1 && s == rows.get(r).segments().size() - 1));
  }

  /**
   * Any-fit: a row opens only when no open row has room, so two rows hold more than L together
   * unless the earlier one was closed by the segment limit. Hence rows < 2 * tokens / L + 1.
   */
  private static void assertAnyFit(List<PackedRow> rows, int capacity, int maxSegments) {
    for (int a = 0; a < rows.size(); a++) {
      for (int b = a + 1; b < rows.size(); b++) {
        PackedRow first = rows.get(a);
        if (first.segments().size() < maxSegments) {
          assertTrue(first.length() + rows.get(b).length() > capacity, "rows " + a + " and " + b);
        }
      }
    }
  }

  @Property(tries = 500)
  void firstFitMatchesAQuadraticReference(
      @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 40) Integer> lengths,
      @ForAll @IntRange(min = 40, max = 64) int capacity,
      @ForAll("maxSegments") int maxSegments) {
    List<Chunk> chunks = Fixtures.chunks(lengths.stream().mapToInt(Integer::intValue).toArray());
    assertEquals(
        Fixtures.show(Reference.firstFit(chunks, capacity, maxSegments)),
        Fixtures.show(new FirstFit().pack(chunks, capacity, maxSegments)));
    List<Chunk> sorted = new ArrayList<>(chunks);
    sorted.sort((x, y) -> Integer.compare(y.length(), x.length()));
    assertEquals(
        Fixtures.show(Reference.firstFit(sorted, capacity, maxSegments)),
        Fixtures.show(new FirstFitDecreasing().pack(chunks, capacity, maxSegments)));
    assertEquals(
        Fixtures.show(Reference.bestFit(sorted, capacity, maxSegments)),
        Fixtures.show(new BestFitDecreasing().pack(chunks, capacity, maxSegments)));
  }

  /** Obvious quadratic packers to check the fast ones against. */
  static final class Reference {
    private Reference() {}

    static List<PackedRow> firstFit(List<Chunk> chunks, int capacity, int maxSegments) {
      List<List<Chunk>> rows = new ArrayList<>();
      List<Integer> used = new ArrayList<>();
      for (Chunk chunk : chunks) {
        int row = 0;
        while (row < rows.size()
            && (used.get(row) + chunk.length() > capacity || rows.get(row).size() == maxSegments)) {
          row++;
        }
        if (row == rows.size()) {
          rows.add(new ArrayList<>());
          used.add(0);
        }
        rows.get(row).add(chunk);
        used.set(row, used.get(row) + chunk.length());
      }
      return rows.stream().map(PackedRow::of).toList();
    }

    /** Tightest open row; among equals the most recently touched. */
    static List<PackedRow> bestFit(List<Chunk> chunks, int capacity, int maxSegments) {
      List<List<Chunk>> rows = new ArrayList<>();
      List<Integer> used = new ArrayList<>();
      List<Integer> touched = new ArrayList<>();
      int clock = 0;
      for (Chunk chunk : chunks) {
        int best = -1;
        for (int row = 0; row < rows.size(); row++) {
          int room = capacity - used.get(row);
          if (room < chunk.length() || rows.get(row).size() == maxSegments) {
            continue;
          }
          int bestRoom = best < 0 ? Integer.MAX_VALUE : capacity - used.get(best);
          if (room < bestRoom || (room == bestRoom && touched.get(row) > touched.get(best))) {
            best = row;
          }
        }
        if (best < 0) {
          best = rows.size();
          rows.add(new ArrayList<>());
          used.add(0);
          touched.add(0);
        }
        rows.get(best).add(chunk);
        used.set(best, used.get(best) + chunk.length());
        touched.set(best, ++clock);
      }
      return rows.stream().map(PackedRow::of).toList();
    }
  }
}
