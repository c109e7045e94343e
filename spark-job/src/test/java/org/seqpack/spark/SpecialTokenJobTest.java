package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * No special-token injection, through the real job: on generated text full of literal special
 * strings (whole, glued to words, repeated, cut in halves), read back with DuckDB, no special id
 * appears anywhere but where the job put a sentinel (BOS at a document's first token, EOS at its
 * last, the pad id on padding), for GPT-2, Llama 3 and Qwen3; stats.json counts the documents that
 * held such strings. With {@code --allow-special-tokens-in-text} they do appear.
 */
class SpecialTokenJobTest {
  private static final int SEQ_LEN = 256;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // tokenizer folder, BOS given on the command line ("" = the tokenizer's default)
    "test-data/tokenizers/gpt2, ''",
    "llama3, <|begin_of_text|>",
    "qwen3, ''",
  })
  void specialIdsOnlyAtSentinels(String tokenizer, String bos, @TempDir Path tmp) throws Exception {
    Path dir =
        tokenizer.contains("/")
            ? TestPaths.projectRoot().resolve(tokenizer)
            : TestData.tokenizer(tokenizer);
    TokenizerSpec spec = spec(dir, false);
    List<String> specials = new ArrayList<>(spec.specialTokens().keySet());
    List<String> documents = documents(specials, 400, new Random(tokenizer.hashCode()));
    long withSpecials =
        documents.stream().filter(d -> specials.stream().anyMatch(d::contains)).count();
    assertTrue(withSpecials > 300, withSpecials + " documents hold special strings");
    Path input = tmp.resolve("specials.txt");
    Files.write(input, documents, StandardCharsets.UTF_8);

    Path output = tmp.resolve("out");
    JobRunner runner =
        new JobRunner(input, "text", output)
            .with(JobOptions.TOKENIZER, dir)
            .with(JobOptions.SEQ_LEN, SEQ_LEN)
            .with(JobOptions.PARTITIONS, 3);
    if (!bos.isEmpty()) {
      runner.with(JobOptions.BOS_TOKEN, bos);
    }
    runner.run();

    JsonNode stats = HostileInputTest.stats(output);
    JsonNode ids = stats.get("tokenizer");
    int bosId = ids.get("bos_id").asInt();
    int eosId = ids.get("eos_id").asInt();
    int padId = ids.get("pad_id").asInt();
    assertTrue(eosId >= 0);
    assertEquals(bos.isEmpty() ? -1 : spec.specialTokens().get(bos), bosId);
    JsonNode counts = stats.get("documents");
    assertEquals(documents.size(), counts.get("packed").asLong());
    assertEquals(withSpecials, counts.get("with_special_strings").asLong());

    Set<Integer> specialIds = Set.copyOf(spec.specialTokens().values());
    Census census = census(output, specialIds, padId, eosId);
    assertEquals(List.of(), census.misplaced, "special ids inside document text");
    // Each document has exactly one EOS (its last token) and, when asked, one BOS (its first).
    assertEquals(Map.of(eosId, (long) documents.size()), census.atEnds);
    assertEquals(bosId < 0 ? Map.of() : Map.of(bosId, (long) documents.size()), census.atStarts);
  }

  /** The check has teeth: letting special strings through puts special ids into the text. */
  @Test
  void allowingSpecialTokensInTextInjectsThem(@TempDir Path tmp) throws Exception {
    Path dir = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
    List<String> documents = documents(List.of("<|endoftext|>"), 50, new Random(7));
    Path input = tmp.resolve("specials.txt");
    Files.write(input, documents, StandardCharsets.UTF_8);
    Path output = tmp.resolve("out");
    new JobRunner(input, "text", output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.SPECIAL_TOKENS_IN_TEXT, true)
        .run();
    Census census = census(output, Set.of(50256), 50256, 50256);
    assertTrue(census.misplaced.size() > 20, census.misplaced.size() + " injected");
    assertTrue(
        HostileInputTest.stats(output).get("documents").get("with_special_strings").asLong() > 20);
  }

  /** Where special ids sit in the rows DuckDB reads. */
  private static final class Census {
    final List<String> misplaced = new ArrayList<>();
    final Map<Integer, Long> atStarts = new java.util.TreeMap<>();
    final Map<Integer, Long> atEnds = new java.util.TreeMap<>();
  }

  /**
   * Special ids by place: a segment's first token with position 0 (a document's start, where a BOS
   * goes; continuation chunks start mid-document), a document's last token (the last token of a
   * segment whose document ends there), or anywhere else (misplaced). Padding is skipped.
   */
  private static Census census(Path output, Set<Integer> specialIds, int padId, int eosId)
      throws Exception {
    Census census = new Census();
    for (OutputReader.Row row : OutputReader.rows(output)) {
      assertEquals(List.of(), RowInvariants.violations(row, SEQ_LEN, padId));
      int[] ids = row.inputIds();
      int[] segments = row.segmentIds();
      for (int i = 0; i < ids.length; i++) {
        if (segments[i] == 0 || !specialIds.contains(ids[i])) {
          continue;
        }
        boolean first = i == 0 || segments[i - 1] != segments[i];
        boolean last = i == ids.length - 1 || segments[i + 1] != segments[i];
        if (first && last && ids[i] == eosId) {
          census.atEnds.merge(ids[i], 1L, Long::sum); // the last chunk of a split document
        } else if (first && last) {
          census.misplaced.add("a one-token segment of special id " + ids[i] + " in " + row.file());
        } else if (first) {
          census.atStarts.merge(ids[i], 1L, Long::sum);
        } else if (last) {
          census.atEnds.merge(ids[i], 1L, Long::sum);
        } else {
          census.misplaced.add("id " + ids[i] + " at " + i + " of a row of " + row.file());
        }
      }
    }
    return census;
  }

  /**
   * Documents of Europarl words with special strings mixed in: alone, glued to words, repeated, at
   * the very start or end, and split into halves that must not meet.
   */
  static List<String> documents(List<String> specials, int count, Random random) throws Exception {
    List<String> words = new ArrayList<>();
    for (String line :
        Files.readAllLines(
                TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"),
                StandardCharsets.UTF_8)
            .subList(0, 50)) {
      words.addAll(List.of(line.split("\\s+")));
    }
    List<String> documents = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      StringBuilder text = new StringBuilder();
      int length = 5 + random.nextInt(d % 10 == 0 ? 600 : 60); // some longer than L tokens
      for (int w = 0; w < length; w++) {
        String special = specials.get(random.nextInt(specials.size()));
        switch (random.nextInt(12)) {
          case 0 -> text.append(' ').append(special);
          case 1 -> text.append(special); // glued to the previous word
          case 2 -> text.append(special).append(special).append(special);
          case 3 -> {
            int half = special.length() / 2;
            text.append(special, 0, half).append(' ').append(special.substring(half));
          }
          default -> text.append(w == 0 ? "" : " ").append(words.get(random.nextInt(words.size())));
        }
      }
      if (d % 7 == 0) {
        text.insert(0, specials.get(0)).append(specials.get(specials.size() - 1));
      }
      if (d % 13 == 0) {
        text.setLength(0);
        text.append("plain text without any special string, number ").append(d);
      }
      documents.add(text.toString().replace('\n', ' ').replace('\r', ' '));
    }
    return documents;
  }

  private static TokenizerSpec spec(Path dir, boolean specialInText) throws Exception {
    Path config = dir.resolve("tokenizer_config.json");
    return TokenizerSpec.parse(
        dir.toString(),
        Files.readAllBytes(dir.resolve("tokenizer.json")),
        Files.exists(config) ? Files.readAllBytes(config) : null,
        specialInText);
  }
}
