package org.seqpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqpack.tokenizer.TestPaths;

/** {@code seqpack analyze}'s usage errors: every problem at once, exit 2, before Spark starts. */
class AnalyzeCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Main(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .call();
  }

  @Test
  void helpNamesTheOptions() {
    assertEquals(0, run("analyze", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String flag :
        List.of(
            "--input",
            "--tokenizer",
            "--seq-len",
            "--sample-fraction",
            "--reference-language",
            "--compression")) {
      assertTrue(help.contains(flag), flag + " in " + help);
    }
  }

  @Test
  void reportsEveryProblemAtOnce() {
    String input = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt").toString();
    int code =
        run(
            "analyze",
            "--input",
            input,
            "--seq-len",
            "512,1",
            "--sample-fraction",
            "0",
            "--reference-language",
            "English",
            "--format",
            "csv",
            "--output",
            "/tmp/never-written");
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("'--seq-len' has '1'"), text);
    assertTrue(text.contains("'--tokenizer' is given 0 times"), text);
    assertTrue(text.contains("'--sample-fraction' is 0.0"), text);
    assertTrue(text.contains("'--reference-language' is 'English'"), text);
    assertTrue(text.contains("csv"), text);
  }

  @Test
  void sourceFieldNeedsJsonlOrParquet() {
    String input = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt").toString();
    String tokenizer = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString();
    int code =
        run(
            "analyze",
            "--input",
            input,
            "--tokenizer",
            tokenizer,
            "--source-field",
            "src",
            "--output",
            "/tmp/never-written");
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("'--source-field' is 'src'; must come with --format jsonl"), text);
  }

  @Test
  void refusesAMissingCompressionCurveBeforeSparkStarts() {
    String input = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt").toString();
    String tokenizer = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString();
    int code =
        run(
            "analyze",
            "--input",
            input,
            "--tokenizer",
            tokenizer,
            "--compression",
            "/nonexistent/bpe-32k",
            "--output",
            "/tmp/never-written");
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, text);
    assertTrue(
        text.contains(
            "seqpack analyze: '--compression' is '/nonexistent/bpe-32k'; must be a"
                + " compression.json or a train-tokenizer output folder holding one, but it does"
                + " not exist"),
        text);
  }
}
