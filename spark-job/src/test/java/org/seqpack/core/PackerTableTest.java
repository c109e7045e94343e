package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Literal tables: chunk lengths in arrival order (document i is the i-th) to exact rows. */
class PackerTableTest {

  @ParameterizedTest(name = "{0} L={1} max={2}: {3} -> {4}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # strategy | L  | max segments | lengths     | rows
          bfd        | 10 | max | 6 5 4 3 2   | [0 2] [1 3 4]
          ffd        | 10 | max | 6 5 4 3 2   | [0 2] [1 3 4]
          first-fit  | 10 | max | 6 5 4 3 2   | [0 2] [1 3 4]
          concat     | 10 | max | 6 5 4 3 2   | [0 1[0,4)] [1[4,5) 2 3 4]
          none       | 10 | max | 6 5 4 3 2   | [0] [1] [2] [3] [4]
          # best fit takes the tighter row 1 for the 1; first fit the leftmost, row 0
          bfd        | 10 | max | 4 7 5 1     | [1] [2 0 3]
          ffd        | 10 | max | 4 7 5 1     | [1 3] [2 0]
          first-fit  | 10 | max | 4 7 5 1     | [0 2 3] [1]
          # first fit in arrival order beats best fit decreasing here: 2 rows against 3
          bfd        | 10 | max | 5 3 2 4 4 2 | [0 3] [4 1 2] [5]
          ffd        | 10 | max | 5 3 2 4 4 2 | [0 3] [4 1 2] [5]
          first-fit  | 10 | max | 5 3 2 4 4 2 | [0 1 2] [3 4 5]
          # equal remaining space: best fit takes the most recently touched row
          bfd        | 10 | max | 8 8 2       | [0] [1 2]
          ffd        | 10 | max | 8 8 2       | [0 2] [1]
          # the segment limit closes rows early
          bfd        | 10 | 2   | 2 2 2 2 2   | [0 1] [2 3] [4]
          ffd        | 10 | 2   | 2 2 2 2 2   | [0 1] [2 3] [4]
          first-fit  | 10 | 2   | 2 2 2 2 2   | [0 1] [2 3] [4]
          concat     | 10 | 2   | 2 2 2 2 2   | [0 1] [2 3] [4]
          none       | 10 | 1   | 2 2         | [0] [1]
          bfd        | 10 | 1   | 2 2         | [0] [1]
          # full rows and exact fits
          bfd        | 4  | max | 4 4         | [0] [1]
          ffd        | 4  | max | 4 4         | [0] [1]
          first-fit  | 4  | max | 4 4         | [0] [1]
          concat     | 4  | max | 4 4         | [0] [1]
          # concat cuts a document across rows, each piece its own segment
          concat     | 4  | max | 3 3 2       | [0 1[0,1)] [1[1,3) 2]
          concat     | 4  | max | 1 1         | [0 1]
          concat     | 3  | max | 8           | [0[0,3)] [0[3,6)] [0[6,8)]
          concat     | 10 | 2   | 6 6         | [0 1[0,4)] [1[4,6)]
          """)
  void packs(String strategy, int capacity, String maxSegments, String lengths, String rows) {
    Packer packer = PackingStrategy.fromName(strategy).packer();
    List<PackedRow> packed =
        packer.pack(
            Fixtures.chunks(Fixtures.lengths(lengths)),
            capacity,
            Fixtures.maxSegments(maxSegments));
    assertEquals(rows, Fixtures.show(packed));
  }

  @ParameterizedTest
  @EnumSource(PackingStrategy.class)
  void emptyWindowGivesNoRows(PackingStrategy strategy) {
    assertEquals(List.of(), strategy.packer().pack(List.of(), 8, 4));
  }

  @ParameterizedTest
  @EnumSource(
      value = PackingStrategy.class,
      names = {"CONCAT"},
      mode = EnumSource.Mode.EXCLUDE)
  void rejectsAChunkLongerThanTheCapacity(PackingStrategy strategy) {
    assertThrows(
        IllegalArgumentException.class,
        () -> strategy.packer().pack(Fixtures.chunks(3, 9), 8, Integer.MAX_VALUE));
  }

  @ParameterizedTest
  @EnumSource(PackingStrategy.class)
  void rejectsBadLimits(PackingStrategy strategy) {
    IllegalArgumentException capacity =
        assertThrows(
            IllegalArgumentException.class, () -> strategy.packer().pack(Fixtures.chunks(1), 0, 4));
    assertEquals("'capacity' is 0; must be at least 1", capacity.getMessage());
    IllegalArgumentException segments =
        assertThrows(
            IllegalArgumentException.class, () -> strategy.packer().pack(Fixtures.chunks(1), 8, 0));
    assertEquals("'maxSegments' is 0; must be at least 1", segments.getMessage());
  }

  @Test
  void concatPiecesShareTokensAndTargets() {
    byte[] targets = {0, 1, 1, 1, 1};
    int[] tokens = Fixtures.positions(5);
    Chunk chunk = new Chunk(tokens, targets, 0, 5, 7);
    List<PackedRow> rows = new ConcatPacker().pack(List.of(chunk), 3, Integer.MAX_VALUE);
    assertEquals("[7[0,3)] [7[3,5)]", Fixtures.show(rows));
    for (PackedRow row : rows) {
      assertSame(tokens, row.segments().get(0).tokens());
      assertSame(targets, row.segments().get(0).targets());
    }
  }

  @Test
  void strategyNamesRoundTrip() {
    for (PackingStrategy strategy : PackingStrategy.values()) {
      assertEquals(strategy, PackingStrategy.fromName(strategy.configName()));
    }
    assertEquals("first-fit", PackingStrategy.FIRST_FIT.configName());
    assertEquals(PackingStrategy.BFD, PackingStrategy.fromName("BFD"));
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> PackingStrategy.fromName("best"));
    assertEquals(
        "packing strategy is 'best'; must be one of bfd, ffd, first-fit, concat, none",
        unknown.getMessage());
  }
}
