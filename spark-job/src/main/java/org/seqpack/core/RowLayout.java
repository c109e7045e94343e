package org.seqpack.core;

import java.util.Arrays;

/** Lays a packed row out as the aligned columns of the output format (docs/FORMAT.md). */
public final class RowLayout {
  private final int seqLen;
  private final int padId;
  private final boolean continuousPositions;
  private final boolean variableRows;
  private final int padToMultipleOf;

  /** Fixed-length rows of {@code seqLen}, positions restarting at every segment. */
  public RowLayout(int seqLen, int padId) {
    this(seqLen, padId, false, false, 1);
  }

  /**
   * @param continuousPositions positions count across the row instead of restarting per segment
   * @param variableRows rows end at their packed length rounded up to {@code padToMultipleOf}
   *     instead of at {@code seqLen}
   */
  public RowLayout(
      int seqLen,
      int padId,
      boolean continuousPositions,
      boolean variableRows,
      int padToMultipleOf) {
    if (padToMultipleOf < 1 || (variableRows && seqLen % padToMultipleOf != 0)) {
      throw new IllegalArgumentException(
          "pad-to-multiple-of is " + padToMultipleOf + "; must be >= 1 and divide " + seqLen);
    }
    this.seqLen = seqLen;
    this.padId = padId;
    this.continuousPositions = continuousPositions;
    this.variableRows = variableRows;
    this.padToMultipleOf = padToMultipleOf;
  }

  public RowArrays layout(PackedRow row) {
    if (row.length() > seqLen) {
      throw new IllegalArgumentException(
          "row of " + row.length() + " tokens exceeds the sequence length " + seqLen);
    }
    int length =
        variableRows
            ? (row.length() + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf
            : seqLen;
    int[] inputIds = new int[length];
    int[] segmentIds = new int[length];
    int[] positionIds = new int[length];
    byte[] lossMask = new byte[length];
    int at = 0;
    int segment = 0;
    for (Chunk chunk : row.segments()) {
      segment++;
      int chunkLength = chunk.length();
      for (int i = 0; i < chunkLength; i++) {
        inputIds[at] = chunk.token(i);
        segmentIds[at] = segment;
        positionIds[at] = continuousPositions ? at : i;
        // The first token of a segment has no context inside the row: never a target.
        lossMask[at] = (byte) (i > 0 && chunk.isTarget(i) ? 1 : 0);
        at++;
      }
    }
    Arrays.fill(inputIds, at, length, padId);
    return new RowArrays(inputIds, segmentIds, positionIds, lossMask, at, segment);
  }
}
