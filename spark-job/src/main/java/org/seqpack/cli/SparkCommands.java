package org.seqpack.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.spark.SparkConf;
import org.seqpack.core.SeqpackException;

/** What the Spark subcommands ({@code analyze}, {@code train-tokenizer}) share around their run. */
final class SparkCommands {
  private SparkCommands() {}

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
