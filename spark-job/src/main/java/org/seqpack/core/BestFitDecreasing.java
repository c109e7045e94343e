package org.seqpack.core;

import java.util.Arrays;
import java.util.List;

/**
 * Best-fit decreasing: chunks sorted longest first (ties keep arrival order) go into the open row
 * with the least remaining space that still fits them, else into a new row.
 *
 * <p>Open rows are bucketed by remaining space (0..capacity); a {@link FirstAtLeast} tree over the
 * non-empty buckets finds the best bucket in O(log capacity), so a window of n chunks packs in O(n
 * log n) for the sort plus O(n log capacity). Within a bucket the most recently touched row wins
 * (any fixed rule keeps the result deterministic). Stateless and thread-safe.
 */
public final class BestFitDecreasing implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    FirstFit.checkLimits(capacity, maxSegments);
    Chunk[] sorted = FirstFitDecreasing.longestFirst(chunks, capacity);
    int n = sorted.length;

    // Each chunk opens at most one row, so n rows are enough.
    int[] rowOf = new int[n];
    int[] used = new int[n];
    int[] segments = new int[n];
    // bucketHead[r] = most recent open row with remaining space r; nextInBucket links the rest.
    int[] bucketHead = new int[capacity + 1];
    Arrays.fill(bucketHead, -1);
    int[] nextInBucket = new int[n];
    FirstAtLeast nonEmpty = new FirstAtLeast(capacity + 1);
    int rows = 0;

    for (int i = 0; i < n; i++) {
      int length = sorted[i].length();
      int bucket = nonEmpty.firstAtLeast(length);
      int row;
      if (bucket < 0) {
        row = rows++;
      } else {
        row = bucketHead[bucket];
        bucketHead[bucket] = nextInBucket[row];
        if (bucketHead[bucket] < 0) {
          nonEmpty.clear(bucket);
        }
      }
      rowOf[i] = row;
      used[row] += length;
      segments[row]++;
      int left = capacity - used[row];
      // A full row, or one at the segment limit, stays closed.
      if (left > 0 && segments[row] < maxSegments) {
        nextInBucket[row] = bucketHead[left];
        bucketHead[left] = row;
        nonEmpty.set(left);
      }
    }
    return FirstFit.collect(sorted, rowOf, segments, used, rows);
  }
}
