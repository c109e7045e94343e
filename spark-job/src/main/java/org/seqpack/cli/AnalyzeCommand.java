package org.seqpack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.seqpack.config.ConfigException;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.core.SeqpackException;
import org.seqpack.spark.AnalyzeJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code seqpack analyze}: per tokenizer × language × source, and per tokenizer × L, what the
 * corpus would cost (docs/ANALYZE.md). Reads its input as the job does (the same input options,
 * formats and rejections); writes {@code analysis.json} and {@code report.html}, no rows.
 */
public final class AnalyzeCommand implements Callable<Integer> {
  private static final String NAME = "analyze";

  static final String DEFAULT_SEQ_LENS = "512,1024,2048,4096,8192";

  /** Longest L simulated: the length histograms hold L counters per L. */
  static final int MAX_SEQ_LEN = 1 << 17;

  private final List<String> args;
  private final PrintStream out;
  private final PrintStream err;

  /**
   * @param args the arguments after {@code analyze}
   */
  public AnalyzeCommand(List<String> args, PrintStream out, PrintStream err) {
    this.args = args;
    this.out = out;
    this.err = err;
  }

  @Command(
      name = "analyze",
      sortOptions = false,
      usageHelpWidth = 100,
      customSynopsis =
          "seqpack analyze --input PATH... --tokenizer DIR... [--seq-len L,...]"
              + " [--source-field NAME] [--sample-fraction F] [--reference-language CODE]"
              + " [--compression PATH]... --output DIR",
      description = {
        "",
        "Measures a corpus before it is tokenized for good: per tokenizer, language and source",
        "file the bytes, words and tokens (bytes/token, tokens/word, premium against the",
        "reference language, vocabulary used, top tokens, unknown and byte-fallback tokens); per",
        "tokenizer and L the documents over L, rows and fill under best-fit decreasing, tokens",
        "lost by truncation, and attention cost with document masking. Writes analysis.json and",
        "report.html (docs/ANALYZE.md); no rows.",
        ""
      },
      footer = "Exit codes: 0 success, 1 failure, 2 usage error.")
  static final class Arguments {
    @Mixin InputOptions input = new InputOptions();

    @Option(
        names = "--tokenizer",
        paramLabel = "PATH",
        description = "tokenizer.json or its folder (repeatable, at most 8)")
    List<String> tokenizers = new ArrayList<>();

    @Option(
        names = "--seq-len",
        paramLabel = "L,...",
        split = ",",
        description = "sequence lengths to simulate (default " + DEFAULT_SEQ_LENS + ")")
    List<String> seqLens = new ArrayList<>();

    @Option(
        names = "--sample-fraction",
        paramLabel = "F",
        description = "analyse a random sample of this share of the documents (default 1)")
    double sampleFraction = 1.0;

    @Option(
        names = "--source-field",
        paramLabel = "NAME",
        description = "JSONL field or Parquet column to group by (default: the input file)")
    String sourceField;

    @Option(
        names = "--reference-language",
        paramLabel = "CODE",
        description = "ISO 639-1 code the premium is measured against (default en)")
    String referenceLanguage = "en";

    @Option(
        names = "--compression",
        paramLabel = "PATH",
        description =
            "compression.json of train-tokenizer --vocab-sizes, or its output folder, drawn as a"
                + " bytes/token curve against vocabulary size (repeatable)")
    List<String> compressions = new ArrayList<>();

    @Option(names = "--output", paramLabel = "DIR", description = "folder for the report")
    String output;

