package org.seqpack.analyze;

/**
 * The text measures of a document: UTF-8 bytes, code points and words, in one pass.
 *
 * <p>A word is a maximal run of code points that are letters ({@link Character#isLetter}), digits
 * ({@link Character#isDigit}) or combining marks (general categories Mn, Mc, Me, so that Devanagari
 * vowel signs and decomposed accents stay inside their word). Punctuation, symbols and white space
 * separate words: {@code "l’autentica"} is two words, {@code "2004-03-30"} three. Scripts written
 * without spaces would make a whole sentence one word, so every ideograph and every Hiragana or
 * Katakana code point is a word of its own (Thai, Lao, Khmer and Myanmar are not split: their
 * tokens/word is not comparable with other languages').
 */
public final class Words {
  private Words() {}

  /** Bytes, code points and words of one text. */
  public record Counts(long bytes, long chars, long words) {}

  public static Counts count(String text) {
    long bytes = 0;
    long chars = 0;
    long words = 0;
    boolean inWord = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      chars++;
      bytes += utf8Length(cp);
      if (standsAlone(cp)) {
        words++;
        inWord = false;
      } else if (isWordCodePoint(cp)) {
        if (!inWord) {
          words++;
          inWord = true;
        }
      } else {
        inWord = false;
      }
    }
    return new Counts(bytes, chars, words);
  }

  /** Bytes of {@code cp} in UTF-8; a lone surrogate counts as the U+FFFD it becomes. */
  static int utf8Length(int cp) {
    if (cp < 0x80) {
      return 1;
    }
    if (cp < 0x800) {
      return 2;
    }
    return cp < 0x10000 ? 3 : 4;
  }

  static boolean isWordCodePoint(int cp) {
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  static boolean standsAlone(int cp) {
    if (Character.isIdeographic(cp)) {
      return true;
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(cp);
    return script == Character.UnicodeScript.HIRAGANA || script == Character.UnicodeScript.KATAKANA;
  }
}
