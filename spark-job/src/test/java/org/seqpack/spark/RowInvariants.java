package org.seqpack.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The row contract of docs/FORMAT.md, checked from the columns alone (written separately from the
 * job's own layout code on purpose).
 */
final class RowInvariants {
  private RowInvariants() {}

  /** Every violation of the contract by {@code row}; empty when it holds. */
  static List<String> violations(OutputReader.Row row, int seqLen, int padId) {
    List<String> problems = new ArrayList<>();
    int[] ids = row.inputIds();
    int[] seg = row.segmentIds();
    int[] pos = row.positionIds();
    int[] mask = row.lossMask();
    for (int[] column : new int[][] {ids, seg, pos, mask}) {
      if (column.length != seqLen) {
        problems.add("column of length " + column.length + " != " + seqLen);
        return problems;
      }
    }
    int real = 0;
    while (real < seqLen && seg[real] != 0) {
      real++;
    }
    for (int i = real; i < seqLen; i++) {
      if (seg[i] != 0 || ids[i] != padId || pos[i] != 0 || mask[i] != 0) {
        problems.add("padding at " + i + " is not (pad, 0, 0, 0)");
        break;
      }
    }
    if (real == 0) {
      problems.add("row has no token");
    }
    int segments = 0;
    for (int i = 0; i < real; i++) {
      boolean start = i == 0 || seg[i] != seg[i - 1];
      if (start) {
        segments++;
        if (seg[i] != segments) {
          problems.add("segment id " + seg[i] + " at " + i + " should be " + segments);
        }
        if (pos[i] != 0) {
          problems.add("position " + pos[i] + " at segment start " + i);
        }
        if (mask[i] != 0) {
          problems.add("loss mask 1 on the first token of a segment at " + i);
        }
      } else {
        if (pos[i] != pos[i - 1] + 1) {
          problems.add("position " + pos[i] + " at " + i + " does not follow " + pos[i - 1]);
        }
        if (mask[i] != 0 && mask[i] != 1) {
          problems.add("loss mask " + mask[i] + " at " + i);
        }
      }
    }
    if (row.numTokens() != real) {
      problems.add("num_tokens " + row.numTokens() + " != " + real);
    }
    if (row.numSegments() != segments) {
      problems.add("num_segments " + row.numSegments() + " != " + segments);
    }
    return problems;
  }

  /** The token lists of the row's segments, in order. */
  static List<int[]> segments(OutputReader.Row row) {
    List<int[]> segments = new ArrayList<>();
    int[] seg = row.segmentIds();
    int start = 0;
    for (int i = 1; i <= seg.length; i++) {
      if (i == seg.length || seg[i] != seg[start]) {
        if (seg[start] != 0) {
          segments.add(Arrays.copyOfRange(row.inputIds(), start, i));
        }
        start = i;
      }
    }
    return segments;
  }
}
