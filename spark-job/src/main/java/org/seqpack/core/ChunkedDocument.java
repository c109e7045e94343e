package org.seqpack.core;

import java.util.List;

/**
 * One document after {@link DocumentChunker}: its chunks, how many of its tokens no chunk kept, and
 * what happened to it.
 */
public record ChunkedDocument(List<Chunk> chunks, int tokensLost, Kind kind) {

  /** What the long-document policy did. */
  public enum Kind {
    /** No longer than L: one chunk with every token. */
    KEPT,
    /** Longer than L, cut into several chunks (split or window); no token lost. */
    SPLIT,
    /** Longer than L, one chunk of L tokens; the rest lost. */
    TRUNCATED,
    /** Longer than L and dropped: no chunk, every token lost. */
    DROPPED
  }

  public ChunkedDocument {
    chunks = List.copyOf(chunks);
    if (tokensLost < 0) {
      throw new IllegalArgumentException("'tokensLost' is " + tokensLost + "; must be at least 0");
    }
  }
}
