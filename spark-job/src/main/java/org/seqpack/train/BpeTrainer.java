package org.seqpack.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.seqpack.tokenizer.bpe.ByteLevel;

/**
 * Learns byte-level BPE merges from word counts, incrementally: the count of every adjacent pair
 * and the words it occurs in are kept up to date as merges rewrite words, and a priority queue
 * holds candidates whose counts are checked when they come out (lazy invalidation). A merge costs
 * the words that contain its pair, never a recount of the corpus.
 *
 * <p>The choices follow Hugging Face's {@code BpeTrainer}, so that both learn the same merges from
 * the same counts: special tokens first, then the 256 byte characters sorted by code point; the
 * most frequent pair first and, between equal counts, the pair of smaller ids; training stops at
 * the vocabulary size, or when the best pair occurs fewer than {@code minFrequency} times.
 */
public final class BpeTrainer {
  private final TrainerConfig config;

  public BpeTrainer(TrainerConfig config) {
    this.config = config;
  }

  /** A candidate merge as it was counted when queued. */
  private record Candidate(long count, long pair) {}

  /** A pair's live count and the words it was seen in (a word may be listed more than once). */
  private static final class PairStats {
    long count;
    int[] words = new int[2];
    int size;

    void addWord(int word) {
      // A word's own additions come one after another: this check keeps them once.
      if (size > 0 && words[size - 1] == word) {
        return;
      }
      if (size == words.length) {
        words = Arrays.copyOf(words, size * 2);
      }
      words[size++] = word;
    }
  }

  /**
   * Trains on {@code wordCounts}: byte-level words (see {@link Words}) and how often each occurs.
   *
   * @throws IllegalArgumentException when a word has a character outside the byte-level alphabet
   */
  public TrainedBpe train(Map<String, Long> wordCounts) {
    List<String> tokens = new ArrayList<>(config.vocabSize());
    Map<String, Integer> ids = new HashMap<>(config.vocabSize() * 2);
    for (String special : config.specialTokens()) {
      ids.put(special, tokens.size());
      tokens.add(special);
    }
    char[] alphabet = new char[TrainerConfig.ALPHABET];
    for (int b = 0; b < alphabet.length; b++) {
      alphabet[b] = ByteLevel.of(b);
    }
    Arrays.sort(alphabet);
    int[] charIds = new int[Character.MAX_VALUE + 1];
    Arrays.fill(charIds, -1);
    for (char c : alphabet) {
      String token = String.valueOf(c);
      Integer known = ids.get(token);
      if (known == null) {
        known = tokens.size();
        ids.put(token, known);
        tokens.add(token);
      }
      charIds[c] = known;
    }

    int[][] words = new int[wordCounts.size()][];
    long[] counts = new long[words.length];
    int index = 0;
    for (Map.Entry<String, Long> entry : wordCounts.entrySet()) {
      String word = entry.getKey();
      int[] symbols = new int[word.length()];
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = charIds[word.charAt(i)];
        if (symbols[i] < 0) {
          throw new IllegalArgumentException(
              "word '" + word + "' has a character outside the byte-level alphabet at " + i);
        }
      }
      words[index] = symbols;
      counts[index] = entry.getValue();
      index++;
    }

    Map<Long, PairStats> pairs = new HashMap<>();
    for (int w = 0; w < words.length; w++) {
      int[] symbols = words[w];
      for (int i = 0; i + 1 < symbols.length; i++) {
        PairStats stats =
            pairs.computeIfAbsent(pair(symbols[i], symbols[i + 1]), p -> new PairStats());
        stats.count += counts[w];
        stats.addWord(w);
      }
    }
    PriorityQueue<Candidate> queue =
        new PriorityQueue<>(
            Math.max(1, pairs.size()),
            (x, y) ->
                x.count != y.count ? Long.compare(y.count, x.count) : Long.compare(x.pair, y.pair));
    pairs.forEach((pair, stats) -> queue.add(new Candidate(stats.count, pair)));

    List<int[]> merges = new ArrayList<>();
    int[] lengths = new int[words.length];
    for (int w = 0; w < words.length; w++) {
      lengths[w] = words[w].length;
    }
    int[] visited = new int[words.length];
    Arrays.fill(visited, -1);
    Set<Long> grown = new HashSet<>();
    while (tokens.size() < config.vocabSize() && !queue.isEmpty()) {
      Candidate top = queue.poll();
      PairStats stats = pairs.get(top.pair);
      long current = stats == null ? 0 : stats.count;
      if (current != top.count) {
        if (current > 0) {
          queue.add(new Candidate(current, top.pair));
        }
        continue;
      }
      if (top.count < 1 || top.count < config.minFrequency()) {
        break;
      }
      int left = (int) (top.pair >>> 32);
      int right = (int) top.pair;
      String token = tokens.get(left) + tokens.get(right);
      Integer id = ids.get(token);
      if (id == null) {
        id = tokens.size();
        ids.put(token, id);
        tokens.add(token);
      }
      merges.add(new int[] {left, right, id});
      pairs.remove(top.pair);
      int stamp = merges.size();
      grown.clear();
      for (int k = 0; k < stats.size; k++) {
        int w = stats.words[k];
        if (visited[w] != stamp) {
          visited[w] = stamp;
          lengths[w] = merge(w, words[w], lengths[w], counts[w], top.pair, id, pairs, grown);
        }
      }
      for (Long pair : grown) {
        PairStats changed = pairs.get(pair);
        if (changed != null && changed.count > 0) {
          queue.add(new Candidate(changed.count, pair));
        }
      }
    }
    return new TrainedBpe(tokens, merges, config.specialTokens().size());
  }

  /**
   * Replaces each occurrence of {@code merged} in the word, left to right, by {@code id}, and
   * updates the counts of the pairs around it; returns the word's new length. The pairs whose
   * counts grew go to {@code grown} (they are queued again).
   */
  private static int merge(
      int w,
      int[] symbols,
      int length,
      long count,
      long merged,
      int id,
      Map<Long, PairStats> pairs,
      Set<Long> grown) {
    int left = (int) (merged >>> 32);
    int right = (int) merged;
    int out = 0;
    int i = 0;
    while (i < length) {
      if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
        if (out > 0) {
          change(pairs, grown, merged, pair(symbols[out - 1], left), -count, w);
          change(pairs, grown, merged, pair(symbols[out - 1], id), count, w);
        }
        if (i + 2 < length) {
          change(pairs, grown, merged, pair(right, symbols[i + 2]), -count, w);
          change(pairs, grown, merged, pair(id, symbols[i + 2]), count, w);
        }
        symbols[out++] = id;
        i += 2;
      } else {
        symbols[out++] = symbols[i++];
      }
    }
    return out;
  }

  private static void change(
      Map<Long, PairStats> pairs, Set<Long> grown, long merged, long pair, long delta, int w) {
    if (pair == merged) {
      return; // the merged pair is gone from the table, and from every word
    }
    PairStats stats = pairs.computeIfAbsent(pair, p -> new PairStats());
    stats.count += delta;
    if (stats.count == 0) {
      // Gone from every word: its word list goes too (a later merge may start it afresh).
      pairs.remove(pair);
      return;
    }
    if (delta > 0) {
      stats.addWord(w);
      grown.add(pair);
    }
  }

  private static long pair(int left, int right) {
    return ((long) left << 32) | right;
  }
}
