package org.seqpack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.tokenizer.TestPaths;

/**
 * Bad configuration stops the job before Spark starts, with one clear line and exit code 2 or 1.
 */
class MainTest {
  @TempDir Path tmp;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Main(
            List.of(args),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .call();
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private List<String> valid() {
    Path root = TestPaths.projectRoot();
    List<String> args = new ArrayList<>();
    args.addAll(List.of("--input", root.resolve("test-data/europarl-1k.txt").toString()));
    args.addAll(List.of("--tokenizer", root.resolve("test-data/tokenizers/gpt2").toString()));
    args.addAll(List.of("--output", tmp.resolve("out").toString()));
    return args;
  }

  private int run(List<String> args) {
    return run(args.toArray(new String[0]));
  }

  @Test
  void helpListsEveryFlagAndExitsZero() {
    assertEquals(0, run("--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    for (String flag :
        List.of(
            "--input",
            "--format",
            "--text-field",
            "--tokenizer",
            "--seq-len",
            "--output",
            "--overwrite",
            "--config",
            "--eos-token",
            "--bos-token",
            "--pad-token")) {
      assertTrue(help.contains(flag), flag);
    }
  }

  @Test
  void unknownFlagSuggestsTheNearestOne() {
    List<String> args = valid();
    args.addAll(List.of("--seqlen", "8"));
    assertEquals(2, run(args));
    assertTrue(err().contains("unknown argument '--seqlen' (did you mean '--seq-len'?)"), err());
  }

  @Test
  void allProblemsReportedAtOnce() {
    assertEquals(2, run("--seq-len", "1", "--format", "csv"));
    String message = err();
    assertTrue(message.contains("'pack.seq-len' is 1; must be between 2 and"), message);
    assertTrue(
        message.contains("'input.format' is 'csv'; must be one of text, jsonl, parquet"), message);
    assertTrue(message.contains("'input.paths' is not set"), message);
    assertTrue(message.contains("'tokenizer.path' is not set"), message);
    assertTrue(message.contains("'output.path' is not set"), message);
  }

  @Test
  void unknownPropertiesKeyIsNamed() throws Exception {
    Path conf = tmp.resolve("job.properties");
    Files.writeString(conf, "pack.seqlen=8\n");
    List<String> args = valid();
    args.addAll(List.of("--config", conf.toString()));
    assertEquals(2, run(args));
    assertTrue(err().contains("unknown key 'pack.seqlen'"), err());
    assertTrue(err().contains("did you mean 'pack.seq-len'?"), err());
  }

  @Test
  void missingTokenizerStopsBeforeSpark() {
    List<String> args = valid();
    args.set(3, tmp.resolve("nope/tokenizer.json").toString());
    assertEquals(1, run(args));
    assertTrue(err().contains("'tokenizer.path' is '"), err());
    assertTrue(err().contains("does not exist"), err());
  }

  @Test
  void corruptTokenizerStopsBeforeSpark() throws Exception {
    Path broken = tmp.resolve("tokenizer.json");
    Files.writeString(broken, "{\"model\": ");
    List<String> args = valid();
    args.set(3, broken.toString());
    assertEquals(1, run(args));
    assertTrue(err().contains("is not valid JSON"), err());
  }

  @Test
  void missingInputStopsBeforeSpark() {
    List<String> args = valid();
    args.set(1, tmp.resolve("missing-*.txt").toString());
    assertEquals(1, run(args));
    assertTrue(err().contains("'input.paths' has '"), err());
    assertTrue(err().contains("nothing matches it"), err());
  }

  @Test
  void nonEmptyOutputNeedsOverwrite() throws Exception {
    Files.createDirectories(tmp.resolve("out"));
    Files.writeString(tmp.resolve("out/keep.txt"), "x");
    assertEquals(1, run(valid()));
    assertTrue(err().contains("pass --overwrite"), err());
    assertTrue(Files.exists(tmp.resolve("out/keep.txt")));
  }

  @Test
  void unknownEosTokenIsNamed() {
    List<String> args = valid();
    args.addAll(List.of("--eos-token", "<|not-a-token|>"));
    assertEquals(1, run(args));
    assertTrue(
        err().contains("'tokenizer.eos-token' is '<|not-a-token|>'; must be a token"), err());
  }
}
