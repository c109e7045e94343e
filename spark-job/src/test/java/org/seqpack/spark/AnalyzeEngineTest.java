package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.tokenizer.TestPaths;

/**
 * {@code analyze} takes the job's engine choice: the Java engine where it passes the sample check,
 * with every number equal to a DJL-only analysis of the same input.
 */
class AnalyzeEngineTest {
  private static final Path ROOT = TestPaths.projectRoot();

  private static JsonNode analyze(Path output, String engine) {
    Settings settings = Settings.empty();
    settings.withFlag(JobOptions.INPUT, ROOT.resolve("test-data/europarl-1k.txt").toString(), true);
    settings.withFlag(
        JobOptions.TOKENIZER, ROOT.resolve("test-data/tokenizers/gpt2").toString(), true);
    settings.withFlag(JobOptions.OUTPUT, output.toString(), true);
    if (engine != null) {
      settings.withFlag(JobOptions.TOKENIZER_ENGINE, engine, true);
    }
    JobConfig config = JobConfig.from(settings);
    AnalyzeJob.Options options =
        new AnalyzeJob.Options(
            config,
            List.of(ROOT.resolve("test-data/tokenizers/gpt2").toString()),
            new int[] {512, 2048},
            1.0,
            "en",
            output.toString(),
            false,
            null);
    return AnalyzeJob.prepare(options, new SparkConf()).run(SharedSpark.get()).analysis();
  }

  @Test
  void theJavaEngineGivesTheNumbersDjlGives(@TempDir Path tmp) {
    JsonNode auto = analyze(tmp.resolve("auto"), null);
    JsonNode djl = analyze(tmp.resolve("djl"), "djl");

    assertEquals("java", auto.get("engines").get(0).get("engine").asText());
    assertTrue(
        auto.get("engines").get(0).get("reason").asText().contains("encodes to the same ids"),
        auto.get("engines").toString());
    assertEquals("djl", djl.get("engines").get(0).get("engine").asText());
    assertEquals(djl.get("documents"), auto.get("documents"));
    assertEquals(djl.get("tokenizers"), auto.get("tokenizers"));
    assertTrue(auto.get("tokenizers").get(0).get("total").get("tokens").asLong() > 400_000);
  }
}
