package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;

/** Documents whose token at position p is p, and a compact text form of packed rows. */
final class Fixtures {
  private Fixtures() {}

  /** Tokens 0, 1, ..., n - 1: a token's value is its position in the document. */
  static int[] positions(int n) {
    int[] tokens = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = i;
    }
    return tokens;
  }

  /** One whole-document chunk per length; document i has length {@code lengths[i]}. */
  static List<Chunk> chunks(int... lengths) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < lengths.length; i++) {
      chunks.add(Chunk.of(positions(lengths[i]), i));
    }
    return chunks;
  }

  /**
   * Rows as {@code [0 2] [1 3 4]}: a segment is its document id, or {@code d[from,to)} when it is
   * part of the document.
   */
  static String show(List<PackedRow> rows) {
    StringBuilder out = new StringBuilder();
    for (PackedRow row : rows) {
      out.append(out.length() == 0 ? "[" : " [");
      for (int i = 0; i < row.segments().size(); i++) {
        Chunk chunk = row.segments().get(i);
        out.append(i == 0 ? "" : " ").append(chunk.document());
        if (chunk.offset() != 0 || chunk.length() != chunk.tokens().length) {
          out.append('[')
              .append(chunk.offset())
              .append(',')
              .append(chunk.offset() + chunk.length())
              .append(')');
        }
      }
      out.append(']');
    }
    return out.toString();
  }

  static int[] lengths(String spaced) {
    String trimmed = spaced.trim();
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    String[] parts = trimmed.split("\\s+");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }

  static int maxSegments(String value) {
    return value.trim().equals("max") ? Integer.MAX_VALUE : Integer.parseInt(value.trim());
  }
}
