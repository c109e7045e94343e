package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TextEncoder} that never hands the tokenizer more than {@code maxChars} chars in one
 * call, so that the native side's working memory (normalized string, offsets, pre-tokens: tens of
 * bytes per char) stays bounded whatever the document's length. Shorter texts go through unchanged.
 *
 * <p>For byte-level BPE tokenizers whose pre-tokenizer splits as described here; other tokenizers
 * get {@link SeamedTextEncoder}.
 *
 * <p>Where to cut. Byte-level BPE tokenizers (GPT-2, Llama 3, Qwen3, ...) split text into
 * pre-tokens with a regular expression before any merge; merges never cross a pre-token boundary. A
 * cut where every such expression has a boundary gives exactly the pre-tokens of the whole text, so
 * the concatenated ids equal a single call's. Two kinds of place qualify:
 *
 * <ul>
 *   <li>before the last space or tab of a white-space run that precedes a non-space: that last
 *       space always starts the next pre-token (GPT-2's {@code " ?\p{L}+"}, Llama 3's {@code
 *       "[^\r\n\p{L}\p{N}]?\p{L}+"}, {@code "\s+(?!\S)"} leaving it to the next word). CR and LF do
 *       not qualify: Llama 3 and Qwen3 glue newlines to the punctuation before them;
 *   <li>right after a letter or digit, before a character that is neither letter, digit nor mark
 *       (punctuation, a symbol, white space): no expression continues a letter or digit run into
 *       such a character, so a pre-token ends there. This covers text without spaces (Chinese,
 *       Japanese, code) at its punctuation and newlines.
 * </ul>
 *
 * Both keep the next character a starter that composes with nothing before it, so NFC normalization
 * (Qwen3) is unchanged too. The search goes back from the {@code maxChars} limit to the piece's
 * start and takes the first such place.
 *
 * <p>A window of {@code maxChars} with no such place (a "word" longer than the window) is cut at a
 * character boundary instead: never inside a surrogate pair, never before a combining mark, joiner,
 * variation selector or Hangul vowel/final jamo (which would change NFC normalization or the
 * grapheme). The text is kept, byte for byte, but ids within a few tokens of such a cut may differ
 * from a single call's: BPE merges do not cross it.
 */
public final class BoundedTextEncoder implements TextEncoder {
  /** How far a fallback cut may move back to avoid separating a mark from its base. */
  private static final int MAX_BACKOFF = 32;

  private final TextEncoder encoder;
  private final int maxChars;
  private final PackStats stats;

  /**
   * @param maxChars longest text per call, at least 16
   */
  public BoundedTextEncoder(TextEncoder encoder, int maxChars) {
    this(encoder, maxChars, null);
  }

  /**
   * @param stats where to count texts cut into pieces and cuts inside words (may be null); an
   *     encoder with stats belongs to one task's thread
   */
  public BoundedTextEncoder(TextEncoder encoder, int maxChars, PackStats stats) {
    if (maxChars < 16) {
      throw new IllegalArgumentException("'maxChars' is " + maxChars + "; must be at least 16");
    }
    this.encoder = encoder;
    this.maxChars = maxChars;
    this.stats = stats;
  }

  @Override
  public int[] encode(String text) {
    if (text.length() <= maxChars) {
      return encoder.encode(text);
    }
    List<int[]> pieces = new ArrayList<>();
    long total = 0;
    if (stats != null) {
      stats.textsInPieces++;
    }
    for (int start = 0; start < text.length(); ) {
      int end = cut(text, start, maxChars);
      if (stats != null && end < text.length() && !isPreTokenBoundary(text, end)) {
        stats.cutsInsideWords++;
      }
      int[] ids = encoder.encode(text.substring(start, end));
      pieces.add(ids);
      total += ids.length;
      start = end;
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new SeqpackException(
          "a document of " + text.length() + " chars has " + total + " tokens; at most 2^31");
    }
    int[] all = new int[(int) total];
    int at = 0;
    for (int i = 0; i < pieces.size(); i++) {
      int[] ids = pieces.set(i, null);
      System.arraycopy(ids, 0, all, at, ids.length);
      at += ids.length;
    }
    return all;
  }

  /**
   * End (exclusive) of the piece that starts at {@code start}: the whole rest when it fits, else
   * the rightmost pre-token boundary in {@code (start, start + maxChars]}, else a character
   * boundary.
   */
  static int cut(CharSequence text, int start, int maxChars) {
    int length = text.length();
    if (length - start <= maxChars) {
      return length;
    }
    int limit = start + maxChars;
    for (int p = limit; p > start; p--) {
      if (isPreTokenBoundary(text, p)) {
        return p;
      }
    }
    return characterBoundary(text, start, limit);
  }

  /** Whether every supported pre-tokenizer starts a pre-token at {@code p} (0 < p < length). */
  static boolean isPreTokenBoundary(CharSequence text, int p) {
    char c = text.charAt(p);
    if ((c == ' ' || c == '\t')
        && p + 1 < text.length()
        && !isSpaceLike(Character.codePointAt(text, p + 1))) {
      return true;
    }
    int before = Character.codePointBefore(text, p);
    if (!isLetterOrNumber(before)) {
      return false;
    }
    int at = Character.codePointAt(text, p);
    return !Character.isLowSurrogate(c) && !isLetterOrNumber(at) && !isMark(at) && !isJoiner(at);
  }

  /** The largest p ≤ limit (and > start) where a cut keeps every character and grapheme whole. */
  static int characterBoundary(CharSequence text, int start, int limit) {
    int floor = Math.max(start + 1, limit - MAX_BACKOFF);
    for (int p = limit; p >= floor; p--) {
      if (startsCluster(text, p)) {
        return p;
      }
    }
    // A run of marks longer than the back-off: keep at least the surrogate pairs whole.
    boolean insidePair =
        Character.isLowSurrogate(text.charAt(limit))
            && Character.isHighSurrogate(text.charAt(limit - 1));
    return insidePair ? limit - 1 : limit;
  }

  /** Whether the character at {@code p} may begin a piece. */
  private static boolean startsCluster(CharSequence text, int p) {
    if (Character.isLowSurrogate(text.charAt(p)) && Character.isHighSurrogate(text.charAt(p - 1))) {
      return false;
    }
    int codePoint = Character.codePointAt(text, p);
    return !isMark(codePoint) && !isJoiner(codePoint);
  }

  private static boolean isLetterOrNumber(int codePoint) {
    return switch (Character.getType(codePoint)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER ->
          true;
      default -> false;
    };
  }

  private static boolean isMark(int codePoint) {
    int type = Character.getType(codePoint);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Characters that extend the one before them without being marks, or compose with it. */
  private static boolean isJoiner(int codePoint) {
    return codePoint == 0x200C // zero-width non-joiner
        || codePoint == 0x200D // zero-width joiner
        || (codePoint >= 0xFE00 && codePoint <= 0xFE0F) // variation selectors
        || (codePoint >= 0xE0100 && codePoint <= 0xE01EF)
        || (codePoint >= 0x1F3FB && codePoint <= 0x1F3FF) // emoji skin tones
        || (codePoint >= 0xE0020 && codePoint <= 0xE007F) // emoji tag sequences
        || (codePoint >= 0x1160 && codePoint <= 0x11FF) // Hangul vowel and final jamo
        || (codePoint >= 0xD7B0 && codePoint <= 0xD7FF);
  }

  /** Any character some regex flavour could count as white space (or invisible space). */
  private static boolean isSpaceLike(int c) {
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == 0x85
        || c == 0x200B
        || c == 0x2060
        || c == 0xFEFF;
  }
}
