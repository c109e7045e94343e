package org.seqpack.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.core.BoundedTextEncoder;
import org.seqpack.core.PackStats;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Tokenizing a long text in bounded pieces gives the ids of one call whenever every cut is at a
 * pre-token boundary: checked on multilingual Europarl documents and on generated hostile text
 * (Chinese without spaces, code, emoji, combining marks, CRLF, runs of spaces), cut every few dozen
 * characters, for GPT-2, Llama 3 and Qwen3. Where a cut has to fall inside a long word, the text
 * still round-trips exactly; only ids next to the cut may differ.
 */
class PiecewiseEncodingTest {
  private static final int[] MAX_CHARS = {16, 40, 200, 2000};
  private static List<String> texts;

  @BeforeAll
  static void texts() throws IOException {
    texts = new ArrayList<>();
    Path corpus = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt");
    try (BufferedReader reader = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      // Every third document: many languages and scripts, 200 to 1,900 chars.
      String line;
      for (int i = 0; (line = reader.readLine()) != null && texts.size() < 300; i++) {
        if (i % 3 == 0) {
          texts.add(line);
        }
      }
    }
    Random random = new Random(20261128);
    String[] atoms = {
      "word",
      " Wort",
      " слово",
      " λέξη",
      "中文文本",
      "。",
      "，",
      " ",
      "  ",
      "   ",
      "\t",
      "\n",
      "\r\n",
      "\n\n",
      "!",
      "?!",
      " 12345",
      "3.14",
      "👋",
      "👍🏽",
      "👨‍👩‍👧",
      "e\u0301",
      "n\u0303o",
      "'s",
      "'ll",
      " don't",
      "<|endoftext|>",
      "x = f(y);",
      "    return 0;\n",
      "日本語のテキスト",
      "、",
      "한국어",
      "\u00a0",
      "\u3000",
      "ـــ",
      "עברית",
      "عربي"
    };
    for (int i = 0; i < 500; i++) {
      StringBuilder text = new StringBuilder();
      int n = 20 + random.nextInt(200);
      for (int k = 0; k < n; k++) {
        text.append(atoms[random.nextInt(atoms.length)]);
      }
      texts.add(text.toString());
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void piecesGiveTheIdsOfOneCall(String name) throws IOException {
    List<String> failures = new ArrayList<>();
    long[] exactByLimit = new long[MAX_CHARS.length];
    long cuts = 0;
    try (TokenEncoder encoder = TokenEncoder.load(spec(name))) {
      for (String text : texts) {
        int[] whole = encoder.encode(text);
        for (int limit = 0; limit < MAX_CHARS.length; limit++) {
          int maxChars = MAX_CHARS[limit];
          PackStats stats = new PackStats();
          int[] pieces = new BoundedTextEncoder(encoder::encode, maxChars, stats).encode(text);
          cuts += Math.max(0, (text.length() - 1) / maxChars);
          if (stats.cutsInsideWords == 0) {
            exactByLimit[limit]++;
            if (!Arrays.equals(whole, pieces)) {
              failures.add(
                  "max " + maxChars + ": " + text.substring(0, Math.min(80, text.length())));
            }
          } else {
            String expected = roundTrip(name, text);
            assertEquals(expected, encoder.decode(pieces, false), "text lost at a word cut");
          }
        }
      }
    }
    assertTrue(
        failures.isEmpty(),
        () -> failures.size() + " texts differ; first:\n" + String.join("\n", failures));
    // From 40 chars on nearly every text is cut at boundaries only; at 16 chars long words
    // (German compounds, the generated Japanese) need cuts inside them.
    String byLimit = Arrays.toString(MAX_CHARS) + " -> " + Arrays.toString(exactByLimit);
    assertTrue(exactByLimit[1] > 0.95 * texts.size(), byLimit);
    assertEquals(texts.size(), exactByLimit[2], byLimit);
    assertEquals(texts.size(), exactByLimit[3], byLimit);
    assertTrue(cuts > 40_000, cuts + " cuts");
  }

  /** A word longer than the limit: cut at character boundaries, text kept, few ids changed. */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void aLongWordKeepsItsText(String name) throws IOException {
    // Letters (some outside the BMP) and combining marks only: no pre-token boundary anywhere.
    String unit = "Donaudampfschiffahrtsgesellschaftskapitäne\u0301中文𝐀𝐁한국어";
    String word = unit.repeat(2000); // about 110,000 chars
    try (TokenEncoder encoder = TokenEncoder.load(spec(name))) {
      int[] whole = encoder.encode(word);
      PackStats stats = new PackStats();
      int[] pieces = new BoundedTextEncoder(encoder::encode, 1000, stats).encode(word);
      assertTrue(stats.cutsInsideWords >= 90, stats.cutsInsideWords + " cuts");
      assertEquals(roundTrip(name, word), encoder.decode(pieces, false));
      int differing = differing(whole, pieces);
      // Each cut changes the tokens around it only: a handful of ids per cut at most.
      assertTrue(
          differing <= 8 * stats.cutsInsideWords,
          differing + " ids differ over " + stats.cutsInsideWords + " cuts");
    }
  }

  /** Ids not in the longest common prefix/suffix alignment, counted by a diff of the two lists. */
  private static int differing(int[] a, int[] b) {
    // Greedy resynchronisation: good enough for sequences that differ in short local runs.
    int i = 0;
    int j = 0;
    int differing = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        i++;
        j++;
        continue;
      }
      int[] next = resync(a, i, b, j);
      differing += Math.max(next[0] - i, next[1] - j);
      i = next[0];
      j = next[1];
    }
    return differing + Math.max(a.length - i, b.length - j);
  }

  private static int[] resync(int[] a, int i, int[] b, int j) {
    for (int distance = 1; distance < 64; distance++) {
      for (int di = 0; di <= distance; di++) {
        int dj = distance - di;
        if (i + di + 3 <= a.length
            && j + dj + 3 <= b.length
            && Arrays.equals(a, i + di, i + di + 3, b, j + dj, j + dj + 3)) {
          return new int[] {i + di, j + dj};
        }
      }
    }
    return new int[] {a.length, b.length};
  }

  private static String roundTrip(String name, String text) {
    // Qwen3 normalizes to NFC; the others are byte-level with no normalizer.
    return "qwen3".equals(name) ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
  }

  static TokenizerSpec spec(String name) throws IOException {
    Path dir = TestData.tokenizer(name);
    return TokenizerSpec.parse(
        dir.toString(),
        Files.readAllBytes(dir.resolve("tokenizer.json")),
        Files.readAllBytes(dir.resolve("tokenizer_config.json")),
        false);
  }
}
