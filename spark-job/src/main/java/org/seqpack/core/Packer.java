package org.seqpack.core;

import java.util.List;

/**
 * Places chunks into rows. Implementations are deterministic: the same chunks in the same order
 * give the same rows in the same order. Every chunk is placed exactly once, and no row holds more
 * than {@code capacity} tokens or more than {@code maxSegments} segments.
 */
public interface Packer {

  /**
   * Packs one window of chunks.
   *
   * @param chunks chunks in arrival order, each no longer than {@code capacity}
   * @param capacity tokens per row (the sequence length L)
   * @param maxSegments segments per row at most ({@link Integer#MAX_VALUE} for no limit)
   * @return the rows, in the order they are to be written
   */
  List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments);
}
