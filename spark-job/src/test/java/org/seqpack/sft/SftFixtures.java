package org.seqpack.sft;

import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/** Shared tokenizers, templates and golden conversations for the SFT tests. */
final class SftFixtures {
  static final List<String> NAMES = List.of("gpt2", "llama3", "qwen3");

  private static final Map<String, TokenizerSpec> SPECS = new HashMap<>();
  private static final Map<String, TokenEncoder> ENCODERS = new HashMap<>();

  private SftFixtures() {}

  static Path golden(String file) {
    return TestPaths.projectRoot().resolve("spark-job/src/test/resources/golden").resolve(file);
  }

  static synchronized TokenizerSpec spec(String name) {
    return SPECS.computeIfAbsent(
        name,
        n -> {
          Path dir = TestData.tokenizer(n);
          try {
            return TokenizerSpec.parse(
                dir.toString(),
                Files.readAllBytes(dir.resolve("tokenizer.json")),
                Files.readAllBytes(dir.resolve("tokenizer_config.json")),
                false);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** One encoder per tokenizer for the whole test run (loading takes ~1 s); never closed. */
  static synchronized TokenEncoder encoder(String name) {
    return ENCODERS.computeIfAbsent(name, n -> TokenEncoder.load(spec(n)));
  }

  /** The model's own template, or for GPT-2 the ChatML-like test template. */
  static ChatTemplate template(String name) {
    TokenizerSpec spec = spec(name);
    if (spec.config().chatTemplate().isPresent()) {
      return ChatTemplate.fromTokenizer(spec, Map.of());
    }
    return ChatTemplate.fromFile(golden(name + "-chat-template.jinja"), spec.config(), Map.of());
  }

  static SftEncoder sftEncoder(String name, SftOptions options) {
    return new SftEncoder(spec(name), encoder(name), template(name), options);
  }

  /** A golden conversation rendered by @huggingface/jinja, with reference ids where valid. */
  record Golden(
      String name,
      String label,
      List<Message> messages,
      boolean addGenerationPrompt,
      String text,
      boolean specialInContent,
      int[] ids,
      String targetText) {
    @Override
    public String toString() {
      return name + ": " + label;
    }
  }

  static List<Golden> goldens(String name) {
    List<Golden> out = new ArrayList<>();
    try {
      for (String line :
          Files.readAllLines(golden("chat-" + name + ".jsonl"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode o = JSON.readTree(line);
        List<Message> messages = new ArrayList<>();
        for (JsonNode mo : o.get("messages")) {
          messages.add(new Message(mo.get("role").textValue(), mo.get("content").textValue()));
        }
        int[] ids = null;
        if (o.has("ids")) {
          ids = new int[o.get("ids").size()];
          for (int i = 0; i < ids.length; i++) {
            ids[i] = o.get("ids").get(i).asInt();
          }
        }
        out.add(
            new Golden(
                name,
                o.get("case").textValue(),
                messages,
                o.get("add_generation_prompt").asBoolean(),
                o.get("text").textValue(),
                o.get("special_in_content").asBoolean(),
                ids,
                o.get("target_text").textValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<Golden> allGoldens() {
    List<Golden> out = new ArrayList<>();
    for (String name : NAMES) {
      out.addAll(goldens(name));
    }
    return out;
  }
}
