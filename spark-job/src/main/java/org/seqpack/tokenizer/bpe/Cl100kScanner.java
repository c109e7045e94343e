package org.seqpack.tokenizer.bpe;

import static org.seqpack.tokenizer.bpe.Scanning.after;
import static org.seqpack.tokenizer.bpe.Scanning.at;
import static org.seqpack.tokenizer.bpe.Scanning.run;
import static org.seqpack.tokenizer.bpe.Scanning.whiteRun;

/**
 * {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,k}| ?[^\s\p{L}\p{N}]+[\r\n]*
 * |\s*[\r\n]+|\s+(?!\S)|\s+}: the cl100k family (Llama 3 with k = 3, Qwen with k = 1).
 */
final class Cl100kScanner implements PreTokenizer {
  private final int maxDigits;

  Cl100kScanner(int maxDigits) {
    this.maxDigits = maxDigits;
  }

  @Override
  public void split(String text, int from, int to, Sink sink) {
    int i = from;
    while (i < to) {
      int end = match(text, i, to);
      sink.accept(i, end);
      i = end;
    }
  }

  private int match(String text, int i, int to) {
    int c = at(text, i);
    int next = after(text, i);
    if (c == '\'' && next < to) {
      int contraction = contraction(text, next, to);
      if (contraction > 0) {
        return contraction;
      }
    }
    if (CharClasses.letter(c)) {
      return run(text, i, to, CharClasses::letter);
    }
    if (!CharClasses.crOrLf(c)
        && !CharClasses.number(c)
        && next < to
        && CharClasses.letter(at(text, next))) {
      return run(text, next, to, CharClasses::letter);
    }
    if (CharClasses.number(c)) {
      int end = next;
      for (int k = 1; k < maxDigits && end < to && CharClasses.number(at(text, end)); k++) {
        end = after(text, end);
      }
      return end;
    }
    int j = c == ' ' && next < to ? next : i;
    if (CharClasses.other(at(text, j))) {
      int end = run(text, j, to, CharClasses::other);
      return run(text, end, to, CharClasses::crOrLf);
    }
    // c is white here.
    int end = run(text, i, to, CharClasses::white);
    for (int k = end; k > i; ) {
      int last = Character.offsetByCodePoints(text, k, -1);
      if (CharClasses.crOrLf(text.charAt(last))) {
        return k; // \s*[\r\n]+ ends at the run's last CR or LF
      }
      k = last;
    }
    return whiteRun(text, i, to);
  }

  /** The end of {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)} after the apostrophe at {@code at}, or 0. */
  private static int contraction(String text, int at, int to) {
    int c = text.charAt(at);
    switch (c) {
      case 's', 'S', '\u017F', 't', 'T', 'm', 'M', 'd', 'D':
        return at + 1;
      case 'r', 'R':
        return letterAt(text, at + 1, to, 'e') ? at + 2 : 0;
      case 'v', 'V':
        return letterAt(text, at + 1, to, 'e') ? at + 2 : 0;
      case 'l', 'L':
        return letterAt(text, at + 1, to, 'l') ? at + 2 : 0;
      default:
        return 0;
    }
  }

  private static boolean letterAt(String text, int i, int to, char lower) {
    return i < to && Character.toLowerCase(text.charAt(i)) == lower && text.charAt(i) < 128;
  }
}
