package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SpecialStringsTest {
  private static final SpecialStrings QWEN_LIKE =
      SpecialStrings.of(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|im", "[PAD]"));

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiterString = " => ",
      value = {
        "plain text => false",
        "<|endoftext|> => true",
        "end.<|endoftext|>start => true",
        "<|endoftext| => false",
        "<|im => true",
        "<<<|||>>> => false",
        "<|im_sta => true",
        "x [PAD] y => true",
        "[PA D] => false",
        "<|end <|oftext|> => false",
      })
  void finds(String text, boolean found) {
    assertEquals(found, QWEN_LIKE.foundIn(text));
    assertEquals(found, QWEN_LIKE.foundIn("prefix " + text + " suffix"));
  }

  @ParameterizedTest
  @CsvSource({"<|im_start|>", "abc"})
  void noStringsFindNothing(String text) {
    assertEquals(false, SpecialStrings.of(List.of()).foundIn(text));
    assertEquals(false, SpecialStrings.of(List.of("")).foundIn(text));
  }
}
