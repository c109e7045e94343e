package org.seqpack.config;

import static org.seqpack.config.JobOptions.ALL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.seqpack.core.InputConfig;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackingConfig;
import org.seqpack.core.Sentinels;
import org.seqpack.sft.SftConfig;
import org.seqpack.tokenizer.SentinelResolver;
import org.seqpack.tokenizer.TokenizerOptions;

/**
 * The validated, immutable configuration of one run: the option values parsed by their declarations
 * ({@link JobOptions}), and from them one record per concern, each owned by the package that uses
 * it.
 */
public final class JobConfig {
  private final OptionValues values;
  private final InputConfig input;
  private final TokenizerOptions tokenizer;
  private final PackingConfig packing;
  private final SftConfig sft;
  private final OutputConfig output;

  /**
   * Where rows go.
   *
   * @param maxRejectedFraction the run fails when more of the documents read are rejected
   * @param emitSeqLens whether rows also hold the {@code seq_lens} column
   * @param format packed rows, or documents as Megatron or llm.c files
   * @param shardTokens at most this many tokens per llm.c shard
   */
  public record OutputConfig(
      String path,
      boolean overwrite,
      String commit,
      boolean resume,
      int zstdLevel,
      double maxRejectedFraction,
      boolean emitSeqLens,
      OutputFormat format,
      long shardTokens)
      implements java.io.Serializable {}

  private JobConfig(OptionValues values) {
    this.values = values;
    this.input = input(values);
    this.tokenizer =
        new TokenizerOptions(
            values.get(JobOptions.TOKENIZER),
            values.get(JobOptions.EOS_TOKEN),
            values.get(JobOptions.BOS_TOKEN),
            values.get(JobOptions.PAD_TOKEN),
            values.get(JobOptions.SPECIAL_TOKENS_IN_TEXT),
            values.get(JobOptions.MAX_CHARS_PER_CALL),
            values.get(JobOptions.TOKENIZER_ENGINE));
    int maxSegments = values.get(JobOptions.MAX_SEGMENTS);
    this.packing =
        new PackingConfig(
            values.get(JobOptions.SEQ_LEN).get(0),
            values.get(JobOptions.PACKING),
            values.get(JobOptions.REPAIR),
            values.get(JobOptions.LONG_DOCS),
            values.get(JobOptions.STRIDE),
            values.get(JobOptions.POSITIONS).equals("continuous"),
            maxSegments == 0 ? Integer.MAX_VALUE : maxSegments,
            values.get(JobOptions.ROW_LENGTH).equals("variable"),
            values.get(JobOptions.PAD_TO_MULTIPLE_OF),
            values.get(JobOptions.MIN_DOC_TOKENS),
            values.get(JobOptions.SEED),
            values.get(JobOptions.WINDOW_TOKENS));
    this.sft =
        new SftConfig(
            isSft(values),
            values.get(JobOptions.PROMPT_FIELD),
            values.get(JobOptions.COMPLETION_FIELD),
            values.get(JobOptions.MESSAGES_FIELD),
            values.get(JobOptions.CHAT_TEMPLATE),
            values.get(JobOptions.TRAIN_ON_PROMPT),
            values.get(JobOptions.LONG_EXAMPLES),
            values.get(JobOptions.COMPLETION_EOS));
    this.output =
        new OutputConfig(
            values.get(JobOptions.OUTPUT),
            values.get(JobOptions.OVERWRITE),
            values.get(JobOptions.COMMIT),
            values.get(JobOptions.RESUME),
            values.get(JobOptions.ZSTD_LEVEL),
            values.get(JobOptions.MAX_REJECTED_FRACTION),
            values.get(JobOptions.EMIT_SEQ_LENS),
            values.get(JobOptions.OUTPUT_FORMAT),
            values.get(JobOptions.SHARD_TOKENS));
  }

