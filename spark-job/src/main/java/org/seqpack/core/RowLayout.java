package org.seqpack.core;

import java.util.Arrays;

/** Lays a packed row out as the aligned columns of the output format. */
public final class RowLayout {
  private final int seqLen;
  private final int padId;

  public RowLayout(int seqLen, int padId) {
    this.seqLen = seqLen;
    this.padId = padId;
  }

  public RowArrays layout(PackedRow row) {
    if (row.length() > seqLen) {
      throw new IllegalArgumentException(
          "row of " + row.length() + " tokens exceeds the sequence length " + seqLen);
    }
    int[] inputIds = new int[seqLen];
    int[] segmentIds = new int[seqLen];
    int[] positionIds = new int[seqLen];
    byte[] lossMask = new byte[seqLen];
    int at = 0;
    int segment = 0;
    for (Chunk chunk : row.segments()) {
      segment++;
      int length = chunk.length();
      for (int i = 0; i < length; i++) {
        inputIds[at] = chunk.token(i);
        segmentIds[at] = segment;
        positionIds[at] = i;
        // The first token of a segment has no context inside the row: never a target.
        lossMask[at] = (byte) (i > 0 && chunk.isTarget(i) ? 1 : 0);
        at++;
      }
    }
    Arrays.fill(inputIds, at, seqLen, padId);
    return new RowArrays(inputIds, segmentIds, positionIds, lossMask, at, segment);
  }
}
