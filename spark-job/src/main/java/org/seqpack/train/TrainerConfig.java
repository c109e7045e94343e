package org.seqpack.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What a training run learns: the vocabulary size (special tokens and the 256 byte characters
 * included), the minimum count of a word to be kept and of a pair to be merged, and the special
 * tokens, which take the first ids in this order.
 */
public record TrainerConfig(int vocabSize, long minFrequency, List<String> specialTokens)
    implements java.io.Serializable {
  /** The byte-level alphabet: every byte value is a character of the vocabulary. */
  public static final int ALPHABET = 256;

  public TrainerConfig {
    specialTokens = List.copyOf(specialTokens);
    List<String> problems = problems(vocabSize, minFrequency, specialTokens);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
  }

  /** Every rule the values break, as {@code '<flag>' is <value>; must be <rule>}. */
  public static List<String> problems(int vocabSize, long minFrequency, List<String> specials) {
    List<String> problems = new ArrayList<>();
    int least = ALPHABET + specials.size() + 1;
    if (vocabSize < least) {
      problems.add(
          "'--vocab-size' is "
              + vocabSize
              + "; must be at least "
              + least
              + " (the 256 byte characters, "
              + specials.size()
              + " special tokens and one merge)");
    }
    if (minFrequency < 0) {
      problems.add("'--min-frequency' is " + minFrequency + "; must be >= 0");
    }
    HashSet<String> seen = new HashSet<>();
    for (String special : specials) {
      if (special.isEmpty()) {
        problems.add("'--special-token' is ''; must not be empty");
      } else if (!seen.add(special)) {
        problems.add("'--special-token' is '" + special + "' twice; must be given once");
      }
    }
    return problems;
  }

  /** Ids below this are special tokens and byte characters. */
  public int firstMergeId() {
    return specialTokens.size() + ALPHABET;
  }
}
