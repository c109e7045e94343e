package org.seqpack.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes byte-level words with a trained BPE's merges as the BPE model does (the lowest-ranked
 * adjacent pair first, the leftmost of equal ones), optionally with only a prefix of the merges:
 * the tokenizer of a smaller vocabulary from the same training.
 */
public final class MergeEncoder {
  private final Map<String, Integer> ids = new HashMap<>();
  private final Map<Long, int[]> ranks = new HashMap<>();

  public MergeEncoder(TrainedBpe bpe) {
    List<String> tokens = bpe.tokens();
    for (int id = 0; id < tokens.size(); id++) {
      ids.putIfAbsent(tokens.get(id), id);
    }
    List<int[]> merges = bpe.merges();
    for (int rank = 0; rank < merges.size(); rank++) {
      int[] merge = merges.get(rank);
      // A pair learned twice keeps its first rank, as a BPE model reading the merges does.
      ranks.putIfAbsent(((long) merge[0] << 32) | merge[1], new int[] {rank, merge[2]});
    }
  }

  /** The ids of a byte-level word using the first {@code mergeCount} merges. */
  public int[] encode(String word, int mergeCount) {
    int[] symbols = new int[word.length()];
    for (int i = 0; i < symbols.length; i++) {
      Integer id = ids.get(String.valueOf(word.charAt(i)));
      if (id == null) {
        throw new IllegalArgumentException(
            "word '" + word + "' has a character outside the byte-level alphabet at " + i);
      }
      symbols[i] = id;
    }
    int length = symbols.length;
    while (length > 1) {
      int best = -1;
      int bestRank = mergeCount;
      int bestId = -1;
      for (int i = 0; i + 1 < length; i++) {
        int[] rank = ranks.get(((long) symbols[i] << 32) | symbols[i + 1]);
        if (rank != null && rank[0] < bestRank) {
          best = i;
          bestRank = rank[0];
          bestId = rank[1];
        }
      }
      if (best < 0) {
        break;
      }
      symbols[best] = bestId;
      System.arraycopy(symbols, best + 2, symbols, best + 1, length - best - 2);
      length--;
    }
    return java.util.Arrays.copyOf(symbols, length);
  }
}
