package org.seqpack.sft;

import java.io.Serializable;
import java.util.Objects;

/**
 * How SFT examples become tokens and targets.
 *
 * @param maxLength the sequence length L: no example or window is longer
 * @param longExamples what to do with examples longer than L
 * @param trainOnPrompt make every token a target, prompt and template scaffolding included
 * @param completionEos append the tokenizer's EOS token, as a target, after a prompt/completion
 */
public record SftOptions(
    int maxLength, LongExamplePolicy longExamples, boolean trainOnPrompt, boolean completionEos)
    implements Serializable {
  public static final LongExamplePolicy DEFAULT_LONG_EXAMPLES = LongExamplePolicy.DROP;
  public static final boolean DEFAULT_TRAIN_ON_PROMPT = false;

  /** The option key named in messages; declared in config.JobOptions, pinned by its test. */
  public static final String COMPLETION_EOS = "sft.completion-eos";

  public static final boolean DEFAULT_COMPLETION_EOS = true;

  public SftOptions {
    Objects.requireNonNull(longExamples, "longExamples");
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength is " + maxLength + "; must be at least 2");
    }
  }

  /** The defaults for sequence length {@code maxLength}. */
  public static SftOptions defaults(int maxLength) {
    return new SftOptions(
        maxLength, DEFAULT_LONG_EXAMPLES, DEFAULT_TRAIN_ON_PROMPT, DEFAULT_COMPLETION_EOS);
  }

  public SftOptions withLongExamples(LongExamplePolicy policy) {
    return new SftOptions(maxLength, policy, trainOnPrompt, completionEos);
  }

  public SftOptions withTrainOnPrompt(boolean value) {
    return new SftOptions(maxLength, longExamples, value, completionEos);
  }

  public SftOptions withCompletionEos(boolean value) {
    return new SftOptions(maxLength, longExamples, trainOnPrompt, value);
  }
}
