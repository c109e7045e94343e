package org.seqpack.train;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What {@code train-tokenizer} learns and measures: the trainer's settings, the pre-tokenizer
 * pattern, the vocabulary sizes whose held-out compression is reported (the trained size always
 * among them), and the fraction of documents held out of training to measure it.
 */
public record TrainingOptions(
    TrainerConfig trainer,
    PreTokenPattern pattern,
    List<Integer> vocabSizes,
    double heldOutFraction)
    implements java.io.Serializable {
  public TrainingOptions {
    TreeSet<Integer> sizes = new TreeSet<>(vocabSizes);
    sizes.add(trainer.vocabSize());
    vocabSizes = List.copyOf(sizes);
    List<String> problems = problems(trainer, vocabSizes, heldOutFraction);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** Every rule the sizes and the fraction break. */
  public static List<String> problems(
      TrainerConfig trainer, List<Integer> vocabSizes, double heldOutFraction) {
    List<String> problems = new ArrayList<>();
    for (int size : vocabSizes) {
      if (size < trainer.firstMergeId() || size > trainer.vocabSize()) {
        problems.add(
            "'--vocab-sizes' has "
                + size
                + "; must be between "
                + trainer.firstMergeId()
                + " (special tokens and bytes) and --vocab-size "
                + trainer.vocabSize());
      }
    }
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      problems.add("'--held-out-fraction' is " + heldOutFraction + "; must be >= 0 and < 1");
    }
    return problems;
  }
}
