package org.seqpack.train;

import java.util.ArrayList;
import java.util.List;

/**
 * A trained byte-level BPE: the vocabulary in id order (special tokens, the byte characters by code
 * point, then each merge's result) and the merges in the order learned, which is their rank.
 *
 * @param tokens the vocabulary strings; a token's id is its index
 * @param merges each merge as {@code {left id, right id, result id}}
 * @param specialTokens how many of the first tokens are special tokens
 */
public record TrainedBpe(List<String> tokens, List<int[]> merges, int specialTokens) {
  public TrainedBpe {
    tokens = List.copyOf(tokens);
    merges = List.copyOf(merges);
  }

  public int vocabSize() {
    return tokens.size();
  }

  /**
   * The BPE a training to {@code vocabSize} would have learned: merges are learned in order, so it
   * is the prefix of the merges whose results all lie below {@code vocabSize}.
   *
   * @throws IllegalArgumentException when {@code vocabSize} is above this vocabulary's size or
   *     below its special tokens and bytes
   */
  public TrainedBpe truncate(int vocabSize) {
    int least = specialTokens + TrainerConfig.ALPHABET;
    if (vocabSize < least || vocabSize > tokens.size()) {
      throw new IllegalArgumentException(
          "vocabulary size "
              + vocabSize
              + "; must be between "
              + least
              + " and the trained "
              + tokens.size());
    }
    List<int[]> kept = new ArrayList<>();
    for (int[] merge : merges) {
      if (merge[2] >= vocabSize) {
        break;
      }
      kept.add(merge);
    }
    return new TrainedBpe(tokens.subList(0, vocabSize), kept, specialTokens);
  }
}
