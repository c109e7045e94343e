package org.seqpack.core;

import java.util.List;

/** The segments of one output row, in order, and the number of real tokens they hold. */
public record PackedRow(List<Chunk> segments, int length) {

  public PackedRow {
    segments = List.copyOf(segments);
    int sum = 0;
    for (Chunk chunk : segments) {
      sum += chunk.length();
    }
    if (sum != length) {
      throw new IllegalArgumentException(
          "row length " + length + " != sum of segment lengths " + sum);
    }
  }

  public static PackedRow of(List<Chunk> segments) {
    int sum = 0;
    for (Chunk chunk : segments) {
      sum += chunk.length();
    }
    return new PackedRow(segments, sum);
  }
}
