package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonStringsTest {

  static Stream<Arguments> strings() {
    return Stream.of(
        // JSON string literal (with its quotes), expected text, lone surrogates replaced
        Arguments.of("\"plain ascii\"", "plain ascii", 0),
        Arguments.of("\"h\u00e9llo \u4e16\u754c\"", "h\u00e9llo \u4e16\u754c", 0),
        Arguments.of("\"a\\nb\\tc\\rd\\\"e\\\\f\\/g\\bh\\fi\"", "a\nb\tc\rd\"e\\f/g\bh\fi", 0),
        Arguments.of("\"\\u00e9\\u4e16\\u0000x\"", "\u00e9\u4e16\u0000x", 0),
        Arguments.of("\"pair \\ud83d\\udc4b!\"", "pair \ud83d\udc4b!", 0),
        Arguments.of("\"lone high \\ud83d!\"", "lone high \ufffd!", 1),
        Arguments.of("\"lone low \\udc4b!\"", "lone low \ufffd!", 1),
        Arguments.of("\"reversed \\udc4b\\ud83d\"", "reversed \ufffd\ufffd", 2),
        Arguments.of("\"high then text \\ud83dx\\u0041\"", "high then text \ufffdxA", 1),
        Arguments.of("\"two highs \\ud83d\\ud83d\\udc4b\"", "two highs \ufffd\ud83d\udc4b", 1),
        Arguments.of("\"\"", "", 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strings")
  void decodes(String literal, String expected, int lone) {
    byte[] bytes = ("{\"text\": " + literal + "}").getBytes(StandardCharsets.UTF_8);
    JsonStrings.Decoded decoded = JsonStrings.decode(bytes, 9, bytes.length);
    assertEquals(expected, decoded.text());
    assertEquals(lone, decoded.loneSurrogates());
  }
}
