package org.seqpack.core;

/**
 * How documents become rows.
 *
 * @param repair run {@link RowRepair} after bfd and ffd
 * @param stride window stride for {@link LongDocPolicy#WINDOW}, else unused (0)
 * @param maxSegments segments per row at most ({@link Integer#MAX_VALUE} for no limit)
 * @param padToMultipleOf variable rows end at their packed length rounded up to this
 * @param minDocTokens documents with fewer text tokens are rejected as too_short
 */
public record PackingConfig(
    int seqLen,
    PackingStrategy strategy,
    boolean repair,
    LongDocPolicy longDocs,
    int stride,
    boolean continuousPositions,
    int maxSegments,
    boolean variableRows,
    int padToMultipleOf,
    int minDocTokens,
    long seed,
    long windowTokens)
    implements java.io.Serializable {}
