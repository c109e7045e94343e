package org.seqpack.core;

import java.util.Objects;

/**
 * A contiguous run of one document's tokens that becomes one segment of a packed row.
 *
 * <p>{@code tokens} is shared with the document and never copied; the chunk is the view {@code
 * tokens[offset, offset + length)}. {@code targets}, when not null, is aligned with {@code tokens}
 * and holds 1 where the token is a training target and 0 where it is context only (prompt, window
 * overlap); null means every token is a target. The first token of a segment is never a target
 * whatever {@code targets} says: it has no context inside the row.
 */
public record Chunk(int[] tokens, byte[] targets, int offset, int length, long document) {

  public Chunk {
    Objects.requireNonNull(tokens, "tokens");
    if (offset < 0 || length < 1 || offset + length > tokens.length) {
      throw new IllegalArgumentException(
          "chunk ["
              + offset
              + ", "
              + (offset + length)
              + ") is outside tokens[0, "
              + tokens.length
              + ")");
    }
    if (targets != null && targets.length != tokens.length) {
      throw new IllegalArgumentException(
          "targets has " + targets.length + " entries; must equal tokens' " + tokens.length);
    }
  }

  /** A chunk covering all of {@code tokens}, every token a target. */
  public static Chunk of(int[] tokens, long document) {
    return new Chunk(tokens, null, 0, tokens.length, document);
  }

  public int token(int i) {
    return tokens[offset + i];
  }

  /**
   * Whether token {@code i} of this chunk is a target by its own mask (ignores the first-token
   * rule).
   */
  public boolean isTarget(int i) {
    return targets == null || targets[offset + i] != 0;
  }
}
