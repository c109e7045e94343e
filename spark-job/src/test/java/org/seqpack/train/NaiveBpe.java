package org.seqpack.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BPE by the textbook: recount every pair of every word before each merge. The reference for the
 * incremental trainer; ids as the trainer gives them (one special token, bytes by code point).
 */
final class NaiveBpe {
  private NaiveBpe() {}

  static List<String> merges(Map<String, Long> counts, int maxMerges, long minFrequency) {
    Map<String, Integer> ids = new HashMap<>();
    ids.put("<s>", 0);
    char[] alphabet = new char[256];
    for (int b = 0; b < 256; b++) {
      alphabet[b] = org.seqpack.tokenizer.bpe.ByteLevel.of(b);
    }
    java.util.Arrays.sort(alphabet);
    for (char c : alphabet) {
      ids.put(String.valueOf(c), ids.size());
    }
    List<List<String>> words = new ArrayList<>();
    List<Long> wordCounts = new ArrayList<>();
    counts.forEach(
        (word, count) -> {
          List<String> symbols = new ArrayList<>();
          for (char c : word.toCharArray()) {
            symbols.add(String.valueOf(c));
          }
          words.add(symbols);
          wordCounts.add(count);
        });
    List<String> merges = new ArrayList<>();
    int vocab = ids.size();
    while (vocab < 257 + maxMerges) {
      Map<List<String>, Long> pairs = new HashMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<String> symbols = words.get(w);
        for (int i = 0; i + 1 < symbols.size(); i++) {
          pairs.merge(List.of(symbols.get(i), symbols.get(i + 1)), wordCounts.get(w), Long::sum);
        }
      }
      List<String> best = null;
      long bestCount = 0;
      for (Map.Entry<List<String>, Long> pair : pairs.entrySet()) {
        long count = pair.getValue();
        if (count > bestCount || (count == bestCount && smaller(pair.getKey(), best, ids))) {
          best = pair.getKey();
          bestCount = count;
        }
      }
      if (best == null || bestCount < Math.max(1, minFrequency)) {
        break;
      }
      String token = best.get(0) + best.get(1);
      if (!ids.containsKey(token)) {
        ids.put(token, ids.size());
        vocab++;
      }
      merges.add(best.get(0) + " " + best.get(1));
      for (List<String> symbols : words) {
        for (int i = 0; i + 1 < symbols.size(); i++) {
          if (symbols.get(i).equals(best.get(0)) && symbols.get(i + 1).equals(best.get(1))) {
            symbols.set(i, token);
            symbols.remove(i + 1);
          }
        }
      }
    }
    return merges;
  }

  private static boolean smaller(List<String> pair, List<String> than, Map<String, Integer> ids) {
    if (than == null) {
      return true;
    }
    int a = ids.get(pair.get(0));
    int b = ids.get(than.get(0));
    return a != b ? a < b : ids.get(pair.get(1)) < ids.get(than.get(1));
  }
}
