package org.seqpack.core;

import java.util.Arrays;

/**
 * A {@link TextEncoder} for long texts and any tokenizer: windows of at most {@code maxChars}
 * characters overlap, and each seam is placed where the two windows' encodings agree.
 *
 * <p>{@link BoundedTextEncoder} cuts where the byte-level BPE pre-tokenizers always start a
 * pre-token, which is exact for them. Other tokenizers split text nowhere before merging: a
 * SentencePiece-style BPE (Llama 2, Mistral, Gemma) turns spaces into {@code ▁} and may merge
 * across them ({@code ▁of▁the}), so no place in the text is a token boundary by construction. Here
 * consecutive windows share {@code overlap} characters; in the middle half of the overlap the seam
 * is a position where both windows end and start a token and agree on the {@value #AGREE} tokens
 * before and after it (ids and character spans), far enough from either window's edge that its
 * context is the text's own. The ids are the first window's up to the seam and the second's from
 * it. When no position agrees (a single token longer than the overlap), the overlap doubles, up to
 * the window; failing that the seam falls at the overlap's middle token boundary and counts as a
 * cut inside a word.
 */
public final class SeamedTextEncoder implements TextEncoder {
  static final int AGREE = 4;

  /** Text to ids and each id's span {@code [start, end)} in the text's chars. */
  @FunctionalInterface
  public interface SpanEncoder {
    Spans encode(String text);
  }

  /** Ids with their spans, aligned. */
  public record Spans(int[] ids, int[] starts, int[] ends) {}

  private final SpanEncoder encoder;
  private final int maxChars;
  private final int overlap;
  private final PackStats stats;

  /**
   * @param maxChars longest text per call, at least 64
   * @param stats where to count texts in pieces and unverified seams (may be null)
   */
  public SeamedTextEncoder(SpanEncoder encoder, int maxChars, PackStats stats) {
    if (maxChars < 64) {
      throw new IllegalArgumentException("'maxChars' is " + maxChars + "; must be at least 64");
    }
    this.encoder = encoder;
    this.maxChars = maxChars;
    this.overlap = Math.max(32, Math.min(maxChars / 4, 8192));
    this.stats = stats;
  }

  @Override
  public int[] encode(String text) {
    if (text.length() <= maxChars) {
      return encoder.encode(text).ids();
    }
    if (stats != null) {
      stats.textsInPieces++;
    }
    Ids out = new Ids(text.length() / 3);
    int keepFrom = 0; // chars before it were taken from earlier windows
    int windowEnd = BoundedTextEncoder.cut(text, 0, maxChars);
    Spans window = shifted(text, 0, windowEnd);
    while (windowEnd < text.length()) {
      int currentOverlap = overlap;
      int seam = -1;
      Spans next = null;
      int nextEnd = 0;
      while (seam < 0) {
        int nextStart =
            BoundedTextEncoder.characterBoundary(
                text, keepFrom + 1, Math.max(keepFrom + 1, windowEnd - currentOverlap));
        nextEnd = BoundedTextEncoder.cut(text, nextStart, maxChars);
        next = shifted(text, nextStart, nextEnd);
        seam = agreeingSeam(window, next, nextStart, windowEnd, keepFrom);
        if (seam < 0 && currentOverlap * 2 <= maxChars / 2) {
          currentOverlap *= 2;
        } else if (seam < 0) {
          seam = fallbackSeam(window, nextStart, windowEnd, keepFrom);
          if (stats != null) {
            stats.cutsInsideWords++;
          }
        }
      }
      take(window, keepFrom, seam, out);
      keepFrom = seam;
      window = next;
      windowEnd = nextEnd;
    }
    take(window, keepFrom, text.length(), out);
    return out.toArray();
  }

  /** The encoding of {@code text[from, to)} with spans in the whole text's positions. */
  private Spans shifted(String text, int from, int to) {
    Spans spans = encoder.encode(text.substring(from, to));
    int[] starts = spans.starts().clone();
    int[] ends = spans.ends().clone();
    for (int i = 0; i < starts.length; i++) {
      starts[i] += from;
      ends[i] += from;
    }
    return new Spans(spans.ids(), starts, ends);
  }

  /**
   * A position in the middle half of the overlap {@code [nextStart, windowEnd)} where both windows
   * have a token boundary and agree on {@value #AGREE} tokens either side; the one nearest the
   * middle, or -1.
   */
  private static int agreeingSeam(
      Spans window, Spans next, int nextStart, int windowEnd, int keepFrom) {
    int quarter = (windowEnd - nextStart) / 4;
    int low = Math.max(nextStart + quarter, keepFrom + 1);
    int high = windowEnd - quarter;
    int middle = (low + high) / 2;
    int best = -1;
    for (int i = 0; i < window.ids().length; i++) {
      int p = window.starts()[i];
      if (p < low || p > high || (i > 0 && window.ends()[i - 1] != p)) {
        continue;
      }
      int j = firstStartingAt(next, p);
      if (j < 0 || !agree(window, i, next, j)) {
        continue;
      }
      if (best < 0 || Math.abs(p - middle) < Math.abs(best - middle)) {
        best = p;
      }
    }
    return best;
  }

  /** The index of the token of {@code spans} that starts at {@code p} after a boundary, or -1. */
  private static int firstStartingAt(Spans spans, int p) {
    int j = Arrays.binarySearch(spans.starts(), p);
    if (j < 0) {
      return -1;
    }
    while (j > 0 && spans.starts()[j - 1] == p) {
      j--; // byte-fallback tokens of one character share its span
    }
    return j == 0 || spans.ends()[j - 1] == p ? j : -1;
  }

  private static boolean agree(Spans a, int i, Spans b, int j) {
    for (int k = -AGREE; k < AGREE; k++) {
      int x = i + k;
      int y = j + k;
      if (x < 0 || y < 0 || x >= a.ids().length || y >= b.ids().length) {
        return false;
      }
      if (a.ids()[x] != b.ids()[y]
          || a.starts()[x] != b.starts()[y]
          || a.ends()[x] != b.ends()[y]) {
        return false;
      }
    }
    return true;
  }

  /** A token boundary of the first window near the overlap's middle (no agreement was found). */
  private static int fallbackSeam(Spans window, int nextStart, int windowEnd, int keepFrom) {
    int middle = (nextStart + windowEnd) / 2;
    int best = -1;
    for (int i = 1; i < window.ids().length; i++) {
      int p = window.starts()[i];
      if (p > keepFrom && window.ends()[i - 1] == p && p >= nextStart) {
        if (best < 0 || Math.abs(p - middle) < Math.abs(best - middle)) {
          best = p;
        }
      }
    }
    return best > 0 ? best : Math.max(keepFrom + 1, nextStart);
  }

  /** Appends the tokens of {@code window} that start in {@code [from, to)}. */
  private static void take(Spans window, int from, int to, Ids out) {
    for (int i = 0; i < window.ids().length; i++) {
      int start = window.starts()[i];
      if (start >= from && start < to) {
        out.add(window.ids()[i]);
      }
    }
  }

  /** A growable int array. */
  private static final class Ids {
    private int[] values;
    private int size;

    Ids(int capacity) {
      values = new int[Math.max(16, capacity)];
    }

    void add(int id) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = id;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
