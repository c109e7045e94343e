package org.seqpack.sft;

import java.io.Serializable;

/**
 * SFT settings of a run; {@code enabled} is false for pretraining.
 *
 * @param chatTemplatePath a template file, or empty for the tokenizer's own chat_template
 */
public record SftConfig(
    boolean enabled,
    String promptField,
    String completionField,
    String messagesField,
    String chatTemplatePath,
    boolean trainOnPrompt,
    LongExamplePolicy longExamples,
    boolean completionEos)
    implements Serializable {

  /** The encoder options for sequence length {@code seqLen}. */
  public SftOptions options(int seqLen) {
    return new SftOptions(seqLen, longExamples, trainOnPrompt, completionEos);
  }
}
