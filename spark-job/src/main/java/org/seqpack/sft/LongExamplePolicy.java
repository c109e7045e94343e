package org.seqpack.sft;

import java.util.Locale;

/** What happens to an SFT example longer than the sequence length L. The response is never cut. */
public enum LongExamplePolicy {
  /** Reject the example, counted as {@code too_long}. */
  DROP,
  /**
   * Remove tokens from the start of the prompt (left truncation) until L fit, keeping at least one
   * context token before the first response token; {@code too_long} when that is not enough.
   */
  TRUNCATE_PROMPT,
  /**
   * Cut into windows of at most L tokens, each after the first starting with the last token of the
   * one before as context, so every target is predicted exactly once; windows without a target are
   * left out.
   */
  SPLIT;

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
