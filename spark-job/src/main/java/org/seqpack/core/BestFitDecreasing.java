package org.seqpack.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Best-fit decreasing: chunks sorted longest first (ties keep arrival order) go into the open row
 * with the least remaining space that still fits them, else into a new row.
 *
 * <p>Open rows are bucketed by remaining space (0..capacity); a {@link FirstAtLeast} tree over the
 * non-empty buckets finds the best bucket in O(log capacity), so a window of n chunks packs in O(n
 * log n) for the sort plus O(n log capacity). Within a bucket the most recently touched row wins
 * (any fixed rule keeps the result deterministic).
 */
public final class BestFitDecreasing implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    Chunk[] sorted = chunks.toArray(new Chunk[0]);
    // Arrays.sort on objects is stable: equal lengths keep arrival order.
    Arrays.sort(sorted, Comparator.comparingInt(Chunk::length).reversed());

    List<List<Chunk>> rows = new ArrayList<>();
    int[] remaining = new int[Math.max(16, sorted.length)];
    // bucketHead[r] = most recent open row with remaining space r; nextInBucket links the rest.
    int[] bucketHead = new int[capacity + 1];
    Arrays.fill(bucketHead, -1);
    int[] nextInBucket = new int[remaining.length];
    FirstAtLeast nonEmpty = new FirstAtLeast(capacity + 1);

    for (Chunk chunk : sorted) {
      int length = chunk.length();
      if (length > capacity) {
        throw new IllegalArgumentException(
            "chunk of " + length + " tokens exceeds the row capacity " + capacity);
      }
      int bucket = nonEmpty.firstAtLeast(length);
      int row;
      if (bucket < 0) {
        row = rows.size();
        rows.add(new ArrayList<>(4));
        if (row == remaining.length) {
          remaining = Arrays.copyOf(remaining, row * 2);
          nextInBucket = Arrays.copyOf(nextInBucket, row * 2);
        }
        remaining[row] = capacity;
      } else {
        row = bucketHead[bucket];
        bucketHead[bucket] = nextInBucket[row];
        if (bucketHead[bucket] < 0) {
          nonEmpty.clear(bucket);
        }
      }
      List<Chunk> segments = rows.get(row);
      segments.add(chunk);
      remaining[row] -= length;
      int left = remaining[row];
      // A full row, or one at the segment limit, stays closed.
      if (left > 0 && segments.size() < maxSegments) {
        nextInBucket[row] = bucketHead[left];
        bucketHead[left] = row;
        nonEmpty.set(left);
      }
    }

    List<PackedRow> packed = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      packed.add(new PackedRow(rows.get(i), capacity - remaining[i]));
    }
    return packed;
  }
}
