package org.seqpack.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.seqpack.config.ConfigException;
import org.seqpack.config.JobConfig;
import org.seqpack.core.InputConfig;
import org.seqpack.spark.TrainTokenizerJob;
import org.seqpack.train.PreTokenPattern;
import org.seqpack.train.TrainerConfig;
import org.seqpack.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seqpack train-tokenizer}: trains a byte-level BPE tokenizer on any input the job reads and
 * writes its tokenizer.json, tokenizer_config.json, training.json and compression.json. Exit codes:
 * 0 success, 1 failure, 2 usage error.
 */
public final class TrainTokenizerCommand implements Callable<Integer> {
  private static final String NAME = "train-tokenizer";

  private final List<String> args;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param args the arguments after {@code train-tokenizer}
   */
  public TrainTokenizerCommand(List<String> args, PrintStream out, PrintStream err) {
    this.args = args;
    this.out = out;
    this.err = err;
  }

  /** The command line of {@code train-tokenizer}, parsed by picocli. */
  @Command(
      name = "train-tokenizer",
      sortOptions = false,
      usageHelpWidth = 100,
      customSynopsis =
          "seqpack train-tokenizer --input PATH... --output DIR --vocab-size N [options]",
      description = {
        "",
        "Trains a byte-level BPE tokenizer: words counted by Spark, merges learned on the driver.",
        "Writes tokenizer.json and tokenizer_config.json (loaded alike by Hugging Face tokenizers,",
        "DJL and this job), training.json, and compression.json (held-out bytes/token per size).",
        ""
      },
      footer = "Exit codes: 0 success, 1 failure, 2 usage error.")
  static final class Arguments {
    @Mixin InputOptions input = new InputOptions();

    @Option(names = "--output", paramLabel = "DIR", description = "folder to write the files to")
    String output;

    @Option(names = "--overwrite", description = "replace the tokenizer files of --output")
    boolean overwrite;

    @Option(
        names = "--vocab-size",
        paramLabel = "N",
        description = "vocabulary size, special tokens and the 256 bytes included")
    Integer vocabSize;

    @Option(
        names = "--min-frequency",
        paramLabel = "N",
        description = "words seen fewer times are dropped, pairs fewer are not merged (2)")
    long minFrequency = 2;

    @Option(names = "--pattern", paramLabel = "P", description = "gpt2, llama3 or qwen (llama3)")
    String pattern = "llama3";

    @Option(
        names = "--special-token",
        paramLabel = "S",
        description = "a special token, first ids in order (repeatable; <|endoftext|>)")
    List<String> specialTokens = new ArrayList<>();

    @Option(
        names = "--added-token",
        paramLabel = "S",
        description = "a non-special added token, ids after the vocabulary (repeatable)")
    List<String> addedTokens = new ArrayList<>();

    @Option(
        names = "--vocab-sizes",
        paramLabel = "N,N",
        split = ",",
        description = "smaller sizes whose held-out bytes/token compression.json reports")
    List<Integer> vocabSizes = new ArrayList<>();

    @Option(
        names = "--held-out-fraction",
        paramLabel = "F",
        description = "documents held out of training to measure compression (0.01)")
    double heldOutFraction = 0.01;

    @Option(names = "--quiet", description = "print nothing but errors")
    boolean quiet;

    @Option(names = "--verbose", description = "print stack traces of failures")
    boolean verbose;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this help")
    boolean help;
  }

  @Override
  public Integer call() {
    Arguments arguments = new Arguments();
    OptionalInt parsed = SparkCommands.parse(NAME, arguments, args, out, err);
    if (parsed.isPresent()) {
      return parsed.getAsInt();
    }
    List<String> problems = new ArrayList<>();
    InputConfig input = input(arguments, problems);
    TrainingOptions options = options(arguments, problems);
    if (arguments.output == null || arguments.output.isEmpty()) {
      problems.add("'--output' is missing; must name the folder to write the tokenizer to");
    }
    if (!problems.isEmpty()) {
      return usage(problems);
    }
    return SparkCommands.run(
        NAME,
        arguments.verbose,
        err,
        sparkConf ->
            TrainTokenizerJob.prepare(
                    input, arguments.output, arguments.overwrite, options, sparkConf)
                ::run,
        result -> {
          if (!arguments.quiet) {
            out.print(result.summary(arguments.output));
          }
        });
  }

  /** The input options, checked by the job's own declarations (the job's messages). */
  private static InputConfig input(Arguments arguments, List<String> problems) {
    try {
      return JobConfig.inputFrom(arguments.input.settings());
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  private static TrainingOptions options(Arguments arguments, List<String> problems) {
    if (arguments.vocabSize == null) {
      problems.add("'--vocab-size' is missing; must be the vocabulary size to train to");
      return null;
    }
    List<String> specials =
        arguments.specialTokens.isEmpty() ? List.of("<|endoftext|>") : arguments.specialTokens;
    PreTokenPattern pattern = null;
    try {
      pattern = PreTokenPattern.of(arguments.pattern);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    List<String> trainerProblems =
        TrainerConfig.problems(arguments.vocabSize, arguments.minFrequency, specials);
    problems.addAll(trainerProblems);
    if (!trainerProblems.isEmpty()) {
      return null;
    }
    TrainerConfig trainer =
        new TrainerConfig(arguments.vocabSize, arguments.minFrequency, specials);
    List<String> sizeProblems =
        TrainingOptions.problems(trainer, arguments.vocabSizes, arguments.heldOutFraction);
    problems.addAll(sizeProblems);
    List<String> addedProblems = TrainingOptions.addedTokenProblems(trainer, arguments.addedTokens);
    problems.addAll(addedProblems);
    return sizeProblems.isEmpty() && addedProblems.isEmpty() && pattern != null
        ? new TrainingOptions(
            trainer,
            pattern,
            arguments.vocabSizes,
            arguments.heldOutFraction,
            arguments.addedTokens)
        : null;
  }

  private int usage(List<String> problems) {
    return SparkCommands.usage(err, NAME, problems);
  }
}
