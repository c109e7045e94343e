package org.seqpack.tokenizer.bpe;

/**
 * The character classes of the pre-tokenizer patterns, on code points: {@code \p{L}}, {@code \p{N}}
 * and {@code \s} as Oniguruma defines them for Unicode (general categories L* and N*; the
 * White_Space characters). Java's tables are Unicode 13 (Java 17): a code point they leave
 * unassigned may be a letter in a newer Unicode, so {@link #unsure} marks it for the reference
 * engine instead of guessing.
 */
final class CharClasses {
  private CharClasses() {}

  static boolean letter(int cp) {
    return Character.isLetter(cp);
  }

  static boolean number(int cp) {
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.LETTER_NUMBER
        || type == Character.OTHER_NUMBER;
  }

  /** Unicode White_Space (the same set as Zs, Zl, Zp and U+0009..000D, U+0085). */
  static boolean white(int cp) {
    if (cp <= 0x20) {
      return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D);
    }
    if (cp < 0x85) {
      return false;
    }
    return cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** Neither white, letter nor number: {@code [^\s\p{L}\p{N}]}. */
  static boolean other(int cp) {
    return !white(cp) && !letter(cp) && !number(cp);
  }

  /** A code point whose class this JVM's Unicode tables cannot vouch for (or a lone surrogate). */
  static boolean unsure(int cp) {
    int type = Character.getType(cp);
    return type == Character.UNASSIGNED || type == Character.SURROGATE;
  }

  static boolean crOrLf(int cp) {
    return cp == '\r' || cp == '\n';
  }
}
