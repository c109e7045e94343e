package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Literal rows in, literal rows out; rows written as in {@link Fixtures#show}. */
class RowRepairTableTest {

  /** Rows of whole documents: "7 | 3 | 6 4" is three rows holding documents 0; 1; 2 and 3. */
  static List<PackedRow> rows(List<Chunk> chunks, String layout) {
    List<PackedRow> rows = new ArrayList<>();
    for (String row : layout.split("\\|")) {
      List<Chunk> segments = new ArrayList<>();
      for (int document : Fixtures.lengths(row)) {
        segments.add(chunks.get(document));
      }
      rows.add(PackedRow.of(segments));
    }
    return rows;
  }

  @ParameterizedTest(name = "L={1} K={2}: {3} -> {4}")
  @CsvSource(
      delimiter = ';',
      value = {
        // lengths;  capacity; max segments; rows in;       rows out
        "7 3 6 4;    10;       max;          0 | 1 | 2 | 3; [0 1] [2 3]",
        // New rows take the first places of the rows they replace.
        "10 7 3 6 4; 10;       max;          0 | 1 | 2 | 3 | 4; [0] [1 2] [3 4]",
        // [5 3] [5 3] [4 4] [3] is one row too many for 27 tokens; equal lengths keep input order.
        "5 5 4 4 3 3 3; 10;    max;          0 6 | 1 5 | 2 3 | 4; [0 1] [2 6 5] [3 4]",
        // The segment limit binds: three chunks of 3 need two rows of two segments.
        "4 3 3;      10;       2;            0 | 1 | 2;     [0 1] [2]",
        "4 3 3;      10;       1;            0 | 1 | 2;     [0] [1] [2]",
        // Already at ⌈tokens / L⌉: nothing to do.
        "6 4 5;      10;       max;          0 1 | 2;       [0 1] [2]",
      })
  void repairs(String lengths, int capacity, String maxSegments, String in, String out) {
    List<Chunk> chunks = Fixtures.chunks(Fixtures.lengths(lengths));
    List<PackedRow> rows = rows(chunks, in);
    List<PackedRow> repaired =
        new RowRepair().repair(rows, capacity, Fixtures.maxSegments(maxSegments), 7);
    assertEquals(out, Fixtures.show(repaired));
  }

  @Test
  void returnsItsInputAtTheBound() {
    List<Chunk> chunks = Fixtures.chunks(6, 4, 5);
    List<PackedRow> rows = rows(chunks, "0 1 | 2");
    RowRepair.Work work = new RowRepair.Work();
    assertSame(rows, new RowRepair().repair(rows, 10, Integer.MAX_VALUE, 1, work));
    assertEquals(0, work.rounds);
    List<PackedRow> none = List.of();
    assertSame(none, new RowRepair().repair(none, 10, Integer.MAX_VALUE, 1));
  }

  @Test
  void dropsEmptyRows() {
    List<Chunk> chunks = Fixtures.chunks(6, 4);
    List<PackedRow> rows = new ArrayList<>(rows(chunks, "0 | 1"));
    rows.add(1, PackedRow.of(List.of()));
    assertEquals("[0 1]", Fixtures.show(new RowRepair().repair(rows, 10, Integer.MAX_VALUE, 1)));
  }

  @Test
  void largePoolsOfShortChunksSkipTheExactSearch() {
    // 40 rows of 30 chunks of 1 or 2 tokens in rows of 64: pools of ~300 chunks.
    int[] lengths = new int[1200];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = 1 + i % 2;
    }
    List<Chunk> chunks = Fixtures.chunks(lengths);
    List<PackedRow> rows = new ArrayList<>();
    for (int r = 0; r < 40; r++) {
      rows.add(PackedRow.of(chunks.subList(30 * r, 30 * r + 30)));
    }
    for (int maxSegments : new int[] {Integer.MAX_VALUE, 40, 60}) {
      RowRepair.Work work = new RowRepair.Work();
      List<PackedRow> repaired = new RowRepair().repair(rows, 64, maxSegments, 3, work);
      long bound = RowRepair.lowerBound(1800, 1200, 64, maxSegments);
      assertTrue(repaired.size() < rows.size(), maxSegments + ": " + repaired.size() + " rows");
      assertTrue(repaired.size() >= bound);
      for (PackedRow row : repaired) {
        assertTrue(row.length() <= 64 && row.segments().size() <= maxSegments);
      }
    }
  }

  @Test
  void rejectsRowsBeyondTheLimits() {
    List<PackedRow> rows = rows(Fixtures.chunks(6, 5), "0 1");
    IllegalArgumentException tooLong =
        assertThrows(
            IllegalArgumentException.class,
            () -> new RowRepair().repair(rows, 10, Integer.MAX_VALUE, 1));
    assertEquals(
        "a row holds 11 tokens in 2 segments; must be at most 10 tokens and 2147483647 segments",
        tooLong.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RowRepair().repair(rows, 20, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RowRepair().repair(rows, 0, 1, 1));
    assertEquals(
        "'roundsPerRow' is -1; must be at least 0",
        assertThrows(IllegalArgumentException.class, () -> new RowRepair(-1, 10)).getMessage());
    assertEquals(
        "'nodeLimit' is 0; must be at least 1",
        assertThrows(IllegalArgumentException.class, () -> new RowRepair(4, 0)).getMessage());
  }
}
