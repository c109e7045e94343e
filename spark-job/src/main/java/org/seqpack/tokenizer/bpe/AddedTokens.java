package org.seqpack.tokenizer.bpe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Added tokens found in text as Hugging Face's {@code AddedVocabulary::find_matches} finds them:
 * leftmost-longest non-overlapping matches of the tokens' contents over the whole text first, then
 * each match checked for {@code single_word} (dropped when a word character touches it) and widened
 * by {@code lstrip}/{@code rstrip} over white space. Text between matches is ordinary text.
 */
final class AddedTokens {
  /** One added token as {@code tokenizer.json} describes it. */
  record Token(String content, int id, boolean singleWord, boolean lstrip, boolean rstrip) {}

  /** A piece of text: an added token's id, or -1 for ordinary text. */
  record Piece(int start, int end, int id) {}

  private final Map<Character, List<Token>> byFirstChar = new HashMap<>();
  private final boolean empty;

  AddedTokens(List<Token> tokens) {
    for (Token token : tokens) {
      if (!token.content().isEmpty()) {
        byFirstChar.computeIfAbsent(token.content().charAt(0), c -> new ArrayList<>()).add(token);
      }
    }
    // Longest first: the first that matches at a position is the leftmost-longest match.
    byFirstChar
        .values()
        .forEach(list -> list.sort(Comparator.comparingInt((Token t) -> -t.content().length())));
    empty = byFirstChar.isEmpty();
  }

  boolean isEmpty() {
    return empty;
  }

  /** {@code text[from, to)} as ordinary pieces and added tokens, covering it in order. */
  List<Piece> split(String text, int from, int to) {
    List<Piece> pieces = new ArrayList<>();
    if (empty) {
      pieces.add(new Piece(from, to, -1));
      return pieces;
    }
    int startOffset = from;
    int i = from;
    while (i < to) {
      Token token = longestAt(text, i, to);
      if (token == null) {
        i++;
        continue;
      }
      int start = i;
      int stop = i + token.content().length();
      i = stop; // matches never overlap, whether kept or not
      if (token.singleWord()) {
        boolean startSpace = start == from || !wordChar(text.codePointBefore(start));
        boolean stopSpace = stop == to || !wordChar(text.codePointAt(stop));
        if (!startSpace || !stopSpace) {
          continue;
        }
      }
      if (token.lstrip()) {
        int newStart = start;
        while (newStart > from && CharClasses.white(text.codePointBefore(newStart))) {
          newStart = text.offsetByCodePoints(newStart, -1);
        }
        start = Math.max(newStart, startOffset);
      }
      if (token.rstrip()) {
        while (stop < to && CharClasses.white(text.codePointAt(stop))) {
          stop = text.offsetByCodePoints(stop, 1);
        }
      }
      if (startOffset < start) {
        pieces.add(new Piece(startOffset, start, -1));
      }
      pieces.add(new Piece(start, stop, token.id()));
      startOffset = stop;
      i = Math.max(i, stop);
    }
    if (startOffset < to) {
      pieces.add(new Piece(startOffset, to, -1));
    }
    return pieces;
  }

  private Token longestAt(String text, int i, int to) {
    List<Token> candidates = byFirstChar.get(text.charAt(i));
    if (candidates == null) {
      return null;
    }
    for (Token token : candidates) {
      if (i + token.content().length() <= to && text.startsWith(token.content(), i)) {
        return token;
      }
    }
    return null;
  }

  /** {@code \w} of Rust's regex crate: alphabetic, marks, decimal digits, connectors, joiners. */
  static boolean wordChar(int cp) {
    if (Character.isAlphabetic(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.DECIMAL_DIGIT_NUMBER
        || type == Character.CONNECTOR_PUNCTUATION
        || cp == 0x200C
        || cp == 0x200D;
  }
}