    @Option(names = "--overwrite", description = "replace the report in a non-empty --output")
    boolean overwrite;

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
    int[] seqLens = seqLens(arguments, problems);
    if (arguments.tokenizers.isEmpty() || arguments.tokenizers.size() > AnalyzeJob.MAX_TOKENIZERS) {
      problems.add(
          "'--tokenizer' is given "
              + arguments.tokenizers.size()
              + " times; must be given 1 to "
              + AnalyzeJob.MAX_TOKENIZERS
              + " times");
    }
    if (!(arguments.sampleFraction > 0 && arguments.sampleFraction <= 1)) {
      problems.add("'--sample-fraction' is " + arguments.sampleFraction + "; must be in (0, 1]");
    }
    if (!arguments.referenceLanguage.matches("[a-z]{2}")) {
      problems.add(
          "'--reference-language' is '"
              + arguments.referenceLanguage
              + "'; must be an ISO 639-1 code such as en");
    }
    if (arguments.sourceField != null && arguments.input.isText()) {
      problems.add(
          "'--source-field' is '"
              + arguments.sourceField
              + "'; must come with --format jsonl or parquet (text input is grouped by file)");
    }
    JobConfig config = null;
    try {
      config = JobConfig.from(settings(arguments));
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    } catch (SeqpackException e) {
      problems.add(e.getMessage());
    }
    if (!problems.isEmpty()) {
      return usage(problems);
    }
    JobConfig checked = config;
    return SparkCommands.run(
        NAME,
        arguments.verbose,
        err,
        sparkConf ->
            AnalyzeJob.prepare(
                    new AnalyzeJob.Options(
                        checked,
                        List.copyOf(arguments.tokenizers),
                        seqLens,
                        arguments.sampleFraction,
                        arguments.referenceLanguage,
                        arguments.output,
                        arguments.overwrite,
                        arguments.sourceField,
                        List.copyOf(arguments.compressions)),
                    sparkConf)
                ::run,
        result -> out.print(summary(result.analysis(), result.output())));
  }

  private static int[] seqLens(Arguments arguments, List<String> problems) {
    List<String> values =
        arguments.seqLens.isEmpty() ? List.of(DEFAULT_SEQ_LENS.split(",")) : arguments.seqLens;
    int[] seqLens = new int[values.size()];
    for (int i = 0; i < seqLens.length; i++) {
      String value = values.get(i).trim();
      try {
        seqLens[i] = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        seqLens[i] = -1;
      }
      if (seqLens[i] < 2 || seqLens[i] > MAX_SEQ_LEN) {
        problems.add(
            "'--seq-len' has '" + value + "'; must be integers between 2 and " + MAX_SEQ_LEN);
      }
    }
    return seqLens;
  }

  /** The input options as the job's settings, so that the job's parser checks them. */
  private static Settings settings(Arguments arguments) {
    Settings settings = arguments.input.settings();
    if (!arguments.tokenizers.isEmpty()) {
      InputOptions.set(settings, JobOptions.TOKENIZER, arguments.tokenizers.get(0));
    }
    InputOptions.set(settings, JobOptions.OUTPUT, arguments.output);
    return settings;
  }

  /** Per tokenizer, one line per language: documents, bytes/token, tokens/word, premium. */
  static String summary(JsonNode analysis, String output) {
    StringBuilder text = new StringBuilder();
    JsonNode documents = analysis.get("documents");
    text.append(
        String.format(
            Locale.ROOT,
            "documents: %,d read, %,d analysed, %,d rejected%n",
            documents.get("read").asLong(),
            documents.get("analyzed").asLong(),
            documents.get("rejected_total").asLong()));
    for (JsonNode tokenizer : analysis.get("tokenizers")) {
      text.append(
          String.format(
              Locale.ROOT,
              "%s: %-8s %9s %12s %11s %8s%n",
              tokenizer.get("name").asText(),
              "language",
              "documents",
              "bytes/token",
              "tokens/word",
              "premium"));
      for (JsonNode language : tokenizer.get("languages")) {
        JsonNode premium = language.get("premium");
        text.append(
            String.format(
                Locale.ROOT,
                "  %-8s %9d %12.3f %11.3f %8s%n",
                language.get("language").asText(),
                language.get("documents").asLong(),
                language.get("bytes_per_token").asDouble(),
                language.get("tokens_per_word").asDouble(),
                premium.isNull() ? "-" : String.format(Locale.ROOT, "%.3f", premium.asDouble())));
      }
    }
    text.append("output: ").append(output).append(System.lineSeparator());
    return text.toString();
  }

  private int usage(List<String> problems) {
    return SparkCommands.usage(err, NAME, problems);
  }
}
