package org.seqpack.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqpack.core.SeqpackException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** What the Spark subcommands ({@code analyze}, {@code train-tokenizer}) share around their run. */
final class SparkCommands {
  private SparkCommands() {}

  /**
   * Parses {@code args} into the picocli-annotated {@code arguments}: empty to go on, or the exit
   * code when they are not understood (usage printed) or ask for the help (printed).
   */
  static OptionalInt parse(
      String command, Object arguments, List<String> args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(arguments);
    try {
      cli.parseArgs(args.toArray(new String[0]));
    } catch (ParameterException e) {
      return OptionalInt.of(usage(err, command, List.of(e.getMessage())));
    }
    if (cli.isUsageHelpRequested()) {
      out.print(cli.getUsageMessage());
      return OptionalInt.of(Main.OK);
    }
    return OptionalInt.empty();
  }

  /**
   * Runs a checked command: {@code prepare} checks its inputs and output before Spark starts (so
   * that bad input fails fast and cheaply) and gives the run; the session is stopped after it, and
   * {@code done} reports the result. Returns the exit code, failures reported by {@link #failed}.
   */
  static <R> int run(
      String command,
      boolean verbose,
      PrintStream err,
      Function<SparkConf, Function<SparkSession, R>> prepare,
      Consumer<R> done) {
    try {
      SparkConf sparkConf = sparkConf();
      Function<SparkSession, R> job = prepare.apply(sparkConf);
      SparkSession spark =
          SparkSession.builder().appName("seqpack " + command).config(sparkConf).getOrCreate();
      try {
        done.accept(job.apply(spark));
        return Main.OK;
      } finally {
        spark.stop();
      }
    } catch (RuntimeException e) {
      return failed(err, command, verbose, e);
    }
  }

  /** spark-submit's settings, or local mode on every core when it gave no master. */
  static SparkConf sparkConf() {
    SparkConf sparkConf = new SparkConf();
    if (!sparkConf.contains("spark.master")) {
      sparkConf.setMaster("local[*]");
    }
    return sparkConf;
  }

  /** Prints each problem and where the help is; returns the usage exit code. */
  static int usage(PrintStream err, String command, List<String> problems) {
    for (String problem : problems) {
      err.println("seqpack " + command + ": " + problem);
    }
    err.println("Run '" + command + " --help' for usage.");
    return Main.USAGE;
  }

  /**
   * Reports a failed run: our own errors by their message, anything else as unexpected; stack
   * traces with {@code --verbose}. Returns the failure exit code.
   */
  static int failed(PrintStream err, String command, boolean verbose, RuntimeException e) {
    if (e instanceof SeqpackException) {
      err.println("seqpack " + command + ": " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
    } else {
      err.println("seqpack " + command + ": unexpected failure: " + e);
      if (verbose) {
        e.printStackTrace(err);
      } else {
        err.println("Run with --verbose for the stack trace.");
      }
    }
    return Main.FAILED;
  }
}
