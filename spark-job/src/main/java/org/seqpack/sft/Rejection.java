package org.seqpack.sft;

import java.util.Locale;

/** Why an SFT example produced no training rows; {@link #counterName()} names its counter. */
public enum Rejection {
  /** Longer than L and the policy could not keep it whole. */
  TOO_LONG,
  /** No token to train on (no assistant turn, empty completion). */
  NO_TARGET,
  /** Empty conversation, unknown role, or text that cannot be tokenized losslessly. */
  INVALID_MESSAGES,
  /** The chat template raised an error or {@code raise_exception}. */
  TEMPLATE_ERROR,
  /** The message contents could not be located in the rendered text, so masks would be guesses. */
  TEMPLATE_MISMATCH;

  public String counterName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
