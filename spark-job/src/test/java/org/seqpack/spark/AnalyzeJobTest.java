package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.core.InputConfig;
import org.seqpack.core.InputFormat;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.train.PreTokenPattern;
import org.seqpack.train.TrainerConfig;
import org.seqpack.train.TrainingOptions;

/**
 * {@code analyze} on the shared local Spark session: the job's reader and rejections on JSONL with
 * bad lines, totals equal to a direct DJL encode, and both files written.
 */
class AnalyzeJobTest {
  private static final Path GPT2 = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");

  private static JobConfig config(Path input, String format, Path output, String invalidUtf8) {
    Settings settings = Settings.empty();
    settings.withFlag(JobOptions.INPUT, input.toString(), true);
    settings.withFlag(JobOptions.FORMAT, format, true);
    settings.withFlag(JobOptions.TOKENIZER, GPT2.toString(), true);
    settings.withFlag(JobOptions.OUTPUT, output.toString(), true);
    settings.withFlag(JobOptions.INVALID_UTF8, invalidUtf8, true);
    return JobConfig.from(settings);
  }

  private static AnalyzeJob.Options options(JobConfig config, Path output) {
    return options(config, output, null);
  }

  private static AnalyzeJob.Options options(JobConfig config, Path output, String sourceField) {
    return new AnalyzeJob.Options(
        config,
        List.of(GPT2.toString()),
        new int[] {256, 1024},
        1.0,
        "en",
        output.toString(),
        false,
        sourceField);
  }

