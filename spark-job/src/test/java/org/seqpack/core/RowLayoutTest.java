package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked example of docs/FORMAT.md, as a literal table. */
class RowLayoutTest {
  private static final int EOS = 50256;

  @Test
  void workedExampleOfTheFormatDocument() {
    Sentinels sentinels = new Sentinels(Sentinels.NONE, EOS, EOS);
    List<Chunk> documents =
        List.of(
            Chunk.of(sentinels.wrap(new int[] {11, 12, 13}), 0),
            Chunk.of(sentinels.wrap(new int[] {21, 22, 23, 24, 25}), 1),
            Chunk.of(sentinels.wrap(new int[] {31}), 2));
    List<PackedRow> rows = new BestFitDecreasing().pack(documents, 12, Integer.MAX_VALUE);
    assertEquals(1, rows.size());
    RowArrays row = new RowLayout(12, EOS).layout(rows.get(0));
    assertArrayEquals(
        new int[] {21, 22, 23, 24, 25, EOS, 11, 12, 13, EOS, 31, EOS}, row.inputIds());
    assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3}, row.segmentIds());
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 0, 1}, row.positionIds());
    assertArrayEquals(new byte[] {0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1}, row.lossMask());
    assertEquals(12, row.realTokens());
    assertEquals(3, row.segments());
  }

  @Test
  void paddingIsPadIdWithZeroSegmentPositionAndMask() {
    Sentinels sentinels = new Sentinels(Sentinels.NONE, EOS, 0);
    PackedRow row =
        PackedRow.of(
            List.of(
                Chunk.of(sentinels.wrap(new int[] {11, 12, 13}), 0),
                Chunk.of(sentinels.wrap(new int[] {21, 22, 23, 24, 25}), 1)));
    RowArrays arrays = new RowLayout(12, 0).layout(row);
    assertArrayEquals(
        new int[] {11, 12, 13, EOS, 21, 22, 23, 24, 25, EOS, 0, 0}, arrays.inputIds());
    assertArrayEquals(new int[] {1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0}, arrays.segmentIds());
    assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 0, 0}, arrays.positionIds());
    assertArrayEquals(new byte[] {0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0}, arrays.lossMask());
    assertEquals(10, arrays.realTokens());
  }

  @Test
  void contextTokensOfAChunkAreNotTargets() {
    int[] tokens = {1, 2, 3, 4, 5};
    byte[] targets = {0, 0, 1, 1, 1};
    RowArrays arrays =
        new RowLayout(6, 9).layout(PackedRow.of(List.of(new Chunk(tokens, targets, 0, 5, 0))));
    assertArrayEquals(new byte[] {0, 0, 1, 1, 1, 0}, arrays.lossMask());
  }
}
