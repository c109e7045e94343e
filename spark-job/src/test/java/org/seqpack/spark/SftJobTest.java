package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * SFT through the real job with the Llama 3 tokenizer and chat template: for every segment read
 * back with DuckDB, the tokens with loss mask 1 decode exactly to the example's assistant contents
 * each followed by {@code <|eot_id|>} (or the completion followed by the EOS).
 */
class SftJobTest {
  private static final int SEQ_LEN = 1024;

  @Test
  void targetsAreExactlyTheAssistantTurns(@TempDir Path tmp) throws Exception {
    Path root = TestPaths.projectRoot();
    Path corpus = root.resolve("test-data/sft/europarl-sft.jsonl");
    Path tokenizerDir = TestData.tokenizer("llama3");
    Path output = tmp.resolve("out");
    new JobRunner(corpus, "jsonl", output)
        .with(JobOptions.TASK, "sft")
        .with(JobOptions.TOKENIZER, tokenizerDir)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.EMIT_SEQ_LENS, true)
        .run();
    // Padding-free trainers take segment boundaries from seq_lens; it must match segment_ids.
    assertEquals(0, OutputReader.seqLensMismatches(output));

    // Expected target text per example, from the records alone.
    Map<String, Integer> expected = new TreeMap<>();
    for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
      JsonNode record;
      try {
        JsonNode parsed = JSON.readTree(line);
        if (!parsed.isObject()) {
          continue;
        }
        record = parsed;
      } catch (IOException | RuntimeException e) {
        continue;
      }
      String target = expectedTargets(record);
      if (target != null) {
        expected.merge(target, 1, Integer::sum);
      }
    }

    TokenizerSpec original =
        TokenizerSpec.parse(
            "llama3",
            Files.readAllBytes(tokenizerDir.resolve("tokenizer.json")),
            Files.readAllBytes(tokenizerDir.resolve("tokenizer_config.json")),
            true);
    Map<String, Integer> actual = new TreeMap<>();
    long targets = 0;
    List<OutputReader.Row> rows = OutputReader.rows(output);
    int pad =
        JSON.readTree(Files.readString(output.resolve("stats.json")))
            .get("tokenizer")
            .get("pad_id")
            .asInt();
    try (TokenEncoder decoder = TokenEncoder.load(original)) {
      for (OutputReader.Row row : rows) {
        assertEquals(List.of(), RowInvariants.violations(row, SEQ_LEN, pad));
        int start = 0;
        for (int[] segment : RowInvariants.segments(row)) {
          int[] mask = Arrays.copyOfRange(row.lossMask(), start, start + segment.length);
          int[] chosen = new int[segment.length];
          int n = 0;
          for (int i = 0; i < segment.length; i++) {
            if (mask[i] == 1) {
              chosen[n++] = segment[i];
            }
          }
          targets += n;
          actual.merge(decoder.decode(Arrays.copyOf(chosen, n), false), 1, Integer::sum);
          start += segment.length;
        }
      }
    }
    // The one example longer than L is dropped (too_long), so it has no segment.
    Map<String, Integer> missing = new TreeMap<>(expected);
    actual.forEach((text, count) -> missing.merge(text, -count, Integer::sum));
    missing.values().removeIf(count -> count == 0);
    assertEquals(1, missing.size(), "only the too-long example is missing: " + missing.keySet());
    assertEquals(Map.of("Too long to keep.<|eot_id|>", 1), missing);

    JsonNode stats = JSON.readTree(Files.readString(output.resolve("stats.json")));
    JsonNode rejected = stats.get("documents").get("rejected");
    Map<String, Long> reasons = new TreeMap<>();
    rejected.properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
    assertEquals(
        Map.of(
            "empty", 1L,
            "field_not_string", 1L,
            "invalid_json", 1L,
            "invalid_messages", 2L,
            "missing_field", 1L,
            "no_target", 1L,
            "null_field", 1L,
            "too_long", 1L),
        reasons);
    assertEquals(targets, stats.get("target_tokens").asLong());
    assertEquals(rows.size(), stats.get("rows").asLong());
    long packed = stats.get("documents").get("packed").asLong();
    assertEquals(actual.values().stream().mapToLong(Integer::longValue).sum(), packed);
    assertTrue(packed >= 200, "packed " + packed);
  }

  /** What the model must learn to produce, as text; null for records the job rejects. */
  private static String expectedTargets(JsonNode record) {
    if (record.has("messages")) {
      StringBuilder text = new StringBuilder();
      boolean valid = true;
      for (JsonNode message : record.get("messages")) {
        String role = message.get("role").asText();
        JsonNode content = message.get("content");
        if (!content.isTextual()
            || !List.of("system", "user", "assistant", "tool").contains(role)) {
          valid = false;
        } else if (role.equals("assistant")) {
          // The Llama 3 template trims message contents.
          text.append(content.textValue().strip()).append("<|eot_id|>");
        }
      }
      return valid && text.length() > 0 ? text.toString() : null;
    }
    JsonNode prompt = record.get("prompt");
    JsonNode completion = record.get("completion");
    if (prompt == null || completion == null || !prompt.isTextual() || !completion.isTextual()) {
      return null;
    }
    return completion.textValue() + "<|end_of_text|>";
  }
}
