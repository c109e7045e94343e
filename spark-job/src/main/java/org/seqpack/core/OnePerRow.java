package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;

/**
 * No packing: each chunk alone in its own row, padded to the capacity, in arrival order. Stateless
 * and thread-safe.
 */
public final class OnePerRow implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    FirstFit.checkLimits(capacity, maxSegments);
    List<PackedRow> rows = new ArrayList<>(chunks.size());
    for (Chunk chunk : chunks) {
      FirstFit.checkLength(chunk, capacity);
      rows.add(new PackedRow(List.of(chunk), chunk.length()));
    }
    return rows;
  }
}
