package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Concatenate then split, as Hugging Face {@code run_clm} and Megatron do: the window's chunks in
 * arrival order are laid end to end and cut every {@code capacity} tokens.
 *
 * <p>Every row is full except possibly the window's last, or a row that reached {@code maxSegments}
 * (then it closes early, as the {@link Packer} contract requires). A chunk cut across rows becomes
 * one segment per piece, each a new {@link Chunk} view on the same tokens and targets; all its
 * tokens are kept, once and in order. Unlike {@code run_clm} the window's short last row is kept
 * (padded), not dropped. The first token of a continued piece is not a target (it has no context in
 * its row), the price of cutting. Chunks longer than the capacity are accepted and cut like any
 * other. Stateless and thread-safe.
 */
public final class ConcatPacker implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    FirstFit.checkLimits(capacity, maxSegments);
    List<PackedRow> rows = new ArrayList<>();
    List<Chunk> current = new ArrayList<>();
    int used = 0;
    for (Chunk chunk : chunks) {
      int offset = chunk.offset();
      int left = chunk.length();
      while (left > 0) {
        int take = Math.min(left, capacity - used);
        current.add(
            take == chunk.length()
                ? chunk
                : new Chunk(chunk.tokens(), chunk.targets(), offset, take, chunk.document()));
        used += take;
        offset += take;
        left -= take;
        if (used == capacity || current.size() == maxSegments) {
          rows.add(new PackedRow(List.copyOf(current), used));
          current.clear();
          used = 0;
        }
      }
    }
    if (!current.isEmpty()) {
      rows.add(new PackedRow(List.copyOf(current), used));
    }
    return rows;
  }
}
