package org.seqpack.verify;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code seqpack verify --output PATH [--tokenizer PATH] [--sample N]}: checks an output folder
 * against docs/FORMAT.md and prints a report. Exit codes: 0 no violation, 1 violations (or the
 * folder cannot be read), 2 usage error. No Spark: one process reads every row.
 */
public final class VerifyCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int VIOLATIONS = 1;
  static final int USAGE = 2;
  static final int DEFAULT_SAMPLE = 1000;
  static final int PER_KIND = 20;

  private final List<String> args;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param args the arguments after {@code verify}
   */
  public VerifyCommand(List<String> args, PrintStream out, PrintStream err) {
    this.args = args;
    this.out = out;
    this.err = err;
  }

  /** The command line of {@code verify}, parsed by picocli. */
  @Command(
      name = "verify",
      sortOptions = false,
      usageHelpWidth = 100,
      customSynopsis = "seqpack verify --output PATH [--tokenizer PATH] [--sample N]",
      description = {
        "",
        "Checks an output folder of the job against docs/FORMAT.md: the folder (_SUCCESS, no",
        "staging or stray files), each file's schema and footer metadata, every row's",
        "invariants under the recorded configuration, stats.json against the data, and on a",
        "sample of whole documents that decoding with the recorded tokenizer and re-encoding",
        "gives the same ids. Reads every row in this one process.",
        ""
      },
      footer = "Exit codes: 0 no violation, 1 violations, 2 usage error.")
  static final class Arguments {
    @Option(
        names = "--output",
        paramLabel = "PATH",
        description = "the output folder (any Hadoop filesystem)")
    String output;

    @Option(
        names = "--tokenizer",
        paramLabel = "PATH",
        description =
            "tokenizer.json or its folder (default: the path stats.json records); its SHA-256"
                + " must match")
    String tokenizer;

    @Option(
        names = "--sample",
        paramLabel = "N",
        description = "whole-document segments to decode and re-encode (default 1000, 0 = none)")
    int sample = DEFAULT_SAMPLE;

    @Option(
        names = "--max-per-kind",
        paramLabel = "N",
        description = "violations listed per kind (default 20; all count)")
    int perKind = PER_KIND;

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
    CommandLine cli = new CommandLine(arguments);
    try {
      cli.parseArgs(args.toArray(new String[0]));
    } catch (ParameterException e) {
      return usage(e.getMessage());
    }
    if (arguments.help) {
      out.print(cli.getUsageMessage());
      return OK;
    }
    if (arguments.sample < 0) {
      return usage("'--sample' is " + arguments.sample + "; must be an integer >= 0");
    }
    if (arguments.perKind < 1) {
      return usage("'--max-per-kind' is " + arguments.perKind + "; must be an integer >= 1");
    }
    if (arguments.output == null || arguments.output.isEmpty()) {
      return usage("'--output' is missing; must name the output folder to verify");
    }
    try {
      OutputVerifier.Result result =
          OutputVerifier.verify(
              new OutputVerifier.Options(
                  arguments.output, arguments.tokenizer, arguments.sample, arguments.perKind),
              hadoopConf());
      out.print(result.report());
      return result.ok() ? OK : VIOLATIONS;
    } catch (RuntimeException e) {
      err.println("seqpack verify: unexpected failure: " + e);
      if (arguments.verbose) {
        e.printStackTrace(err);
      } else {
        err.println("Run with --verbose for the stack trace.");
      }
      return VIOLATIONS;
    }
  }

  private int usage(String problem) {
    err.println("seqpack verify: " + problem);
    err.println("Run 'verify --help' for usage.");
    return USAGE;
  }

  /**
   * Hadoop's defaults plus every {@code spark.hadoop.*} system property, as spark-submit passes
   * them, so that the cluster scripts' filesystem settings (s3a credentials, HDFS) apply here too.
   */
  static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    for (Map.Entry<Object, Object> entry : System.getProperties().entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), String.valueOf(entry.getValue()));
      }
    }
    return conf;
  }
}
