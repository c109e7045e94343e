package org.seqpack.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * First-fit, online: chunks in arrival order (no sorting) each go into the leftmost row that still
 * has room for them, else into a new row.
 *
 * <p>A max segment tree over the rows' remaining space finds the leftmost row with room in O(log
 * n), so a window of n chunks packs in O(n log n). Rows not yet opened sit in the tree with the
 * whole capacity, so "open a new row" is just "the leftmost row with room is an unused one". A row
 * that reaches {@code maxSegments} is recorded with no room. Stateless and thread-safe.
 */
public final class FirstFit implements Packer {

  @Override
  public List<PackedRow> pack(List<Chunk> chunks, int capacity, int maxSegments) {
    return packInOrder(chunks.toArray(new Chunk[0]), capacity, maxSegments);
  }

  /** First-fit over {@code chunks} in the given order; rows come out in the order they opened. */
  static List<PackedRow> packInOrder(Chunk[] chunks, int capacity, int maxSegments) {
    checkLimits(capacity, maxSegments);
    int n = chunks.length;
    int leaves = 1;
    while (leaves < n) {
      leaves <<= 1;
    }
    // room[leaves + r] = space row r can still take (0 once closed); room[node] = max of children.
    int[] room = new int[2 * leaves];
    Arrays.fill(room, capacity);
    int[] rowOf = new int[n];
    int[] segments = new int[n];
    int[] used = new int[n];
    int rows = 0;

    for (int i = 0; i < n; i++) {
      int length = chunks[i].length();
      checkLength(chunks[i], capacity);
      int node = 1;
      while (node < leaves) {
        node <<= 1;
        if (room[node] < length) {
          node++;
        }
      }
      int row = node - leaves;
      if (row == rows) {
        rows++;
      }
      rowOf[i] = row;
      used[row] += length;
      segments[row]++;
      int left = segments[row] < maxSegments ? capacity - used[row] : 0;
      room[node] = left;
      for (node >>= 1; node >= 1; node >>= 1) {
        int max = Math.max(room[2 * node], room[2 * node + 1]);
        if (room[node] == max) {
          break;
        }
        room[node] = max;
      }
    }
    return collect(chunks, rowOf, segments, used, rows);
  }

  /** Builds the rows from each chunk's row index, keeping the chunks' order within a row. */
  static List<PackedRow> collect(
      Chunk[] chunks, int[] rowOf, int[] segments, int[] used, int rows) {
    Chunk[][] members = new Chunk[rows][];
    for (int r = 0; r < rows; r++) {
      members[r] = new Chunk[segments[r]];
    }
    int[] filled = new int[rows];
    for (int i = 0; i < chunks.length; i++) {
      int r = rowOf[i];
      members[r][filled[r]++] = chunks[i];
    }
    List<PackedRow> packed = new ArrayList<>(rows);
    for (int r = 0; r < rows; r++) {
      packed.add(new PackedRow(List.of(members[r]), used[r]));
    }
    return packed;
  }

  static void checkLimits(int capacity, int maxSegments) {
    if (capacity < 1) {
      throw new IllegalArgumentException("'capacity' is " + capacity + "; must be at least 1");
    }
    if (maxSegments < 1) {
      throw new IllegalArgumentException(
          "'maxSegments' is " + maxSegments + "; must be at least 1");
    }
  }

  static void checkLength(Chunk chunk, int capacity) {
    if (chunk.length() > capacity) {
      throw new IllegalArgumentException(
          "chunk length is "
              + chunk.length()
              + " (document "
              + chunk.document()
              + "); must be at most the row capacity "
              + capacity);
    }
  }
}
