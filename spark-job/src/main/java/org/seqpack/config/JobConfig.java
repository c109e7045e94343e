package org.seqpack.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.seqpack.core.LongDocPolicy;

/** The validated, immutable configuration of one run, one record per concern. */
public record JobConfig(
    InputConfig input, TokenizerOptions tokenizer, PackingConfig packing, OutputConfig output) {

  /** Where documents come from. */
  public record InputConfig(
      List<String> paths, InputFormat format, String textField, int partitions)
      implements java.io.Serializable {}

  /** Which tokenizer, and the sentinel tokens as written (strings or ids; empty = default). */
  public record TokenizerOptions(
      String path, String eosToken, String bosToken, String padToken, boolean specialTokensInText)
      implements java.io.Serializable {}

  /** How documents become rows. */
  public record PackingConfig(int seqLen, LongDocPolicy longDocs, long windowTokens)
      implements java.io.Serializable {}

  /** Where rows go. */
  public record OutputConfig(String path, boolean overwrite, int zstdLevel)
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
    String tokenizerPath = reader.required(JobOptions.TOKENIZER);
    int seqLen = reader.intInRange(JobOptions.SEQ_LEN, 2, 1 << 24);
    LongDocPolicy longDocs =
        reader.enumValue(JobOptions.LONG_DOCS, LongDocPolicy.values(), LongDocPolicy::configName);
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
    String outputPath = reader.required(JobOptions.OUTPUT);
    boolean overwrite = reader.bool(JobOptions.OVERWRITE);
    int zstdLevel = reader.intInRange(JobOptions.ZSTD_LEVEL, 1, 22);
    boolean specialInText = reader.bool(JobOptions.SPECIAL_TOKENS_IN_TEXT);

    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new JobConfig(
        new InputConfig(List.copyOf(paths), format, textField, partitions),
        new TokenizerOptions(
            tokenizerPath,
            settings.get(JobOptions.EOS_TOKEN),
            settings.get(JobOptions.BOS_TOKEN),
            settings.get(JobOptions.PAD_TOKEN),
            specialInText),
        new PackingConfig(seqLen, longDocs, windowTokens),
        new OutputConfig(outputPath, overwrite, zstdLevel));
  }

  /** The effective configuration as dotted keys, for stats.json and Parquet metadata. */
  public Map<String, String> effective() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(JobOptions.INPUT.key(), String.join(",", input.paths()));
    map.put(JobOptions.FORMAT.key(), input.format().configName());
    map.put(JobOptions.TEXT_FIELD.key(), input.textField());
    map.put(JobOptions.PARTITIONS.key(), Integer.toString(input.partitions()));
    map.put(JobOptions.TOKENIZER.key(), tokenizer.path());
    map.put(JobOptions.EOS_TOKEN.key(), tokenizer.eosToken());
    map.put(JobOptions.BOS_TOKEN.key(), tokenizer.bosToken());
    map.put(JobOptions.PAD_TOKEN.key(), tokenizer.padToken());
    map.put(
        JobOptions.SPECIAL_TOKENS_IN_TEXT.key(), Boolean.toString(tokenizer.specialTokensInText()));
    map.put(JobOptions.SEQ_LEN.key(), Integer.toString(packing.seqLen()));
    map.put(JobOptions.LONG_DOCS.key(), packing.longDocs().configName());
    map.put(JobOptions.WINDOW_TOKENS.key(), Long.toString(packing.windowTokens()));
    map.put(JobOptions.OUTPUT.key(), output.path());
    map.put(JobOptions.OVERWRITE.key(), Boolean.toString(output.overwrite()));
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
