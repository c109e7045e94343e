package org.seqpack.core;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Cuts one tokenized document into chunks no longer than L under a {@link LongDocPolicy}.
 *
 * <p>The tokens passed in are the whole document as the model should see it: an optional BOS, the
 * text's ids, and the EOS last. A document of at most L tokens is one chunk under every policy. A
 * longer document of n tokens keeps, by policy:
 *
 * <ul>
 *   <li>{@code split}: {@code [0, L)}, {@code [L, 2L)}, ... and the remainder; every token once, in
 *       order. The BOS opens the first chunk, the EOS closes the last. The first token of each
 *       later chunk is not a target (a segment's first token never is), so a split costs one target
 *       per cut.
 *   <li>{@code truncate-tail}: {@code [0, L)}. The EOS is lost and deliberately not put back: an
 *       EOS after a cut would teach the model to stop mid-sentence. The segment just ends.
 *   <li>{@code truncate-head}: {@code [n - L, n)}, so the EOS stays; the BOS is lost and likewise
 *       not put back, since a BOS before a cut would teach the model that documents begin
 *       mid-sentence.
 *   <li>{@code truncate-middle}: {@code [0, ⌈L/2⌉)} followed by {@code [n - ⌊L/2⌋, n)} in a new
 *       array of L tokens; BOS and EOS both stay. The first token after the seam is marked not a
 *       target: the context before it jumps, so predicting it would teach nothing true.
 *   <li>{@code drop}: nothing.
 *   <li>{@code window} with stride S: chunks start at 0, S, 2S, ..., each {@code min(L, n - start)}
 *       long, the last being the first that reaches n. A chunk's first {@code L - S} tokens repeat
 *       the previous chunk's and are context only (target 0), so each token is a target in exactly
 *       one chunk; with S < L no target is lost at a cut, unlike {@code split}. The first chunk is
 *       a view on the document; each later one gets its own copy of its tokens and a targets array
 *       of the same length (a targets array aligned with the whole document per chunk would cost n
 *       bytes per chunk); so a document costs about L/S times its size. With S = L the chunks are
 *       those of {@code split}, views with no copy.
 * </ul>
 *
 * The only sentinels are those in the input: no policy adds a BOS or EOS. Thread-safe.
 */
public final class DocumentChunker {
  private final int seqLen;
  private final LongDocPolicy policy;
  private final int stride;

  /**
   * A chunker for every policy but {@link LongDocPolicy#WINDOW}, which needs a stride.
   *
   * @throws IllegalArgumentException for {@code WINDOW}, or L below 2
   */
  public DocumentChunker(int seqLen, LongDocPolicy policy) {
    this(seqLen, policy, 0);
  }

  /**
   * A chunker; {@code stride} is read by {@link LongDocPolicy#WINDOW} only and must then be in [1,
   * L].
   */
  public DocumentChunker(int seqLen, LongDocPolicy policy, int stride) {
    if (seqLen < 2) {
      throw new IllegalArgumentException("'seqLen' is " + seqLen + "; must be at least 2");
    }
    this.policy = Objects.requireNonNull(policy, "policy");
    if (policy == LongDocPolicy.WINDOW && (stride < 1 || stride > seqLen)) {
      throw new IllegalArgumentException(
          "'stride' is "
              + stride
              + "; must be between 1 and the sequence length "
              + seqLen
              + " for the window policy");
    }
    this.seqLen = seqLen;
    this.stride = policy == LongDocPolicy.WINDOW ? stride : seqLen;
  }

  /**
   * The chunks of {@code tokens} under the policy; empty when the document is dropped. Same as
   * {@code chunkDocument(tokens, document).chunks()}.
   */
  public List<Chunk> chunk(int[] tokens, long document) {
    return chunkDocument(tokens, document).chunks();
  }

  /**
   * The chunks of {@code tokens} under the policy, with how many tokens were lost and why.
   *
   * @throws IllegalArgumentException when {@code tokens} is empty
   */
  public ChunkedDocument chunkDocument(int[] tokens, long document) {
    int n = tokens.length;
    if (n == 0) {
      throw new IllegalArgumentException(
          "document " + document + " has 0 tokens; must have at least 1 (its EOS)");
    }
    if (n <= seqLen) {
      return new ChunkedDocument(List.of(Chunk.of(tokens, document)), 0, ChunkedDocument.Kind.KEPT);
    }
    switch (policy) {
      case SPLIT:
        return new ChunkedDocument(
            windows(tokens, document, seqLen), 0, ChunkedDocument.Kind.SPLIT);
      case WINDOW:
        return new ChunkedDocument(
            windows(tokens, document, stride), 0, ChunkedDocument.Kind.SPLIT);
      case TRUNCATE_TAIL:
        return truncated(new Chunk(tokens, null, 0, seqLen, document), n);
      case TRUNCATE_HEAD:
        return truncated(new Chunk(tokens, null, n - seqLen, seqLen, document), n);
      case TRUNCATE_MIDDLE:
        return truncated(middle(tokens, document), n);
      case DROP:
        return new ChunkedDocument(List.of(), n, ChunkedDocument.Kind.DROPPED);
      default:
        throw new IllegalStateException("unhandled policy " + policy);
    }
  }

  private ChunkedDocument truncated(Chunk chunk, int n) {
    return new ChunkedDocument(List.of(chunk), n - seqLen, ChunkedDocument.Kind.TRUNCATED);
  }

  private Chunk middle(int[] tokens, long document) {
    int head = (seqLen + 1) / 2;
    int tail = seqLen / 2;
    int[] kept = new int[seqLen];
    System.arraycopy(tokens, 0, kept, 0, head);
    System.arraycopy(tokens, tokens.length - tail, kept, head, tail);
    byte[] targets = new byte[seqLen];
    Arrays.fill(targets, (byte) 1);
    targets[head] = 0;
    return new Chunk(kept, targets, 0, seqLen, document);
  }

  /** Chunks starting every {@code step} tokens, the last reaching the end; see the class doc. */
  private List<Chunk> windows(int[] tokens, long document, int step) {
    int n = tokens.length;
    int overlap = seqLen - step;
    // The last start k*step is the first with k*step + L >= n.
    Chunk[] chunks = new Chunk[(n - seqLen + step - 1) / step + 1];
    int count = 0;
    for (int start = 0; ; start += step) {
      int length = Math.min(seqLen, n - start);
      if (start == 0 || overlap == 0) {
        chunks[count++] = new Chunk(tokens, null, start, length, document);
      } else {
        int[] copy = new int[length];
        System.arraycopy(tokens, start, copy, 0, length);
        byte[] targets = new byte[length];
        // overlap < length: the previous chunk did not reach the end, so this one has new tokens.
        Arrays.fill(targets, overlap, length, (byte) 1);
        chunks[count++] = new Chunk(copy, targets, 0, length, document);
      }
      if (start + length >= n) {
        break;
      }
    }
    return List.of(chunks);
  }
}
