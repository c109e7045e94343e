package org.seqpack.core;

/**
 * One output row laid out as aligned columns of length L (see docs/FORMAT.md).
 *
 * @param inputIds tokens, pad id after the last segment
 * @param segmentIds 1..k per segment, 0 on padding
 * @param positionIds position within the segment, restarting at 0; 0 on padding
 * @param lossMask 1 on training targets, 0 elsewhere (first token of a segment, padding, context)
 * @param realTokens tokens before the padding
 * @param segments number of segments k
 */
public record RowArrays(
    int[] inputIds,
    int[] segmentIds,
    int[] positionIds,
    byte[] lossMask,
    int realTokens,
    int segments) {}
