package org.seqpack.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Held-out bytes per token at several vocabulary sizes of one training: a BPE trained to V holds
 * every smaller vocabulary as a prefix of its merges, so the curve needs one training only. Text is
 * given as its words with their counts (BPE encodes each word alone, so this is exact).
 */
public final class Compression {
  private Compression() {}

  /** Bytes per token of held-out text at one vocabulary size. */
  public record Point(int vocabSize, int merges, long bytes, long tokens) {
    public double bytesPerToken() {
      return tokens == 0 ? 0 : (double) bytes / tokens;
    }
  }

  /** One point per size in {@code vocabSizes}, each at most the trained vocabulary's size. */
  public static List<Point> curve(
      TrainedBpe bpe, Map<String, Long> heldOutWords, List<Integer> vocabSizes) {
    MergeEncoder encoder = new MergeEncoder(bpe);
    List<Point> points = new ArrayList<>();
    for (int size : vocabSizes) {
      int merges = bpe.truncate(size).merges().size();
      long bytes = 0;
      long tokens = 0;
      for (Map.Entry<String, Long> word : heldOutWords.entrySet()) {
        bytes += Words.bytes(word.getKey()) * word.getValue();
        tokens += (long) encoder.encode(word.getKey(), merges).length * word.getValue();
      }
      points.add(new Point(size, merges, bytes, tokens));
    }
    return points;
  }
}
