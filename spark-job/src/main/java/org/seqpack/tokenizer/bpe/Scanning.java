package org.seqpack.tokenizer.bpe;

/** Helpers shared by the scanners: code points and runs of a class. */
final class Scanning {
  private Scanning() {}

  /** A class of code points. */
  @FunctionalInterface
  interface CodePointClass {
    boolean contains(int cp);
  }

  static int at(String text, int i) {
    return Character.codePointAt(text, i);
  }

  static int after(String text, int i) {
    return i + Character.charCount(Character.codePointAt(text, i));
  }

  /** The end of the run of {@code cls} starting at {@code i} (i itself when none). */
  static int run(String text, int i, int to, CodePointClass cls) {
    while (i < to) {
      int cp = Character.codePointAt(text, i);
      if (!cls.contains(cp)) {
        break;
      }
      i += Character.charCount(cp);
    }
    return i;
  }

  /**
   * {@code \s+(?!\S)} then {@code \s+} at a white {@code i}: the white run, less its last character
   * when a non-white one follows and the run has more than one.
   */
  static int whiteRun(String text, int i, int to) {
    int end = run(text, i, to, CharClasses::white);
    if (end < to) {
      int last = Character.offsetByCodePoints(text, end, -1);
      if (last > i) {
        return last;
      }
    }
    return end;
  }
}
