package org.seqpack.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.seqpack.core.LongDocPolicy;
import org.seqpack.core.PackingStrategy;
import org.seqpack.sft.LongExamplePolicy;
import org.seqpack.sft.SftConfig;

/** The validated, immutable configuration of one run, one record per concern. */
public record JobConfig(
    InputConfig input,
    TokenizerOptions tokenizer,
    PackingConfig packing,
    SftConfig sft,
    OutputConfig output) {

  /**
   * Where documents come from.
   *
   * @param rejectInvalidUtf8 reject records with invalid UTF-8 (or lone surrogates from JSON
   *     escapes) instead of replacing them by U+FFFD
   * @param skipCorruptFiles reject the unreadable rest of a corrupt file instead of failing
   */
  public record InputConfig(
      List<String> paths,
      InputFormat format,
      String textField,
      int partitions,
      boolean rejectInvalidUtf8,
      boolean skipCorruptFiles)
      implements java.io.Serializable {}

  /**
   * Which tokenizer, and the sentinel tokens as written (strings or ids; empty = default).
   *
   * @param maxCharsPerCall longest text handed to the native tokenizer in one call
   */
  public record TokenizerOptions(
      String path,
      String eosToken,
      String bosToken,
      String padToken,
      boolean specialTokensInText,
      int maxCharsPerCall)
      implements java.io.Serializable {}

  /**
   * How documents become rows.
   *
   * @param repair run {@link org.seqpack.core.RowRepair} after bfd and ffd
   * @param stride window stride for {@link LongDocPolicy#WINDOW}, else unused (0)
   * @param maxSegments segments per row at most ({@link Integer#MAX_VALUE} for no limit)
   * @param padToMultipleOf variable rows end at their packed length rounded up to this
   * @param minDocTokens documents with fewer text tokens are rejected as too_short
   */
  public record PackingConfig(
      int seqLen,
      PackingStrategy strategy,
      boolean repair,
      LongDocPolicy longDocs,
      int stride,
      boolean continuousPositions,
      int maxSegments,
      boolean variableRows,
      int padToMultipleOf,
      int minDocTokens,
      long seed,
      long windowTokens)
      implements java.io.Serializable {}

  /**
   * Where rows go.
   *
   * @param maxRejectedFraction the run fails when more of the documents read are rejected
   * @param emitSeqLens whether rows also hold the {@code seq_lens} column
   */
  public record OutputConfig(
      String path,
      boolean overwrite,
      int zstdLevel,
      double maxRejectedFraction,
      boolean emitSeqLens)
      implements java.io.Serializable {}

  /** Validates {@code settings}; every problem is reported in one {@link ConfigException}. */
  public static JobConfig from(Settings settings) {
    List<String> problems = new ArrayList<>(settings.problems());
    Reader reader = new Reader(settings, problems);

    List<String> paths = reader.list(JobOptions.INPUT);
    InputFormat format =
        reader.enumValue(JobOptions.FORMAT, InputFormat.values(), InputFormat::configName);
    String textField = reader.required(JobOptions.TEXT_FIELD);
    int partitions = reader.intInRange(JobOptions.PARTITIONS, 0, 1_000_000);
    boolean rejectInvalidUtf8 =
        reader
            .enumValue(JobOptions.INVALID_UTF8, new String[] {"replace", "reject"}, v -> v)
            .equals("reject");
    boolean skipCorruptFiles =
        reader
            .enumValue(JobOptions.CORRUPT_FILES, new String[] {"fail", "skip"}, v -> v)
            .equals("skip");
    int maxCharsPerCall = reader.intInRange(JobOptions.MAX_CHARS_PER_CALL, 16, 1 << 30);
    String tokenizerPath = reader.required(JobOptions.TOKENIZER);
    int seqLen = reader.intInRange(JobOptions.SEQ_LEN, 2, 1 << 24);
    PackingStrategy strategy =
        reader.enumValue(JobOptions.PACKING, PackingStrategy.values(), PackingStrategy::configName);
    boolean repair = reader.bool(JobOptions.REPAIR);
    LongDocPolicy longDocs =
        reader.enumValue(JobOptions.LONG_DOCS, LongDocPolicy.values(), LongDocPolicy::configName);
    int stride = reader.intInRange(JobOptions.STRIDE, 0, 1 << 24);
    if (longDocs == LongDocPolicy.WINDOW && (stride < 1 || stride > seqLen)) {
      problems.add(
          "'"
              + JobOptions.STRIDE.key()
              + "' is "
              + stride
              + "; must be between 1 and '"
              + JobOptions.SEQ_LEN.key()
              + "' ("
              + seqLen
              + ") when '"
              + JobOptions.LONG_DOCS.key()
              + "' is window");
    }
    boolean continuous =
        reader
            .enumValue(JobOptions.POSITIONS, new String[] {"reset", "continuous"}, p -> p)
            .equals("continuous");
    int maxSegments = reader.intInRange(JobOptions.MAX_SEGMENTS, 0, 1 << 24);
    boolean variableRows =
        reader
            .enumValue(JobOptions.ROW_LENGTH, new String[] {"fixed", "variable"}, r -> r)
            .equals("variable");
    int padMultiple = reader.intInRange(JobOptions.PAD_TO_MULTIPLE_OF, 1, 1 << 24);
    if (variableRows && padMultiple > 0 && seqLen > 0 && seqLen % padMultiple != 0) {
      problems.add(
          "'"
              + JobOptions.PAD_TO_MULTIPLE_OF.key()
              + "' is "
              + padMultiple
              + "; must divide '"
              + JobOptions.SEQ_LEN.key()
              + "' ("
              + seqLen
              + ") for variable-length rows");
    }
    int minDocTokens = reader.intInRange(JobOptions.MIN_DOC_TOKENS, 0, Integer.MAX_VALUE);
    long seed = reader.longInRange(JobOptions.SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    long windowTokens = reader.longInRange(JobOptions.WINDOW_TOKENS, 1, 1L << 31);
    if (windowTokens > 0 && seqLen > 0 && windowTokens < seqLen) {
      problems.add(
          "'"
              + JobOptions.WINDOW_TOKENS.key()
              + "' is "
              + windowTokens
              + "; must be at least '"
              + JobOptions.SEQ_LEN.key()
              + "' ("
              + seqLen
              + ")");
    }
    boolean sft =
        reader.enumValue(JobOptions.TASK, new String[] {"pretrain", "sft"}, t -> t).equals("sft");
    if (sft && format == InputFormat.TEXT) {
      problems.add(
          "'"
              + JobOptions.FORMAT.key()
              + "' is text; must be jsonl or parquet when '"
              + JobOptions.TASK.key()
              + "' is sft");
    }
    LongExamplePolicy longExamples =
        reader.enumValue(
            JobOptions.LONG_EXAMPLES, LongExamplePolicy.values(), LongExamplePolicy::configName);
    SftConfig sftConfig =
        new SftConfig(
            sft,
            reader.required(JobOptions.PROMPT_FIELD),
            reader.required(JobOptions.COMPLETION_FIELD),
            reader.required(JobOptions.MESSAGES_FIELD),
            settings.get(JobOptions.CHAT_TEMPLATE).trim(),
            reader.bool(JobOptions.TRAIN_ON_PROMPT),
            longExamples,
            reader.bool(JobOptions.COMPLETION_EOS));
    String outputPath = reader.required(JobOptions.OUTPUT);
    boolean overwrite = reader.bool(JobOptions.OVERWRITE);
    int zstdLevel = reader.intInRange(JobOptions.ZSTD_LEVEL, 1, 22);
    boolean emitSeqLens = reader.bool(JobOptions.EMIT_SEQ_LENS);
    double maxRejectedFraction = reader.fraction(JobOptions.MAX_REJECTED_FRACTION);
    boolean specialInText = reader.bool(JobOptions.SPECIAL_TOKENS_IN_TEXT);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new JobConfig(
        new InputConfig(
            List.copyOf(paths), format, textField, partitions, rejectInvalidUtf8, skipCorruptFiles),
        new TokenizerOptions(
            tokenizerPath,
            settings.get(JobOptions.EOS_TOKEN),
            settings.get(JobOptions.BOS_TOKEN),
            settings.get(JobOptions.PAD_TOKEN),
            specialInText,
            maxCharsPerCall),
        new PackingConfig(
            seqLen,
            strategy,
            repair,
            longDocs,
            stride,
            continuous,
            maxSegments == 0 ? Integer.MAX_VALUE : maxSegments,
            variableRows,
            padMultiple,
            minDocTokens,
            seed,
            windowTokens),
        sftConfig,
        new OutputConfig(outputPath, overwrite, zstdLevel, maxRejectedFraction, emitSeqLens));
  }

  /**
   * The configuration that shapes the rows, as dotted keys: recorded in stats.json and in every
   * Parquet footer. Where the output goes ({@code output.path}, {@code output.overwrite}) is left
   * out, so the same run written to another folder gives the same bytes.
   */
  public Map<String, String> recorded() {
    Map<String, String> map = effective();
    map.remove(JobOptions.OUTPUT.key());
    map.remove(JobOptions.OVERWRITE.key());
    return map;
  }

  /** The effective configuration as dotted keys, for stats.json and Parquet metadata. */
  public Map<String, String> effective() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(JobOptions.TASK.key(), sft.enabled() ? "sft" : "pretrain");
    map.put(JobOptions.INPUT.key(), String.join(",", input.paths()));
    map.put(JobOptions.FORMAT.key(), input.format().configName());
    map.put(JobOptions.TEXT_FIELD.key(), input.textField());
    map.put(JobOptions.PARTITIONS.key(), Integer.toString(input.partitions()));
    map.put(JobOptions.INVALID_UTF8.key(), input.rejectInvalidUtf8() ? "reject" : "replace");
    map.put(JobOptions.CORRUPT_FILES.key(), input.skipCorruptFiles() ? "skip" : "fail");
    map.put(JobOptions.TOKENIZER.key(), tokenizer.path());
    map.put(JobOptions.EOS_TOKEN.key(), tokenizer.eosToken());
    map.put(JobOptions.BOS_TOKEN.key(), tokenizer.bosToken());
    map.put(JobOptions.PAD_TOKEN.key(), tokenizer.padToken());
    map.put(
        JobOptions.SPECIAL_TOKENS_IN_TEXT.key(), Boolean.toString(tokenizer.specialTokensInText()));
    map.put(JobOptions.MAX_CHARS_PER_CALL.key(), Integer.toString(tokenizer.maxCharsPerCall()));
    map.put(JobOptions.SEQ_LEN.key(), Integer.toString(packing.seqLen()));
    map.put(JobOptions.PACKING.key(), packing.strategy().configName());
    map.put(JobOptions.REPAIR.key(), Boolean.toString(packing.repair()));
    map.put(JobOptions.LONG_DOCS.key(), packing.longDocs().configName());
    map.put(JobOptions.STRIDE.key(), Integer.toString(packing.stride()));
    map.put(JobOptions.POSITIONS.key(), packing.continuousPositions() ? "continuous" : "reset");
    map.put(
        JobOptions.MAX_SEGMENTS.key(),
        Integer.toString(packing.maxSegments() == Integer.MAX_VALUE ? 0 : packing.maxSegments()));
    map.put(JobOptions.ROW_LENGTH.key(), packing.variableRows() ? "variable" : "fixed");
    map.put(JobOptions.PAD_TO_MULTIPLE_OF.key(), Integer.toString(packing.padToMultipleOf()));
    map.put(JobOptions.MIN_DOC_TOKENS.key(), Integer.toString(packing.minDocTokens()));
    map.put(JobOptions.SEED.key(), Long.toString(packing.seed()));
    map.put(JobOptions.WINDOW_TOKENS.key(), Long.toString(packing.windowTokens()));
    if (sft.enabled()) {
      map.put(JobOptions.PROMPT_FIELD.key(), sft.promptField());
      map.put(JobOptions.COMPLETION_FIELD.key(), sft.completionField());
      map.put(JobOptions.MESSAGES_FIELD.key(), sft.messagesField());
      map.put(JobOptions.CHAT_TEMPLATE.key(), sft.chatTemplatePath());
      map.put(JobOptions.TRAIN_ON_PROMPT.key(), Boolean.toString(sft.trainOnPrompt()));
      map.put(JobOptions.LONG_EXAMPLES.key(), sft.longExamples().configName());
      map.put(JobOptions.COMPLETION_EOS.key(), Boolean.toString(sft.completionEos()));
    }
    map.put(JobOptions.OUTPUT.key(), output.path());
    map.put(JobOptions.OVERWRITE.key(), Boolean.toString(output.overwrite()));
    map.put(JobOptions.MAX_REJECTED_FRACTION.key(), Double.toString(output.maxRejectedFraction()));
    map.put(JobOptions.EMIT_SEQ_LENS.key(), Boolean.toString(output.emitSeqLens()));
    map.put(JobOptions.ZSTD_LEVEL.key(), Integer.toString(output.zstdLevel()));
    return map;
  }

  /** Reads typed values, recording a problem (and returning a placeholder) for each bad one. */
  private static final class Reader {
    private final Settings settings;
    private final List<String> problems;

    Reader(Settings settings, List<String> problems) {
      this.settings = settings;
      this.problems = problems;
    }

    String required(OptionKey option) {
      String value = settings.get(option);
      if (value == null || value.isBlank()) {
        problems.add(
            "'"
                + option.key()
                + "' is not set; must be given ("
                + option.flag()
                + " on the command line)");
        return "";
      }
      return value;
    }

    List<String> list(OptionKey option) {
      String value = required(option);
      List<String> items = new ArrayList<>();
      for (String item : value.split(",")) {
        if (!item.isBlank()) {
          items.add(item.trim());
        }
      }
      return items;
    }

    int intInRange(OptionKey option, int min, int max) {
      return (int) longInRange(option, min, max);
    }

    long longInRange(OptionKey option, long min, long max) {
      String value = settings.get(option);
      try {
        long parsed = Long.parseLong(value.trim());
        if (parsed < min || parsed > max) {
          problems.add(
              "'" + option.key() + "' is " + parsed + "; must be between " + min + " and " + max);
        }
        return parsed;
      } catch (NumberFormatException | NullPointerException e) {
        problems.add("'" + option.key() + "' is '" + value + "'; must be a whole number");
        return -1;
      }
    }

    /** A number from 0 to 1 ("0.05", "5e-2"); percentages are not accepted. */
    double fraction(OptionKey option) {
      String value = settings.get(option);
      try {
        double parsed = Double.parseDouble(value.trim());
        if (!(parsed >= 0 && parsed <= 1)) {
          problems.add("'" + option.key() + "' is " + value.trim() + "; must be between 0 and 1");
        }
        return parsed;
      } catch (NumberFormatException | NullPointerException e) {
        problems.add("'" + option.key() + "' is '" + value + "'; must be a number between 0 and 1");
        return 1.0;
      }
    }

    boolean bool(OptionKey option) {
      String value = settings.get(option).trim().toLowerCase(Locale.ROOT);
      if (!value.equals("true") && !value.equals("false")) {
        problems.add("'" + option.key() + "' is '" + value + "'; must be true or false");
      }
      return value.equals("true");
    }

    <E> E enumValue(OptionKey option, E[] values, Function<E, String> nameOf) {
      String value = settings.get(option).trim();
      for (E candidate : values) {
        if (nameOf.apply(candidate).equalsIgnoreCase(value)) {
          return candidate;
        }
      }
      List<String> names = Arrays.stream(values).map(nameOf).toList();
      problems.add(
          "'"
              + option.key()
              + "' is '"
              + value
              + "'; must be one of "
              + String.join(", ", names)
              + Settings.suggestion(value, names, Function.identity()));
      return values[0];
    }
  }
}