  /** Validates {@code settings}; every problem is reported in one {@link ConfigException}. */
  public static JobConfig from(Settings settings) {
    List<String> problems = new ArrayList<>(settings.problems());
    OptionValues values = OptionValues.parse(ALL, settings::get, problems);
    JobOptions.checkRelations(values, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new JobConfig(values);
  }

  /**
   * Validates only the input options ({@link JobOptions#INPUT_OPTIONS}) of {@code settings}: for
   * commands that read the job's input but neither tokenize nor pack it ({@code train-tokenizer}).
   */
  public static InputConfig inputFrom(Settings settings) {
    List<String> problems = new ArrayList<>(settings.problems());
    OptionValues values = OptionValues.parse(JobOptions.INPUT_OPTIONS, settings::get, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return input(values);
  }

  private static InputConfig input(OptionValues values) {
    return new InputConfig(
        values.get(JobOptions.INPUT),
        values.get(JobOptions.FORMAT),
        values.get(JobOptions.TEXT_FIELD),
        values.get(JobOptions.PARTITIONS),
        values.get(JobOptions.INVALID_UTF8).equals("reject"),
        values.get(JobOptions.CORRUPT_FILES).equals("skip"),
        values.get(JobOptions.TARGET_PARTITION_BYTES));
  }

  public InputConfig input() {
    return input;
  }

  public TokenizerOptions tokenizer() {
    return tokenizer;
  }

  /** The packing of the first (or only) length; {@link #forSeqLen} gives the others'. */
  public PackingConfig packing() {
    return packing;
  }

  /** The row lengths asked for: one, or several for one output each from one tokenization. */
  public List<Integer> seqLens() {
    return values.get(JobOptions.SEQ_LEN);
  }

  /**
   * This configuration with the single length {@code seqLen}: what a run of that length alone would
   * be given, and records.
   */
  public JobConfig forSeqLen(int seqLen) {
    if (!seqLens().contains(seqLen)) {
      throw new IllegalArgumentException(seqLen + " is not one of " + seqLens());
    }
    return new JobConfig(values.with(JobOptions.SEQ_LEN, List.of(seqLen)));
  }

  public SftConfig sft() {
    return sft;
  }

  public OutputConfig output() {
    return output;
  }

  /** Whether the driver prints no progress lines. */
  public boolean quiet() {
    return values.get(JobOptions.QUIET);
  }

  /**
   * The BOS, EOS and pad ids the tokenizer options ask for; errors name the options' keys. For
   * llm.c shards the defaults are llm.c's own: one delimiter before each document and none after.
   */
  public Sentinels sentinels(SentinelResolver resolver) {
    if (output.format() == OutputFormat.LLMC) {
      return resolver.resolveDelimiterFirst(
          JobOptions.EOS_TOKEN.key(),
          tokenizer.eosToken(),
          JobOptions.BOS_TOKEN.key(),
          tokenizer.bosToken(),
          JobOptions.PAD_TOKEN.key(),
          tokenizer.padToken());
    }
    return resolver.resolve(
        JobOptions.EOS_TOKEN.key(),
        tokenizer.eosToken(),
        JobOptions.BOS_TOKEN.key(),
        tokenizer.bosToken(),
        JobOptions.PAD_TOKEN.key(),
        tokenizer.padToken());
  }

  /**
   * The configuration that shapes the rows, as dotted keys: recorded in stats.json and in every
   * Parquet footer. Where the output goes ({@code output.path}, {@code output.overwrite}) is left
   * out, so the same run written to another folder gives the same bytes.
   */
  public Map<String, String> recorded() {
    boolean sft = isSft(values);
    return values.render(option -> option.recordedFor(sft));
  }

  /** The effective configuration as dotted keys: {@link #recorded} and where the output goes. */
  public Map<String, String> effective() {
    boolean sft = isSft(values);
    return values.render(
        option -> option.recordedFor(sft) || option.record() == OptionKey.Record.NEVER);
  }

  private static boolean isSft(OptionValues values) {
    return values.get(JobOptions.TASK).equals("sft");
  }
}
