package org.seqpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code seqpack train-tokenizer}'s usage errors: every problem at once, exit code 2, no Spark. */
class TrainTokenizerCommandTest {
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
  void helpListsTheOptions() {
    assertEquals(0, run("train-tokenizer", "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String flag :
        List.of(
            "--input",
            "--output",
            "--vocab-size",
            "--min-frequency",
            "--pattern",
            "--special-token",
            "--vocab-sizes",
            "--held-out-fraction",
            "--target-partition-bytes")) {
      assertTrue(help.contains(flag), flag + " in\n" + help);
    }
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    assertEquals(
        2,
        run(
            "train-tokenizer",
            "--vocab-size",
            "1000",
            "--vocab-sizes",
            "100,2000",
            "--pattern",
            "bert",
            "--held-out-fraction",
            "1.5",
            "--added-token",
            "<|endoftext|>",
            "--format",
            "csv",
            "--partitions",
            "-1",
            "--target-partition-bytes",
            "12"));
    String text = err.toString(StandardCharsets.UTF_8);
    for (String problem :
        List.of(
            "'input.paths' is not set; must be given (--input on the command line)",
            "'input.format' is 'csv'; must be one of text, jsonl, parquet",
            "'--pattern' is 'bert'; must be one of gpt2, llama3, qwen",
            "'--output' is missing; must name the folder to write the tokenizer to")) {
      assertTrue(
          text.contains("seqpack train-tokenizer: " + problem + "\n"), problem + " in\n" + text);
    }
    assertTrue(
        text.contains(
            "'--vocab-sizes' has 100; must be between 257 (special tokens and bytes) and"
                + " --vocab-size 1000"),
        text);
    assertTrue(text.contains("'--vocab-sizes' has 2000;"), text);
    assertTrue(text.contains("'--held-out-fraction' is 1.5; must be >= 0 and < 1"), text);
    assertTrue(
        text.contains("'--added-token' is '<|endoftext|>'; must not be a special token too"), text);
    // The input flags are the job's own declarations, rules and messages included.
    assertTrue(text.contains("'input.partitions' is -1; must be between 0 and"), text);
    assertTrue(text.contains("'input.target-partition-bytes' is 12; must be between 65536"), text);
  }
}