  @Test
  void analysesJsonlAsTheJobReadsIt(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in");
    Files.createDirectories(input);
    List<String> good =
        Files.readAllLines(
                TestPaths.projectRoot().resolve("test-data/europarl-1k.jsonl"),
                StandardCharsets.UTF_8)
            .subList(0, 150);
    Files.write(input.resolve("a.jsonl"), good.subList(0, 100), StandardCharsets.UTF_8);
    List<String> b = new ArrayList<>(good.subList(100, 150));
    b.add("{\"text\": null}");
    b.add("{\"text\": \"   \"}");
    b.add("{broken");
    b.add("{\"title\": \"no text\"}");
    Files.write(input.resolve("b.jsonl"), b, StandardCharsets.UTF_8);
    byte[] invalid = "{\"text\": \"caf\u00e9 \"}\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(input.resolve("c.jsonl"), invalid);
    Path output = tmp.resolve("out");

    AnalyzeJob.Result result =
        AnalyzeJob.prepare(
                options(config(input, "jsonl", output, "reject"), output), new SparkConf())
            .run(SharedSpark.get());

    JsonNode documents = result.analysis().get("documents");
    assertEquals(155, documents.get("read").asLong());
    assertEquals(150, documents.get("analyzed").asLong());
    JsonNode rejected = documents.get("rejected");
    assertEquals(1, rejected.get("null_field").asLong());
    assertEquals(1, rejected.get("empty").asLong());
    assertEquals(1, rejected.get("invalid_json").asLong());
    assertEquals(1, rejected.get("missing_field").asLong());
    assertEquals(1, rejected.get("invalid_utf8").asLong());
    // Every rejected record is in _rejected/ as the job writes it, found by file and byte offset.
    List<String> found = new ArrayList<>();
    for (JsonNode record : HostileInputTest.rejected(output)) {
      String source = record.get("source").asText();
      found.add(
          source.substring(source.lastIndexOf('/') + 1)
              + "@"
              + record.get("position").asLong()
              + ":"
              + record.get("reason").asText());
    }
    long offset = 0;
    for (String line : b.subList(0, 50)) {
      offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
    }
    List<String> expected = new ArrayList<>();
    for (int i = 50; i < b.size(); i++) {
      String reason = List.of("null_field", "empty", "invalid_json", "missing_field").get(i - 50);
      expected.add("b.jsonl@" + offset + ":" + reason);
      offset += b.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    expected.add("c.jsonl@0:invalid_utf8");
    assertEquals(expected.stream().sorted().toList(), found.stream().sorted().toList());
    long listed = 0;
    for (JsonNode count : documents.get("rejected_files")) {
      listed += count.asLong();
    }
    assertEquals(5, listed);
    assertFalse(Files.exists(output.resolve("_attempts")), "attempt files cleared");

    // Overwritten by a run that rejects nothing: no earlier rejected record stays behind.
    AnalyzeJob.prepare(
            new AnalyzeJob.Options(
                config(input.resolve("a.jsonl"), "jsonl", output, "reject"),
                List.of(GPT2.toString()),
                new int[] {256},
                1.0,
                "en",
                output.toString(),
                true,
                null),
            new SparkConf())
        .run(SharedSpark.get());
    assertEquals(List.of(), HostileInputTest.rejected(output));

    long tokens = 0;
    long bytes = 0;
    try (HuggingFaceTokenizer direct =
        HuggingFaceTokenizer.newInstance(
            GPT2.resolve("tokenizer.json"),
            Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"))) {
      for (String line : good) {
        String text = Json.parse(line).get("text").asText();
        tokens += direct.encode(text, false, false).getIds().length;
        bytes += text.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    JsonNode gpt2 = result.analysis().get("tokenizers").get(0);
    assertEquals("gpt2", gpt2.get("name").asText());
    assertEquals(tokens, gpt2.get("total").get("tokens").asLong());
    assertEquals(bytes, gpt2.get("total").get("bytes").asLong());
    // GPT-2 adds its EOS to each document: the lengths are text tokens plus one.
    assertEquals(tokens + 150, gpt2.get("lengths").get("tokens").asLong());
    long sources = 0;
    for (JsonNode group : gpt2.get("groups")) {
      String source = group.get("source").asText();
      assertTrue(source.equals("a.jsonl") || source.equals("b.jsonl"), source);
      sources += group.get("documents").asLong();
    }
    assertEquals(150, sources);
    assertTrue(Files.size(output.resolve(AnalyzeJob.ANALYSIS_JSON)) > 1000);
    String html = Files.readString(output.resolve(AnalyzeJob.REPORT_HTML), StandardCharsets.UTF_8);
    assertTrue(html.contains("echarts") && html.contains("\"format\":\"seqpack-analysis/1\""));
  }

  /**
   * The compression.json of a real train-tokenizer run is accepted and lands in analysis.json with
   * the same numbers; the trained tokenizer is analysed beside GPT-2, as the report marks both.
   */
  @Test
  void carriesATrainedCompressionCurveIntoTheReport(@TempDir Path tmp) throws Exception {
    Path europarl = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt");
    Path trained = tmp.resolve("bpe-600");
    TrainTokenizerJob.prepare(
            new InputConfig(
                List.of(europarl.toString()), InputFormat.TEXT, "text", 2, false, false, 1L << 27),
            trained.toString(),
            false,
            new TrainingOptions(
                new TrainerConfig(600, 2, List.of("<|endoftext|>")),
                PreTokenPattern.GPT2,
                List.of(300, 400),
                0.05),
            new SparkConf())
        .run(SharedSpark.get());
    JsonNode written = Json.parse(Files.readAllBytes(trained.resolve("compression.json")));
    assertEquals(3, written.get("points").size());

    Path output = tmp.resolve("out");
    JobConfig config = config(europarl, "text", output, "replace");
    AnalyzeJob.Result result =
        AnalyzeJob.prepare(
                new AnalyzeJob.Options(
                    config,
                    List.of(GPT2.toString(), trained.toString()),
                    new int[] {1024},
                    1.0,
                    "en",
                    output.toString(),
                    false,
                    null,
                    List.of(trained.toString())),
                new SparkConf())
            .run(SharedSpark.get());

    JsonNode curves =
        Json.parse(Files.readAllBytes(output.resolve(AnalyzeJob.ANALYSIS_JSON)))
            .get("compression_curves");
    assertEquals(1, curves.size());
    JsonNode curve = curves.get(0);
    assertEquals("bpe-600", curve.get("name").asText());
    assertEquals(trained.toString(), curve.get("path").asText());
    assertEquals(written.get("held_out_documents"), curve.get("held_out_documents"));
    assertEquals(written.get("points"), curve.get("points"));
    assertEquals(
        List.of(300, 400, 600),
        java.util.stream.StreamSupport.stream(curve.get("points").spliterator(), false)
            .map(p -> p.get("vocab_size").asInt())
            .toList());
    // Compared as text: read back, a number is an IntNode where the built tree holds a LongNode.
    assertEquals(Json.compact(curves), Json.compact(result.analysis().get("compression_curves")));
    JsonNode analysed = result.analysis().get("tokenizers").get(1);
    assertEquals("bpe-600", analysed.get("name").asText());
    assertEquals(600, analysed.get("vocabulary_size").asInt());
    String html = Files.readString(output.resolve(AnalyzeJob.REPORT_HTML), StandardCharsets.UTF_8);
    assertTrue(html.contains("\"compression_curves\":[{\"name\":\"bpe-600\""), "curve in page");
  }

  @Test
  void groupsByTheSourceField(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("in.jsonl");
    List<String> lines =
        Files.readAllLines(
                TestPaths.projectRoot().resolve("test-data/europarl-1k.jsonl"),
                StandardCharsets.UTF_8)
            .subList(0, 30);
    List<String> tagged = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // 10 "web", 10 "books", 5 without the field, 5 with a number there.
      String field =
          i < 10
              ? "\"src\": \"web\", "
              : i < 20 ? "\"src\": \"books\", " : i < 25 ? "" : "\"src\": 7, ";
      tagged.add("{" + field + line.substring(1));
    }
    Files.write(input, tagged, StandardCharsets.UTF_8);
    Path output = tmp.resolve("out");
    AnalyzeJob.Result result =
        AnalyzeJob.prepare(
                options(config(input, "jsonl", output, "replace"), output, "src"), new SparkConf())
            .run(SharedSpark.get());
    Map<String, Long> bySource = new java.util.TreeMap<>();
    for (JsonNode group : result.analysis().get("tokenizers").get(0).get("groups")) {
      bySource.merge(group.get("source").asText(), group.get("documents").asLong(), Long::sum);
    }
    assertEquals(Map.of("web", 10L, "books", 10L, "(none)", 10L), bySource);

    // The same records as Parquet (Spark's JSON reader makes the column a string: 7 is "7").
    Path parquet = tmp.resolve("in.parquet");
    SharedSpark.get().read().json(input.toString()).write().parquet(parquet.toString());
    Path parquetOutput = tmp.resolve("out-parquet");
    AnalyzeJob.Result fromParquet =
        AnalyzeJob.prepare(
                options(config(parquet, "parquet", parquetOutput, "replace"), parquetOutput, "src"),
                new SparkConf())
            .run(SharedSpark.get());
    Map<String, Long> parquetSources = new java.util.TreeMap<>();
    for (JsonNode group : fromParquet.analysis().get("tokenizers").get(0).get("groups")) {
      parquetSources.merge(
          group.get("source").asText(), group.get("documents").asLong(), Long::sum);
    }
    assertEquals(Map.of("web", 10L, "books", 10L, "7", 5L, "(none)", 5L), parquetSources);
  }

  @Test
  void refusesANonEmptyOutputWithoutOverwrite(@TempDir Path tmp) throws Exception {
    Path output = tmp.resolve("out");
    Files.createDirectories(output);
    Files.writeString(output.resolve("x"), "x");
    Path input = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt");
    SeqpackException e =
        assertThrows(
            SeqpackException.class,
            () ->
                AnalyzeJob.prepare(
                    options(config(input, "text", output, "replace"), output), new SparkConf()));
    assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
  }
}
