package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where long texts are cut before tokenization, with a fake encoder that records the pieces (ids
 * are code points). {@code PiecewiseEncodingTest} checks the real tokenizers' ids.
 */
class BoundedTextEncoderTest {

  /** Records every piece it is given; ids are the piece's code points. */
  static final class Recorder implements TextEncoder {
    final List<String> pieces = new ArrayList<>();

    @Override
    public int[] encode(String text) {
      pieces.add(text);
      return text.codePoints().toArray();
    }
  }

  static List<String> pieces(String text, int maxChars) {
    Recorder recorder = new Recorder();
    int[] ids = new BoundedTextEncoder(recorder, maxChars).encode(text);
    assertArrayEquals(text.codePoints().toArray(), ids, "ids of the pieces, in order");
    assertEquals(text, String.join("", recorder.pieces));
    return recorder.pieces;
  }

  static Stream<Arguments> cuts() {
    return Stream.of(
        // text, max chars, expected pieces
        Arguments.of("short text", 16, List.of("short text")),
        Arguments.of("hello world and friends", 16, List.of("hello world and", " friends")),
        // In a run of spaces the last one goes with the next word.
        Arguments.of("abcdefghij     klmnop", 16, List.of("abcdefghij    ", " klmnop")),
        // A tab is a space; a newline after a letter closes the letter run.
        Arguments.of("abcdefghijk\tlmnopq", 16, List.of("abcdefghijk", "\tlmnopq")),
        Arguments.of("abcdefghijklm\nnopq", 16, List.of("abcdefghijklm", "\nnopq")),
        // No cut between punctuation and the newline after it (Llama 3 glues them).
        Arguments.of("abcdefghijkl!\nnop", 16, List.of("abcdefghijkl", "!\nnop")),
        // Chinese without spaces: before the punctuation that follows a letter.
        Arguments.of("中文中文中文中文中文中文中文。中文中文", 16, List.of("中文中文中文中文中文中文中文", "。中文中文")),
        // A word longer than the window: a plain cut at the limit.
        Arguments.of("x".repeat(40), 16, List.of("x".repeat(16), "x".repeat(16), "x".repeat(8))),
        // ... which moves back rather than split a surrogate pair or strip a combining mark.
        Arguments.of("abcdefghijklmno👋pq", 16, List.of("abcdefghijklmno", "👋pq")),
        Arguments.of("abcdefghijklmnoe\u0301xyz", 16, List.of("abcdefghijklmno", "e\u0301xyz")),
        Arguments.of("abcdefghijklmn👍🏽xyz", 16, List.of("abcdefghijklmn", "👍🏽xyz")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cuts")
  void cutsWhereDocumented(String text, int maxChars, List<String> expected) {
    assertEquals(expected, pieces(text, maxChars));
  }

  @Property(tries = 1000)
  void piecesAreBoundedAndKeepEveryCharacter(
      @ForAll("hostileText") String text, @ForAll @IntRange(min = 16, max = 64) int maxChars) {
    List<String> pieces = pieces(text, maxChars);
    if (text.isEmpty()) {
      assertEquals(List.of(""), pieces);
      return;
    }
    for (String piece : pieces) {
      assertFalse(piece.isEmpty());
      assertTrue(piece.length() <= maxChars, () -> piece.length() + " > " + maxChars);
      assertFalse(Character.isLowSurrogate(piece.charAt(0)), "a piece starts inside a pair");
      assertFalse(
          Character.isHighSurrogate(piece.charAt(piece.length() - 1)),
          "a piece ends inside a pair");
      assertFalse(
          Character.getType(piece.codePointAt(0)) == Character.NON_SPACING_MARK,
          "a piece starts with a combining mark");
    }
  }

  @Provide
  Arbitrary<String> hostileText() {
    Arbitrary<String> atoms =
        Arbitraries.of(
            "word",
            "Wort",
            "слово",
            "λέξη",
            "中文",
            "。",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "!",
            "123",
            "👋",
            "👍🏽",
            "e\u0301",
            "\u200d",
            "x".repeat(30),
            "'s",
            "<|endoftext|>");
    return atoms.list().ofMaxSize(60).map(list -> String.join("", list));
  }
}
