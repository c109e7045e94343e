package org.seqpack.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code train-tokenizer} learns and measures: the trainer's settings, the pre-tokenizer
 * pattern, the vocabulary sizes whose held-out compression is reported (the trained size always
 * among them), the fraction of documents held out of training to measure it, and the added
 * (non-special) tokens, whose ids follow the trained vocabulary.
 */
public record TrainingOptions(
    TrainerConfig trainer,
    PreTokenPattern pattern,
    List<Integer> vocabSizes,
    double heldOutFraction,
    List<String> addedTokens)
    implements java.io.Serializable {
  public TrainingOptions {
    TreeSet<Integer> sizes = new TreeSet<>(vocabSizes);
    sizes.add(trainer.vocabSize());
    vocabSizes = List.copyOf(sizes);
    addedTokens = List.copyOf(addedTokens);
    List<String> problems = problems(trainer, vocabSizes, heldOutFraction);
    problems.addAll(addedTokenProblems(trainer, addedTokens));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** Options without added tokens. */
  public TrainingOptions(
      TrainerConfig trainer,
      PreTokenPattern pattern,
      List<Integer> vocabSizes,
      double heldOutFraction) {
    this(trainer, pattern, vocabSizes, heldOutFraction, List.of());
  }

  /** Every rule the added tokens break: not empty, given once, not a special token. */
  public static List<String> addedTokenProblems(TrainerConfig trainer, List<String> addedTokens) {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String token : addedTokens) {
      if (token.isEmpty()) {
        problems.add("'--added-token' is ''; must not be empty");
      } else if (trainer.specialTokens().contains(token)) {
        problems.add("'--added-token' is '" + token + "'; must not be a special token too");
      } else if (!seen.add(token)) {
        problems.add("'--added-token' is '" + token + "' twice; must be given once");
      }
    }
    return problems;
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
