package org.seqpack.sft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.seqpack.core.Chunk;

/** The outcome of encoding one SFT example: aligned tokens and targets, or why it was rejected. */
public sealed interface SftResult {

  /**
   * An encoded example. {@code targets[i]} is 1 where {@code tokens[i]} is a training target.
   * {@code windowStarts} holds where each window of at most L tokens starts (one window, at 0,
   * unless the split policy cut the example); {@code promptTokensCut} counts tokens removed by the
   * truncate-prompt policy.
   */
  record Accepted(
      int[] tokens, byte[] targets, int[] windowStarts, int[] windowLengths, int promptTokensCut)
      implements SftResult {

    public Accepted {
      Objects.requireNonNull(tokens, "tokens");
      Objects.requireNonNull(targets, "targets");
      if (targets.length != tokens.length || windowStarts.length != windowLengths.length) {
        throw new IllegalArgumentException("tokens, targets and windows are not aligned");
      }
    }

    /** The example as chunks of document {@code document}, one per window. */
    public List<Chunk> chunks(long document) {
      List<Chunk> chunks = new ArrayList<>(windowStarts.length);
      for (int i = 0; i < windowStarts.length; i++) {
        chunks.add(new Chunk(tokens, targets, windowStarts[i], windowLengths[i], document));
      }
      return chunks;
    }
  }

  /** A rejected example: the reason to count and a one-line detail for logs. */
  record Rejected(Rejection reason, String detail) implements SftResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
