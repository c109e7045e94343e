package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.core.BuildInfo;
import org.seqpack.core.RunReport;
import org.seqpack.core.Sentinels;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Runs the real job in Spark local mode on test-data/ and reads the Parquet back with DuckDB: every
 * row invariant holds, the segments are exactly the documents' chunks, and stats.json and the
 * footers agree with the data.
 */
class EndToEndTest {
  private static final int GPT2_EOS = 50256;

  static Stream<Arguments> runs() {
    return Stream.of(
        // format, file, L, window tokens, partitions, --emit-seq-lens
        Arguments.of("text", "europarl-1k.txt", 1024, 4_194_304L, 0, false),
        Arguments.of("jsonl", "europarl-1k.jsonl", 300, 20_000L, 3, true));
  }

  @ParameterizedTest(name = "{0} L={2} window={3} partitions={4} seq_lens={5}")
  @MethodSource("runs")
  void outputReadBackIndependently(
      String format,
      String file,
      int seqLen,
      long windowTokens,
      int partitions,
      boolean emitSeqLens,
      @TempDir Path tmp)
      throws Exception {
    Path root = TestPaths.projectRoot();
    Path input = root.resolve("test-data").resolve(file);
    Path tokenizerDir = root.resolve("test-data/tokenizers/gpt2");
    Path output = tmp.resolve("out");
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input.toString(), true)
            .withFlag(JobOptions.FORMAT, format, true)
            .withFlag(JobOptions.TOKENIZER, tokenizerDir.toString(), true)
            .withFlag(JobOptions.SEQ_LEN, Integer.toString(seqLen), true)
            .withFlag(JobOptions.WINDOW_TOKENS, Long.toString(windowTokens), true)
            .withFlag(JobOptions.PARTITIONS, Integer.toString(partitions), true)
            .withFlag(JobOptions.OUTPUT, output.toString(), true);
    if (emitSeqLens) {
      settings = settings.withFlag(JobOptions.EMIT_SEQ_LENS, "true", true);
    }
    JobConfig config = JobConfig.from(settings);
    PrepareJob job = PrepareJob.prepare(config, new SparkConf());
    assertEquals(new Sentinels(Sentinels.NONE, GPT2_EOS, GPT2_EOS), job.sentinels());
    RunReport report = job.run(SharedSpark.get());

    // Every row satisfies the contract, checked from DuckDB's view of the files.
    List<OutputReader.Row> rows = OutputReader.rows(output);
    assertFalse(rows.isEmpty());
    Map<String, Integer> actual = new HashMap<>();
    long realTokens = 0;
    long targets = 0;
    for (OutputReader.Row row : rows) {
      assertEquals(List.of(), RowInvariants.violations(row, seqLen, GPT2_EOS), row.file());
      for (int[] segment : RowInvariants.segments(row)) {
        actual.merge(Arrays.toString(segment), 1, Integer::sum);
      }
      realTokens += row.numTokens();
      for (int mask : row.lossMask()) {
        targets += mask;
      }
    }

    // The segments are exactly the chunks of (document ids + EOS), computed directly.
    TokenizerSpec spec =
        TokenizerSpec.parse(
            "gpt2",
            Files.readAllBytes(tokenizerDir.resolve("tokenizer.json")),
            Files.readAllBytes(tokenizerDir.resolve("tokenizer_config.json")),
            false);
    Map<String, Integer> expected = new HashMap<>();
    long documents = 0;
    long expectedTokens = 0;
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
        documents++;
        String text = format.equals("jsonl") ? textOf(line) : line;
        int[] ids = encoder.encode(text);
        int[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = GPT2_EOS;
        expectedTokens += withEos.length;
        for (int from = 0; from < withEos.length; from += seqLen) {
          int[] chunk = Arrays.copyOfRange(withEos, from, Math.min(withEos.length, from + seqLen));
          expected.merge(Arrays.toString(chunk), 1, Integer::sum);
        }
      }
    }
    assertEquals(expected, actual, "segments differ from the documents' chunks");
    assertEquals(expectedTokens, realTokens);

    // stats.json agrees with the data.
    JsonNode stats = JSON.readTree(Files.readString(output.resolve("stats.json")));
    JsonNode docs = stats.get("documents");
    assertEquals(documents, docs.get("read").asLong());
    assertEquals(documents, docs.get("packed").asLong());
    assertEquals(0, docs.get("rejected_total").asLong());
    assertEquals(expectedTokens, stats.get("tokens").asLong());
    assertEquals(rows.size(), stats.get("rows").asLong());
    assertEquals(targets, stats.get("target_tokens").asLong());
    assertEquals((expectedTokens + seqLen - 1) / seqLen, stats.get("min_rows").asLong());
    assertEquals(
        (double) realTokens / ((long) rows.size() * seqLen), stats.get("fill").asDouble(), 1e-12);
    assertEquals(report.fill(), stats.get("fill").asDouble(), 1e-12);
    assertEquals(spec.sha256(), stats.get("tokenizer").get("sha256").textValue());
    BuildInfo build = BuildInfo.current();
    assertEquals(build.version(), stats.get("versions").get("seqpack").textValue());
    assertEquals(build.commit(), stats.get("versions").get("seqpack_commit").textValue());
    long chunks = expected.values().stream().mapToLong(Integer::longValue).sum();
    assertEquals(chunks - documents, stats.get("chunks_from_splitting").asLong());
    if (partitions > 0) {
      assertTrue(stats.get("partitions").asInt() >= partitions);
    }

    // Each file's footer says how it was made; the files are complete and nothing is staged.
    Map<String, Map<String, String>> footers = OutputReader.footers(output);
    assertEquals(stats.get("files").size(), footers.size());
    for (Map<String, String> footer : footers.values()) {
      assertEquals(spec.sha256(), footer.get("seqpack.tokenizer.sha256"));
      assertEquals(build.describe(), footer.get("seqpack.build"));
      JsonNode footerConfig = JSON.readTree(footer.get("seqpack.config"));
      assertEquals(Integer.toString(seqLen), footerConfig.get("pack.seq-len").textValue());
    }
    assertTrue(Files.exists(output.resolve("_SUCCESS")));
    List<String> names = new ArrayList<>();
    try (Stream<Path> list = Files.list(output)) {
      list.forEach(p -> names.add(p.getFileName().toString()));
    }
    assertTrue(names.stream().noneMatch(n -> n.startsWith("_staging")), names.toString());

    Map<String, String> types = OutputReader.schema(output);
    assertEquals("INTEGER[]", types.get("input_ids"));
    assertEquals("INTEGER[]", types.get("segment_ids"));
    assertEquals("INTEGER[]", types.get("position_ids"));
    assertEquals("TINYINT[]", types.get("loss_mask"));
    if (emitSeqLens) {
      assertEquals("INTEGER[]", types.get("seq_lens"));
      assertEquals(0, OutputReader.seqLensMismatches(output));
    } else {
      assertFalse(types.containsKey("seq_lens"), types.toString());
    }
  }

  private static String textOf(String jsonLine) throws IOException {
    return JSON.readTree(jsonLine).get("text").textValue();
  }
}
