package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WordsTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "hello world|11|11|2",
        "l’autentica uguaglianza|25|23|3",
        "2004-03-30|10|10|3",
        "'  Leerzeichen  '|15|15|1",
        "Ελληνικά κείμενα|31|16|2",
        "naïve café|12|10|2",
        "नमस्ते दुनिया|37|13|2",
        "日本語のテキスト|24|8|8",
        "emoji 👋🏽 here|19|13|2",
        "...|3|3|0",
      })
  void countsBytesCodePointsAndWords(String text, long bytes, long chars, long words) {
    assertEquals(new Words.Counts(bytes, chars, words), Words.count(text));
  }
}
