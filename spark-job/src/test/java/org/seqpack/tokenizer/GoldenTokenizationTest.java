package org.seqpack.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * Ids from DJL and from the Java engine against golden ids from the Hugging Face Node binding
 * ({@code tools/golden}), for the tokenizers in {@code test-data/tokenizers}, loaded as the job
 * loads them.
 */
class GoldenTokenizationTest {
  private static final List<String> NAMES = List.of("gpt2", "llama3", "qwen3");
  private static final Map<String, TokenEncoder> ENCODERS = new LinkedHashMap<>();
  private static final Map<String, JavaBpeTokenizer> JAVA = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws IOException {
    for (String name : NAMES) {
      Path dir = TestData.tokenizer(name);
      TokenizerSpec spec =
          TokenizerSpec.parse(
              dir.toString(),
              Files.readAllBytes(dir.resolve("tokenizer.json")),
              Files.readAllBytes(dir.resolve("tokenizer_config.json")),
              false);
      ENCODERS.put(name, TokenEncoder.load(spec));
      JAVA.put(name, JavaEngine.load(spec));
    }
  }

  @AfterAll
  static void close() {
    ENCODERS.values().forEach(TokenEncoder::close);
    ENCODERS.clear();
  }

  static Stream<Arguments> goldenLines() throws IOException {
    List<Arguments> lines = new ArrayList<>();
    for (String name : NAMES) {
      String resource = "/golden/tokenize-" + name + ".jsonl";
      List<String> jsonLines = readLines(resource);
      assertFalse(jsonLines.isEmpty(), resource + " has no lines");
      for (String line : jsonLines) {
        JsonNode golden = JSON.readTree(line);
        JsonNode ids = golden.get("ids");
        int[] expected = new int[ids.size()];
        for (int i = 0; i < expected.length; i++) {
          expected[i] = ids.get(i).asInt();
        }
        lines.add(
            Arguments.of(
                name,
                golden.get("case").asText(),
                golden.get("text").asText(),
                expected,
                golden.get("sanitized").asBoolean()));
      }
    }
    return lines.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("goldenLines")
  void idsEqualReferenceIds(
      String name, String label, String text, int[] expected, boolean sanitized) {
    // The goldens are made from the copy without special added tokens, which the job loads.
    assertTrue(sanitized, "golden line was not made from the sanitized tokenizer");
    int[] actual = ENCODERS.get(name).encode(text);
    assertArrayEquals(
        expected,
        actual,
        () ->
            "text "
                + new TextNode(text)
                + "\nexpected "
                + Arrays.toString(expected)
                + "\nactual   "
                + Arrays.toString(actual));
  }

  /**
   * The Java engine against the same reference ids, on every golden text it handles (the others it
   * leaves to DJL, checked above): Unicode 13 has every code point of these texts, so it is all but
   * the NFC-changing ones of Qwen3.
   */
  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("goldenLines")
  void javaEngineIdsEqualReferenceIds(
      String name, String label, String text, int[] expected, boolean sanitized) {
    JavaBpeTokenizer java = JAVA.get(name);
    Assumptions.assumeTrue(java.handles(text), "left to DJL");
    int[] actual = java.encode(text);
    assertArrayEquals(
        expected,
        actual,
        () ->
            "text "
                + new TextNode(text)
                + "\nexpected "
                + Arrays.toString(expected)
                + "\nactual   "
                + Arrays.toString(actual));
  }

  private static List<String> readLines(String resource) {
    try (InputStream in = GoldenTokenizationTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no test resource " + resource + "; run tools/golden/make-goldens.mjs");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      return reader.lines().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
