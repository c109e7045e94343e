package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.pemistahl.lingua.api.Language;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.seqpack.tokenizer.TestPaths;

/**
 * {@link LinguaDetector#detectLanguageOf}, which caches Lingua's per-trigram terms and per-word
 * rule results, names the same language as Lingua 1.2.2's own {@code detectLanguageOf} on every
 * text: real documents in 21 languages, the labelled sample, fragments spliced from both (short,
 * mixed texts where ties and the rule passes decide), random strings over eight scripts, and edge
 * cases. Lingua's internals it calls are pinned by the version; a new Lingua must pass this first.
 */
class LinguaFastPathTest {
  private static final LinguaDetector DETECTOR = LinguaDetector.shared();

  private static List<String> corpus() throws Exception {
    List<String> texts = new ArrayList<>();
    for (String line :
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8)) {
      texts.add(line.length() > LinguaDetector.MAX_CHARS ? line.substring(0, 200) : line);
    }
    for (String line :
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/langid-sample.tsv"),
            StandardCharsets.UTF_8)) {
      texts.add(line.split("\t", 3)[2]);
    }
    return texts;
  }

  private static void assertSame(String text) {
    assertEquals(DETECTOR.detectByLingua(text), DETECTOR.detectLanguageOf(text), text);
  }

  @Test
  void documentsAndTheirFragmentsGetLinguasLanguage() throws Exception {
    List<String> texts = corpus();
    texts.forEach(LinguaFastPathTest::assertSame);
    Random random = new Random(7);
    int unknown = 0;
    for (int i = 0; i < 5_000; i++) {
      String a = texts.get(random.nextInt(texts.size()));
      String b = texts.get(random.nextInt(texts.size()));
      int la = random.nextInt(Math.min(a.length(), 40) + 1);
      int lb = random.nextInt(Math.min(b.length(), 40) + 1);
      int sa = random.nextInt(a.length() - la + 1);
      int sb = random.nextInt(b.length() - lb + 1);
      String text =
          a.substring(sa, sa + la) + (random.nextBoolean() ? " " : "") + b.substring(sb, sb + lb);
      assertSame(text);
      if (DETECTOR.detectByLingua(text) == Language.UNKNOWN) {
        unknown++;
      }
    }
    // The fragments reach the undecided branches too (ties, too short, no letter).
    assertTrue(unknown > 10, "only " + unknown + " fragments left undecided");
    for (String odd :
        List.of(
            "",
            " ",
            "123",
            "a",
            "ab",
            "abc",
            "日本語のテキスト",
            "中文文本",
            "한국어",
            "Привет мир",
            "مرحبا",
            "नमस्ते",
            "ß",
            "ñandú",
            "Ελληνικά",
            "ő ű",
            "ç",
            "ą ę",
            "x y z",
            "?!",
            "😀 emoji 😀")) {
      assertSame(odd);
    }
  }

  @Property(tries = 2_000)
  void randomTextsOverEightScriptsGetLinguasLanguage(@ForAll("mixedScripts") String text) {
    assertSame(text);
  }

  @Provide
  Arbitrary<String> mixedScripts() {
    Arbitrary<Character> letters =
        Arbitraries.oneOf(
            Arbitraries.chars().range('a', 'z'),
            Arbitraries.chars().range('\u00e0', '\u017f'),
            Arbitraries.chars().range('\u0430', '\u044f'),
            Arbitraries.chars().range('\u03b1', '\u03c9'),
            Arbitraries.chars().range('\u4e00', '\u4e80'),
            Arbitraries.chars().range('\u3041', '\u30fa'),
            Arbitraries.chars().range('\uac00', '\uac80'),
            Arbitraries.chars().range('\u0627', '\u064a'),
            Arbitraries.chars().range('\u0905', '\u0939'),
            Arbitraries.just(' '),
            Arbitraries.just(' '));
    return letters.list().ofMinSize(1).ofMaxSize(60).map(LinguaFastPathTest::join);
  }

  private static String join(List<Character> chars) {
    StringBuilder text = new StringBuilder(chars.size());
    chars.forEach(text::append);
    return text.toString();
  }
}
