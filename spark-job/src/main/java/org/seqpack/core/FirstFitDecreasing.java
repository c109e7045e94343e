package org.seqpack.core;

import java.util.Arrays;
import java.util.List;

/**
 * First-fit decreasing: chunks sorted longest first (ties keep arrival order) each go into the
 * leftmost row with room, else into a new row.
 *
 * <p>The sort is a counting sort on length when the window is large next to the capacity, else a
 * sort of primitive keys; the placement is {@link FirstFit}'s segment tree over the rows' remaining
 * space. O(n log n) for n chunks. Stateless and thread-safe.
 */
public final class FirstFitDecreasing implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    FirstFit.checkLimits(capacity, maxSegments);
    return FirstFit.packInOrder(longestFirst(chunks, capacity), capacity, maxSegments);
  }

  /** The chunks sorted by length, longest first, equal lengths in arrival order. */
  static Chunk[] longestFirst(List<Chunk> chunks, int capacity) {
    int n = chunks.size();
    Chunk[] in = chunks.toArray(new Chunk[0]);
    for (Chunk chunk : in) {
      FirstFit.checkLength(chunk, capacity);
    }
    Chunk[] out = new Chunk[n];
    if (n >= capacity / 8) {
      // Counting sort on key capacity - length: stable, O(n + capacity).
      int[] start = new int[capacity + 1];
      for (Chunk chunk : in) {
        start[capacity - chunk.length()]++;
      }
      int sum = 0;
      for (int key = 0; key <= capacity; key++) {
        int count = start[key];
        start[key] = sum;
        sum += count;
      }
      for (Chunk chunk : in) {
        out[start[capacity - chunk.length()]++] = chunk;
      }
    } else {
      // Key (capacity - length, index) in one long: a primitive sort, stable by construction.
      long[] keys = new long[n];
      for (int i = 0; i < n; i++) {
        keys[i] = ((long) (capacity - in[i].length()) << 32) | i;
      }
      Arrays.sort(keys);
      for (int i = 0; i < n; i++) {
        out[i] = in[(int) keys[i]];
      }
    }
    return out;
  }
}
