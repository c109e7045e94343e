package org.seqpack.tokenizer.bpe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.core.Json;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The Java engine against DJL (the Rust core) on the three bundled tokenizers, loaded as the job
 * loads them: the Europarl slice, an adversarial corpus of many scripts and edge cases, and random
 * strings drawn from the same pieces. Zero differences; the texts the engine leaves to DJL are
 * counted and must be few.
 */
class JavaEngineDifferentialTest {
  static final List<String> NAMES = List.of("gpt2", "llama3", "qwen3");
  static final Map<String, TokenEncoder> DJL = new LinkedHashMap<>();
  static final Map<String, JavaBpeTokenizer> JAVA = new LinkedHashMap<>();

  /**
   * Loads the engines once per JVM and never closes them: jqwik runs its properties outside JUnit's
   * class lifecycle, so a native tokenizer closed after the class could still be called.
   */
  static synchronized void load() {
    if (!DJL.isEmpty()) {
      return;
    }
    try {
      for (String name : NAMES) {
        Path dir = TestData.tokenizer(name);
        TokenizerSpec spec =
            TokenizerSpec.parse(
                dir.toString(),
                Files.readAllBytes(dir.resolve("tokenizer.json")),
                Files.readAllBytes(dir.resolve("tokenizer_config.json")),
                false);
        DJL.put(name, TokenEncoder.load(spec));
        JAVA.put(name, JavaBpeTokenizer.load(Json.parse(spec.loadableJson())));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Texts on which the engines differ, described; and how many the Java engine handled. */
  record Outcome(List<String> differences, int handled, int total) {}

  static Outcome compare(String name, List<String> texts) {
    load();
    List<String> differences = new ArrayList<>();
    int handled = 0;
    for (String text : texts) {
      JavaBpeTokenizer java = JAVA.get(name);
      if (!java.handles(text)) {
        continue;
      }
      handled++;
      int[] expected = DJL.get(name).encode(text);
      int[] actual = java.encode(text);
      if (!Arrays.equals(expected, actual)) {
        int at = 0;
        while (at < expected.length && at < actual.length && expected[at] == actual[at]) {
          at++;
        }
        differences.add(
            name
                + " on "
                + Json.compact(Json.tree(text.length() > 300 ? text.substring(0, 300) : text))
                + ": first difference at id "
                + at
                + ", DJL "
                + Arrays.toString(
                    Arrays.copyOfRange(expected, at, Math.min(expected.length, at + 6)))
                + ", Java "
                + Arrays.toString(Arrays.copyOfRange(actual, at, Math.min(actual.length, at + 6))));
      }
    }
    return new Outcome(differences, handled, texts.size());
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void europarlSlice(String name) throws IOException {
    List<String> lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
    Outcome outcome = compare(name, lines);
    assertEquals(List.of(), outcome.differences());
    assertEquals(lines.size(), outcome.handled(), "every Europarl line is the Java engine's");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void adversarialCorpus(String name) {
    List<String> texts = AdversarialCorpus.texts();
    Outcome outcome = compare(name, texts);
    assertEquals(List.of(), outcome.differences());
    // The rest hold code points Java 17 leaves unassigned or lone surrogates (and, for Qwen3's NFC,
    // text NFC would change): left to DJL, where the Java engine's ids would indeed differ.
    assertTrue(
        outcome.handled() >= 1300,
        "the Java engine handled only " + outcome.handled() + " of " + texts.size());
  }

  /**
   * Every code point Java 17 assigns is classified as the reference classifies it: each appears
   * between letters, after a space, beside digits and before an apostrophe, in texts of 256 code
   * points, and the two engines' ids agree. A proof by exhaustion that Java's Unicode 13 tables and
   * the reference's agree on letters, numbers and white space for every code point the Java engine
   * handles (the others go to DJL).
   */
  @ParameterizedTest
  @ValueSource(strings = {"gpt2", "llama3"})
  void everyAssignedCodePointIsClassifiedAsTheReferenceDoes(String name) {
    List<String> texts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int inText = 0;
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
      if (CharClasses.unsure(cp)) {
        continue;
      }
      String c = new String(Character.toChars(cp));
      text.append('a')
          .append(c)
          .append("b ")
          .append(c)
          .append('7')
          .append(c)
          .append("'s")
          .append(c);
      text.append(c).append(' ');
      if (++inText == 256) {
        texts.add(text.toString());
        text.setLength(0);
        inText = 0;
      }
    }
    texts.add(text.toString());
    Outcome outcome = compare(name, texts);
    assertEquals(List.of(), outcome.differences());
    assertEquals(texts.size(), outcome.handled());
  }

  @Property(tries = 400)
  void randomStringsOfTheSamePieces(
      @ForAll @IntRange(min = 1, max = 40) int pieces, @ForAll long seed) {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      text.append(AdversarialCorpus.piece(random));
    }
    for (String name : NAMES) {
      assertEquals(List.of(), compare(name, List.of(text.toString())).differences());
    }
  }
}
