package org.seqpack.tokenizer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Literal special-token strings inside document text must encode as ordinary text: no special id
 * comes out, and decoding gives the text back.
 */
class SpecialTokenInjectionTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void literalSpecialTokensEncodeAsText(String name) throws IOException {
    TokenizerSpec spec = spec(name);
    assertFalse(spec.specialTokens().isEmpty(), name + " has no special tokens");
    Set<Integer> specialIds = Set.copyOf(spec.specialTokens().values());
    List<String> texts = new ArrayList<>();
    for (String special : spec.specialTokens().keySet()) {
      texts.add(special);
      texts.add(" " + special);
      texts.add("end of one document." + special + "Start of the next");
      texts.add(special + special + "\n" + special);
      // Decomposed é, emoji with a skin tone: NFC matters for Qwen3, bytes for all.
      texts.add("Cafe\u0301 " + special + " 👋🏽\n");
    }
    texts.add(String.join(" ", spec.specialTokens().keySet()));
    texts.add(String.join("", spec.specialTokens().keySet()));

    List<String> failures = new ArrayList<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      for (String text : texts) {
        int[] ids = encoder.encode(text);
        String injected = injected(ids, specialIds);
        if (!injected.isEmpty()) {
          failures.add(quoted(text) + " gave special ids " + injected);
        }
        // Qwen3 normalizes to NFC before splitting; the others are byte-level with no normalizer.
        String expected =
            "qwen3".equals(name) ? Normalizer.normalize(text, Normalizer.Form.NFC) : text;
        String decoded = encoder.decode(ids, false);
        if (!expected.equals(decoded)) {
          failures.add(quoted(text) + " decoded to " + quoted(decoded));
        }
      }
    }
    assertTrue(failures.isEmpty(), () -> report(name, texts.size(), failures));
  }

  /**
   * Added tokens that are not special (Qwen3's {@code <think>}, {@code <tool_call>}, ...) still
   * match inside text, and must keep the ids of the original file: the model was trained on them.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void keptAddedTokensKeepTheirIds(String name) throws IOException {
    TokenizerSpec spec = spec(name);
    Set<Integer> specialIds = Set.copyOf(spec.specialTokens().values());
    Map<String, Integer> kept = new LinkedHashMap<>();
    JsonNode root = JSON.readTree(tokenizerJson(name));
    for (JsonNode token : root.get("added_tokens")) {
      if (!token.get("special").asBoolean()) {
        kept.put(token.get("content").asText(), token.get("id").asInt());
      }
    }
    List<String> failures = new ArrayList<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      for (Map.Entry<String, Integer> token : kept.entrySet()) {
        int[] ids = encoder.encode(token.getKey());
        if (ids.length != 1 || ids[0] != token.getValue()) {
          failures.add(
              quoted(token.getKey())
                  + " gave "
                  + Arrays.toString(ids)
                  + "; must be ["
                  + token.getValue()
                  + "]"
                  + (injected(ids, specialIds).isEmpty()
                      ? ""
                      : ", special ids of the original file " + injected(ids, specialIds)));
        }
      }
    }
    assertTrue(failures.isEmpty(), () -> report(name, kept.size(), failures));
  }

  private static TokenizerSpec spec(String name) throws IOException {
    Path dir = TestData.tokenizer(name);
    return TokenizerSpec.parse(
        dir.toString(),
        Files.readAllBytes(dir.resolve("tokenizer.json")),
        Files.readAllBytes(dir.resolve("tokenizer_config.json")),
        false);
  }

  private static String tokenizerJson(String name) throws IOException {
    Path file = TestData.tokenizer(name).resolve("tokenizer.json");
    return Files.readString(file, StandardCharsets.UTF_8);
  }

  private static String injected(int[] ids, Set<Integer> specialIds) {
    return Arrays.stream(ids)
        .filter(specialIds::contains)
        .mapToObj(Integer::toString)
        .collect(Collectors.joining(", "));
  }

  private static String quoted(String text) {
    return new TextNode(text).toString();
  }

  private static String report(String name, int checked, List<String> failures) {
    return name
        + ": "
        + failures.size()
        + " problems over "
        + checked
        + " texts, first ones:\n"
        + String.join("\n", failures.subList(0, Math.min(20, failures.size())));
  }
}
