package org.seqpack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqpack.config.ConfigException;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.config.Settings;
import org.seqpack.core.RunReport;
import org.seqpack.core.SeqpackException;
import org.seqpack.spark.PrepareJob;
import org.seqpack.verify.VerifyCommand;

/**
 * Command line of the job: {@code [--config FILE] [flags]}. Exit codes: 0 success, 1 failure, 2
 * usage error. Stack traces only with {@code --verbose}.
 */
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final List<String> args;
  private final PrintStream out;
  private final PrintStream err;

  public Main(List<String> args, PrintStream out, PrintStream err) {
    this.args = args;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new Main(List.of(args), System.out, System.err).call();
    // Success returns normally: in YARN cluster mode the driver is the application master, which
    // marks an application that calls System.exit(0) as failed ("Shutdown hook called before
    // final status was reported").
    if (code != OK) {
      System.exit(code);
    }
  }

  @Override
  public Integer call() {
    if (!args.isEmpty() && args.get(0).equals("verify")) {
      return new VerifyCommand(args.subList(1, args.size()), out, err).call();
    }
    boolean verbose = args.contains("--verbose");
    JobConfig config;
    try {
      Settings settings = parse(args);
      if (settings == null) {
        out.print(help());
        return OK;
      }
      config = JobConfig.from(settings);
    } catch (ConfigException e) {
      for (String problem : e.problems()) {
        err.println("seqpack: " + problem);
      }
      err.println("Run with --help for usage.");
      return USAGE;
    } catch (SeqpackException e) {
      err.println("seqpack: " + e.getMessage());
      err.println("Run with --help for usage.");
      return USAGE;
    }
    try {
      SparkConf sparkConf = new SparkConf();
      if (!sparkConf.contains("spark.master")) {
        sparkConf.setMaster("local[*]");
      }
      PrepareJob job = PrepareJob.prepare(config, sparkConf);
      long start = System.nanoTime();
      SparkSession spark =
          SparkSession.builder().appName("seqpack").config(sparkConf).getOrCreate();
      try {
        RunReport report = job.run(spark);
        out.print(report.summary(config.output().path(), (System.nanoTime() - start) / 1e9));
        return OK;
      } finally {
        spark.stop();
      }
    } catch (SeqpackException e) {
      err.println("seqpack: " + e.getMessage());
      if (verbose) {
        e.printStackTrace(err);
      }
      return FAILED;
    } catch (RuntimeException e) {
      err.println("seqpack: unexpected failure: " + e);
      if (verbose) {
        e.printStackTrace(err);
      } else {
        err.println("Run with --verbose for the stack trace.");
      }
      return FAILED;
    }
  }

  /** The merged settings, or null when help was asked for. */
  static Settings parse(List<String> args) {
    Settings settings = Settings.empty();
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--help") || args.get(i).equals("-h")) {
        return null;
      }
    }
    // The properties file comes first so that flags override it wherever they stand.
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config")) {
        if (i + 1 >= args.size()) {
          throw new ConfigException(List.of("--config needs a file"));
        }
        settings.withProperties(args.get(i + 1), load(args.get(i + 1)));
      }
    }
    Set<String> listsSeen = new HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--config")) {
        i++;
        continue;
      }
      if (arg.equals("--verbose")) {
        continue;
      }
      String flag = arg;
      String inline = null;
      int equals = arg.indexOf('=');
      if (arg.startsWith("--") && equals > 0) {
        flag = arg.substring(0, equals);
        inline = arg.substring(equals + 1);
      }
      OptionKey<?> option = JobOptions.byFlag(flag).orElse(null);
      if (option == null) {
        settings.addProblem(
            "unknown argument '"
                + arg
                + "'"
                + Settings.suggestion(flag, JobOptions.ALL, OptionKey::flag));
        continue;
      }
      String value;
      if (option.kind() == OptionKey.Kind.SWITCH) {
        value = inline != null ? inline : "true";
      } else if (inline != null) {
        value = inline;
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        settings.addProblem("'" + flag + "' needs a value");
        continue;
      }
      settings.withFlag(option, value, listsSeen.add(option.key()));
    }
    return settings;
  }

  private static Properties load(String file) {
    Path path = Paths.get(file);
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(path)) {
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new ConfigException(
          List.of("'--config' is '" + file + "'; must be a readable properties file (" + e + ")"));
    }
  }

  static String help() {
    StringBuilder help = new StringBuilder();
    help.append("Usage: seqpack [--config FILE] [options]\n")
        .append(
            "       seqpack verify --output PATH [--tokenizer PATH] [--sample N]  (verify --help)\n\n")
        .append(
            "Tokenizes a text corpus and packs it into Parquet rows of exactly --seq-len tokens.\n")
        .append("Options (properties key in brackets; flags override the --config file):\n");
    for (OptionKey<?> option : JobOptions.ALL) {
      String flag = option.flag() + (option.kind() == OptionKey.Kind.SWITCH ? "" : " VALUE");
      help.append(String.format("  %-36s %s [%s", flag, option.help(), option.key()));
      if (option.defaultValue() != null && !option.defaultValue().isEmpty()) {
        help.append(", default ").append(option.defaultValue());
      }
      help.append("]\n");
    }
    help.append(String.format("  %-36s %s%n", "--config FILE", "properties file with dotted keys"))
        .append(String.format("  %-36s %s%n", "--verbose", "print stack traces of failures"))
        .append(String.format("  %-36s %s%n", "--help", "print this help"))
        .append("Exit codes: 0 success, 1 failure, 2 usage error.\n");
    return help.toString();
  }
}
