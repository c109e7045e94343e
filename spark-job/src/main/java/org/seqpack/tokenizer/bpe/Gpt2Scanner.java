package org.seqpack.tokenizer.bpe;

import static org.seqpack.tokenizer.bpe.Scanning.after;
import static org.seqpack.tokenizer.bpe.Scanning.at;
import static org.seqpack.tokenizer.bpe.Scanning.run;
import static org.seqpack.tokenizer.bpe.Scanning.whiteRun;

/**
 * {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}: GPT-2's
 * pre-tokenizer.
 */
final class Gpt2Scanner implements PreTokenizer {
  private static final String[] CONTRACTIONS = {"s", "t", "re", "ve", "m", "ll", "d"};

  @Override
  public void split(String text, int from, int to, Sink sink) {
    int i = from;
    while (i < to) {
      int end = match(text, i, to);
      sink.accept(i, end);
      i = end;
    }
  }

  private static int match(String text, int i, int to) {
    int c = at(text, i);
    if (c == '\'') {
      for (String tail : CONTRACTIONS) {
        if (text.startsWith(tail, i + 1) && i + 1 + tail.length() <= to) {
          return i + 1 + tail.length();
        }
      }
    }
    int j = c == ' ' && i + 1 < to ? i + 1 : i;
    int d = at(text, j);
    if (CharClasses.letter(d)) {
      return run(text, j, to, CharClasses::letter);
    }
    if (CharClasses.number(d)) {
      return run(text, j, to, CharClasses::number);
    }
    if (CharClasses.other(d)) {
      return run(text, j, to, CharClasses::other);
    }
    if (CharClasses.white(c)) {
      return whiteRun(text, i, to);
    }
    return after(text, i); // not reached: every code point is white, a letter, a number or other
  }
}
