package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;

/** Cuts one tokenized document (sentinels included) into chunks no longer than L. */
public final class DocumentChunker {
  private final int seqLen;
  private final LongDocPolicy policy;

  public DocumentChunker(int seqLen, LongDocPolicy policy) {
    if (seqLen < 2) {
      throw new IllegalArgumentException("seqLen is " + seqLen + "; must be at least 2");
    }
    this.seqLen = seqLen;
    this.policy = policy;
  }

  /** The chunks of {@code tokens} under the policy; empty when the document is dropped. */
  public List<Chunk> chunk(int[] tokens, long document) {
    if (tokens.length <= seqLen) {
      return List.of(Chunk.of(tokens, document));
    }
    switch (policy) {
      case SPLIT:
        List<Chunk> chunks = new ArrayList<>(tokens.length / seqLen + 1);
        for (int from = 0; from < tokens.length; from += seqLen) {
          chunks.add(new Chunk(tokens, null, from, Math.min(seqLen, tokens.length - from), document));
        }
        return chunks;
      default:
        throw new IllegalStateException("unhandled policy " + policy);
    }
  }
}
