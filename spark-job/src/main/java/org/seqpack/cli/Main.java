package org.seqpack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Properties;
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
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Command line of the job: {@code [--config FILE] [flags]}. Exit codes: 0 success, 1 failure, 2
 * usage error. Stack traces only with {@code --verbose}.
 */
public final class Main implements Callable<Integer> {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  private static final int USAGE_WIDTH = 120;
  private static final String CONFIG = "--config";
  private static final String VERBOSE = "--verbose";

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
    if (!args.isEmpty() && args.get(0).equals("analyze")) {
      return new AnalyzeCommand(args.subList(1, args.size()), out, err).call();
    }
    if (!args.isEmpty() && args.get(0).equals("train-tokenizer")) {
      return new TrainTokenizerCommand(args.subList(1, args.size()), out, err).call();
    }
    boolean verbose = args.contains(VERBOSE);
    JobConfig config;
    try {
      CommandLine cli = commandLine();
      ParseResult parsed = cli.parseArgs(args.toArray(new String[0]));
      if (parsed.isUsageHelpRequested()) {
        out.print(cli.getUsageMessage());
        return OK;
      }
      config = JobConfig.from(settings(parsed));
    } catch (ParameterException e) {
      err.println("seqpack: " + e.getMessage());
      err.println("Run with --help for usage.");
      return USAGE;
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
        List<RunReport> reports = job.runLengths(spark, config.quiet() ? null : err);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Integer> seqLens = config.seqLens();
        for (int i = 0; i < reports.size(); i++) {
          String path = config.output().path();
          if (seqLens.size() > 1) {
            path = path + "/L=" + seqLens.get(i);
            out.println((i == 0 ? "" : System.lineSeparator()) + "L = " + seqLens.get(i) + ":");
          }
          out.print(reports.get(i).summary(path, seconds));
        }
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

  /**
   * The command line's grammar, generated from the option declarations: one picocli option per
   * {@link OptionKey}, plus {@code --config}, {@code --verbose} and {@code --help}. Values stay
   * text here; {@link JobConfig#from} parses them by their declarations.
   */
  static CommandLine commandLine() {
    CommandSpec spec = CommandSpec.create().name("seqpack");
    spec.usageMessage()
        .width(USAGE_WIDTH)
        .sortOptions(false)
        .customSynopsis(
            "seqpack [--config FILE] [options]",
            "       seqpack verify --output PATH [--tokenizer PATH] [--sample N]  (verify --help)",
            "       seqpack analyze --input PATH --tokenizer DIR... --output DIR  (analyze --help)",
            "       seqpack train-tokenizer --input PATH --vocab-size N --output DIR"
                + "  (train-tokenizer --help)")
        .description(
            "Tokenizes a text corpus and packs it into Parquet rows of exactly --seq-len tokens.",
            "Options (properties key in brackets; flags override the --config file):")
        .footer("Exit codes: 0 success, 1 failure, 2 usage error.");
    for (OptionKey<?> option : JobOptions.ALL) {
      OptionSpec.Builder builder =
          OptionSpec.builder(option.flag()).description(description(option).toArray(String[]::new));
      switch (option.kind()) {
        case VALUE -> builder.paramLabel("VALUE").type(String.class).arity("1");
        case LIST ->
            builder.paramLabel("VALUE").type(List.class).auxiliaryTypes(String.class).arity("1");
        case SWITCH ->
            builder.paramLabel("true|false").type(String.class).arity("0..1").fallbackValue("true");
      }
      spec.addOption(builder.build());
    }
    spec.addOption(
        OptionSpec.builder(CONFIG)
            .paramLabel("FILE")
            .type(List.class)
            .auxiliaryTypes(String.class)
            .arity("1")
            .description("properties file with dotted keys")
            .build());
    spec.addOption(
        OptionSpec.builder(VERBOSE)
            .arity("0")
            .description("print stack traces of failures")
            .build());
    spec.addOption(
        OptionSpec.builder("-h", "--help").usageHelp(true).description("print this help").build());
    CommandLine cli = new CommandLine(spec);
    // Like a properties file read before the flags: the last value given wins, unknown arguments
    // are collected so that every problem is reported at once.
    cli.setOverwrittenOptionsAllowed(true);
    cli.setUnmatchedArgumentsAllowed(true);
    return cli;
  }

  /** The help line, then the key and default on a line of their own; '%' is literal here. */
  private static List<String> description(OptionKey<?> option) {
    String value = option.defaultValue();
    return List.of(
        option.help().replace("%", "%%"),
        "[" + option.key() + (value != null && !value.isEmpty() ? ", default " + value : "") + "]");
  }

  /**
   * The settings of a parsed command line: the {@code --config} files first, in order, so that
   * flags override them wherever they stand; a list flag replaces the file's list.
   */
  static Settings settings(ParseResult parsed) {
    Settings settings = Settings.empty();
    List<String> files = parsed.matchedOptionValue(CONFIG, List.of());
    for (String file : files) {
      settings.withProperties(file, load(file));
    }
    for (String arg : parsed.unmatched()) {
      int equals = arg.indexOf('=');
      String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
      settings.addProblem(
          "unknown argument '"
              + arg
              + "'"
              + Settings.suggestion(flag, JobOptions.ALL, OptionKey::flag));
    }
    for (OptionKey<?> option : JobOptions.ALL) {
      OptionSpec matched = parsed.matchedOption(option.flag());
      if (matched == null) {
        continue;
      }
      if (option.kind() == OptionKey.Kind.LIST) {
        boolean first = true;
        for (String value : matched.<List<String>>getValue()) {
          settings.withFlag(option, value, first);
          first = false;
        }
      } else {
        settings.withFlag(option, matched.<String>getValue(), true);
      }
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
    return commandLine().getUsageMessage();
  }
}
