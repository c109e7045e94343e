package org.seqpack.verify;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;

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

  @Override
  public Integer call() {
    String output = null;
    String tokenizer = null;
    int sample = DEFAULT_SAMPLE;
    int perKind = PER_KIND;
    boolean verbose = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg;
      String value = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        value = arg.substring(equals + 1);
      }
      switch (flag) {
        case "--help", "-h" -> {
          out.print(help());
          return OK;
        }
        case "--verbose" -> verbose = true;
        case "--output", "--tokenizer", "--sample", "--max-per-kind" -> {
          if (value == null) {
            if (i + 1 >= args.size()) {
              return usage("'" + flag + "' needs a value");
            }
            value = args.get(++i);
          }
          switch (flag) {
            case "--output" -> output = value;
            case "--tokenizer" -> tokenizer = value;
            default -> {
              int number;
              try {
                number = Integer.parseInt(value);
              } catch (NumberFormatException e) {
                number = -1;
              }
              if (number < (flag.equals("--sample") ? 0 : 1)) {
                return usage(
                    "'"
                        + flag
                        + "' is '"
                        + value
                        + "'; must be an integer >= "
                        + (flag.equals("--sample") ? 0 : 1));
              }
              if (flag.equals("--sample")) {
                sample = number;
              } else {
                perKind = number;
              }
            }
          }
        }
        default -> {
          return usage("unknown argument '" + arg + "'");
        }
      }
    }
    if (output == null || output.isEmpty()) {
      return usage("'--output' is missing; must name the output folder to verify");
    }
    try {
      OutputVerifier.Result result =
          OutputVerifier.verify(
              new OutputVerifier.Options(output, tokenizer, sample, perKind), hadoopConf());
      out.print(result.report());
      return result.ok() ? OK : VIOLATIONS;
    } catch (RuntimeException e) {
      err.println("seqpack verify: unexpected failure: " + e);
      if (verbose) {
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

  static String help() {
    return "Usage: seqpack verify --output PATH [--tokenizer PATH] [--sample N]\n\n"
        + "Checks an output folder of the job against docs/FORMAT.md: the folder (_SUCCESS, no\n"
        + "staging or stray files), each file's schema and footer metadata, every row's\n"
        + "invariants under the recorded configuration, stats.json against the data, and on a\n"
        + "sample of whole documents that decoding with the recorded tokenizer and re-encoding\n"
        + "gives the same ids. Reads every row in this one process.\n\n"
        + String.format(
            "  %-24s %s%n", "--output PATH", "the output folder (any Hadoop filesystem)")
        + String.format(
            "  %-24s %s%n",
            "--tokenizer PATH",
            "tokenizer.json or its folder (default: the path stats.json records); its SHA-256"
                + " must match")
        + String.format(
            "  %-24s %s%n",
            "--sample N",
            "whole-document segments to decode and re-encode (default 1000, 0 = none)")
        + String.format(
            "  %-24s %s%n",
            "--max-per-kind N", "violations listed per kind (default 20; all count)")
        + String.format("  %-24s %s%n", "--verbose", "print stack traces of failures")
        + "Exit codes: 0 no violation, 1 violations, 2 usage error.\n";
  }
}
