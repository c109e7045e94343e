package org.seqpack.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seqpack.sft.SftOptions;
import org.seqpack.tokenizer.TestPaths;

/** The full option table, as Airlift's assertFullMapping pins a config class. */
class JobOptionsTest {

  /** key | flag | default ("-" for none) | kind | recorded. */
  private static final String[][] TABLE = {
    {"job.task", "--task", "pretrain", "VALUE", "ALWAYS"},
    {"job.quiet", "--quiet", "false", "SWITCH", "NEVER"},
    {"input.paths", "--input", "-", "LIST", "ALWAYS"},
    {"input.format", "--format", "text", "VALUE", "ALWAYS"},
    {"input.text-field", "--text-field", "text", "VALUE", "ALWAYS"},
    {"input.partitions", "--partitions", "0", "VALUE", "ALWAYS"},
    {"input.target-partition-bytes", "--target-partition-bytes", "134217728", "VALUE", "ALWAYS"},
    {"input.invalid-utf8", "--invalid-utf8", "replace", "VALUE", "ALWAYS"},
    {"input.corrupt-files", "--corrupt-files", "fail", "VALUE", "ALWAYS"},
    {"tokenizer.path", "--tokenizer", "-", "VALUE", "ALWAYS"},
    {"tokenizer.eos-token", "--eos-token", "", "VALUE", "ALWAYS"},
    {"tokenizer.bos-token", "--bos-token", "", "VALUE", "ALWAYS"},
    {"tokenizer.pad-token", "--pad-token", "", "VALUE", "ALWAYS"},
    {
      "tokenizer.allow-special-tokens-in-text",
      "--allow-special-tokens-in-text",
      "false",
      "SWITCH",
      "ALWAYS"
    },
    {"tokenizer.max-chars-per-call", "--max-chars-per-call", "100000", "VALUE", "ALWAYS"},
    {"tokenizer.engine", "--tokenizer-engine", "auto", "VALUE", "NEVER"},
    {"pack.seq-len", "--seq-len", "2048", "VALUE", "ALWAYS"},
    {"pack.strategy", "--packing", "bfd", "VALUE", "ALWAYS"},
    {"pack.repair", "--repair", "true", "VALUE", "ALWAYS"},
    {"pack.long-docs", "--long-docs", "split", "VALUE", "ALWAYS"},
    {"pack.stride", "--stride", "0", "VALUE", "ALWAYS"},
    {"pack.positions", "--positions", "reset", "VALUE", "ALWAYS"},
    {"pack.max-segments-per-row", "--max-segments-per-row", "0", "VALUE", "ALWAYS"},
    {"pack.row-length", "--row-length", "fixed", "VALUE", "ALWAYS"},
    {"pack.pad-to-multiple-of", "--pad-to-multiple-of", "1", "VALUE", "ALWAYS"},
    {"pack.min-doc-tokens", "--min-doc-tokens", "0", "VALUE", "ALWAYS"},
    {"pack.seed", "--seed", "0", "VALUE", "ALWAYS"},
    {"pack.window-tokens", "--window-tokens", "4194304", "VALUE", "ALWAYS"},
    {"sft.prompt-field", "--prompt-field", "prompt", "VALUE", "SFT_ONLY"},
    {"sft.completion-field", "--completion-field", "completion", "VALUE", "SFT_ONLY"},
    {"sft.messages-field", "--messages-field", "messages", "VALUE", "SFT_ONLY"},
    {"sft.chat-template", "--chat-template", "", "VALUE", "SFT_ONLY"},
    {"sft.train-on-prompt", "--train-on-prompt", "false", "SWITCH", "SFT_ONLY"},
    {"sft.long-examples", "--long-examples", "drop", "VALUE", "SFT_ONLY"},
    {"sft.completion-eos", "--completion-eos", "true", "VALUE", "SFT_ONLY"},
    {"output.path", "--output", "-", "VALUE", "NEVER"},
    {"output.overwrite", "--overwrite", "false", "SWITCH", "NEVER"},
    {"output.commit", "--commit", "auto", "VALUE", "NEVER"},
    {"output.resume", "--resume", "false", "SWITCH", "NEVER"},
    {"output.max-rejected-fraction", "--max-rejected-fraction", "1.0", "VALUE", "ALWAYS"},
    {"output.emit-seq-lens", "--emit-seq-lens", "false", "SWITCH", "ALWAYS"},
    {"output.zstd-level", "--zstd-level", "3", "VALUE", "ALWAYS"},
    {"output.format", "--output-format", "parquet", "VALUE", "ALWAYS"},
    {"output.shard-tokens", "--shard-tokens", "100000000", "VALUE", "ALWAYS"},
  };

  @Test
  void fullMapping() {
    List<String> expected = new ArrayList<>();
    for (String[] row : TABLE) {
      expected.add(String.join(" | ", row));
    }
    List<String> actual = new ArrayList<>();
    for (OptionKey<?> option : JobOptions.ALL) {
      actual.add(
          String.join(
              " | ",
              option.key(),
              option.flag(),
              option.defaultValue() == null ? "-" : option.defaultValue(),
              option.kind().name(),
              option.record().name()));
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual));
  }

  /** The README's options table names every declared flag with its key and default. */
  @Test
  void readmeTableListsEveryOption() throws Exception {
    List<String> rows =
        Files.readAllLines(TestPaths.projectRoot().resolve("README.md")).stream()
            .filter(line -> line.startsWith("| `--"))
            .toList();
    for (OptionKey<?> option : JobOptions.ALL) {
      String row =
          rows.stream()
              .filter(
                  line ->
                      line.startsWith("| `" + option.flag() + "`")
                          || line.startsWith("| `" + option.flag() + " "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("README has no row for " + option.flag()));
      assertTrue(row.contains("`" + option.key() + "`"), row);
      String value = option.defaultValue();
      assertTrue(
          value == null || value.isEmpty() || row.contains("`" + value + "`"),
          option.flag() + ": default " + value + " not in " + row);
    }
  }

  @Test
  void keysAndFlagsAreUniqueAndLookedUp() {
    for (OptionKey<?> option : JobOptions.ALL) {
      assertEquals(option, JobOptions.byKey(option.key()).orElseThrow());
      assertEquals(option, JobOptions.byFlag(option.flag()).orElseThrow());
    }
  }

  @Test
  void everyDefaultParsesAndRendersBackToItself() {
    for (OptionKey<?> option : JobOptions.ALL) {
      if (option.defaultValue() == null) {
        continue;
      }
      List<String> problems = new ArrayList<>();
      String rendered = renderParsed(option, option.defaultValue(), problems);
      assertEquals(List.of(), problems, option.key());
      assertEquals(option.defaultValue(), rendered, option.key());
    }
  }

  /** The recorded configuration of the default run, as written to stats.json and the footers. */
  @Test
  void recordedConfigurationOfADefaultRun() {
    JobConfig config = JobConfig.from(required(Settings.empty()));
    Map<String, String> expected = new LinkedHashMap<>();
    String[][] rows = {
      {"job.task", "pretrain"},
      {"input.paths", "a.txt,b.txt"},
      {"input.format", "text"},
      {"input.text-field", "text"},
      {"input.partitions", "0"},
      {"input.target-partition-bytes", "134217728"},
      {"input.invalid-utf8", "replace"},
      {"input.corrupt-files", "fail"},
      {"tokenizer.path", "tok"},
      {"tokenizer.eos-token", ""},
      {"tokenizer.bos-token", ""},
      {"tokenizer.pad-token", ""},
      {"tokenizer.allow-special-tokens-in-text", "false"},
      {"tokenizer.max-chars-per-call", "100000"},
      {"pack.seq-len", "2048"},
      {"pack.strategy", "bfd"},
      {"pack.repair", "true"},
      {"pack.long-docs", "split"},
      {"pack.stride", "0"},
      {"pack.positions", "reset"},
      {"pack.max-segments-per-row", "0"},
      {"pack.row-length", "fixed"},
      {"pack.pad-to-multiple-of", "1"},
      {"pack.min-doc-tokens", "0"},
      {"pack.seed", "0"},
      {"pack.window-tokens", "4194304"},
      {"output.max-rejected-fraction", "1.0"},
      {"output.emit-seq-lens", "false"},
      {"output.zstd-level", "3"},
      {"output.format", "parquet"},
      {"output.shard-tokens", "100000000"},
    };
    for (String[] row : rows) {
      expected.put(row[0], row[1]);
    }
    assertEquals(expected, config.recorded());
    Map<String, String> effective = new LinkedHashMap<>(config.effective());
    assertEquals("out", effective.remove("output.path"));
    assertEquals("false", effective.remove("output.overwrite"));
    assertEquals("auto", effective.remove("output.commit"));
    assertEquals("false", effective.remove("output.resume"));
    assertEquals("false", effective.remove("job.quiet"));
    assertEquals("auto", effective.remove("tokenizer.engine"));
    assertEquals(expected, effective);
  }

  @Test
  void sftRecordsItsOwnKeysAndTheValuesAsParsed() {
    Settings settings =
        required(Settings.empty())
            .withFlag(JobOptions.TASK, "SFT", true)
            .withFlag(JobOptions.FORMAT, "jsonl", true)
            .withFlag(JobOptions.CHAT_TEMPLATE, "  t.jinja ", true)
            .withFlag(JobOptions.LONG_EXAMPLES, "Split", true)
            .withFlag(JobOptions.MAX_SEGMENTS, "7", true);
    Map<String, String> recorded = JobConfig.from(settings).recorded();
    assertEquals("sft", recorded.get("job.task"));
    assertEquals("t.jinja", recorded.get("sft.chat-template"));
    assertEquals("split", recorded.get("sft.long-examples"));
    assertEquals("7", recorded.get("pack.max-segments-per-row"));
    assertEquals("true", recorded.get("sft.completion-eos"));
    assertEquals(38, recorded.size());
  }

  @Test
  void aRecordedConfigurationReadsBackToTheSameValues() {
    JobConfig config =
        config("--long-docs window --stride 512 --row-length variable --pad-to-multiple-of 64");
    OptionValues read = JobOptions.readRecorded(config.recorded());
    assertEquals(512, read.get(JobOptions.STRIDE));
    assertEquals(64, read.get(JobOptions.PAD_TO_MULTIPLE_OF));
    assertEquals("variable", read.get(JobOptions.ROW_LENGTH));
    assertEquals(config.recorded(), read.render(o -> true));
  }

  @Test
  void aRecordedConfigurationWithMissingUnknownOrBadKeysIsRejectedNamingEach() {
    Map<String, String> recorded = defaultRecorded();
    recorded.remove("pack.seq-len");
    recorded.put("pack.sead", "1");
    recorded.put("pack.positions", "sometimes");
    recorded.put("pack.stride", "x");
    assertEquals(
        List.of(
            "'pack.sead' is not an option a run records (did you mean 'pack.seed'?)",
            "'pack.seq-len' is missing; a run records every option that shapes its rows",
            "'pack.stride' is 'x'; must be a whole number",
            "'pack.positions' is 'sometimes'; must be one of reset, continuous"),
        problemsReading(recorded));
  }

  @Test
  void recordedRelationsAreCheckedAsForARun() {
    Map<String, String> recorded = defaultRecorded();
    recorded.put("pack.row-length", "variable");
    recorded.put("pack.pad-to-multiple-of", "3");
    assertEquals(
        List.of(
            "'pack.pad-to-multiple-of' is 3; must divide 'pack.seq-len' (2048) for"
                + " variable-length rows"),
        problemsReading(recorded));
  }

  @Test
  void everyProblemOfARunIsReportedAtOnce() {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.SEQ_LEN, "1", true)
            .withFlag(JobOptions.PACKING, "bestfit", true)
            .withFlag(JobOptions.REPAIR, "maybe", true);
    ConfigException e = assertThrows(ConfigException.class, () -> JobConfig.from(settings));
    List<String> problems = e.problems();
    assertTrue(
        problems.contains("'pack.seq-len' is 1; must be between 2 and 16777216"),
        problems::toString);
    assertTrue(
        problems.contains(
            "'pack.strategy' is 'bestfit'; must be one of bfd, ffd, first-fit, concat, none"),
        problems::toString);
    assertTrue(
        problems.contains("'pack.repair' is 'maybe'; must be true or false"), problems::toString);
    assertTrue(
        problems.contains("'input.paths' is not set; must be given (--input on the command line)"),
        problems::toString);
    assertEquals(6, problems.size(), problems::toString);
  }

  @Test
  void severalLengthsAreAListRecordedPerOutputAndLimitedToRows() {
    JobConfig config = config("--seq-len 2048,512");
    assertEquals(List.of(2048, 512), config.seqLens());
    assertEquals(2048, config.packing().seqLen());
    assertEquals("2048,512", config.recorded().get("pack.seq-len"));
    JobConfig short512 = config.forSeqLen(512);
    assertEquals(512, short512.packing().seqLen());
    assertEquals("512", short512.recorded().get("pack.seq-len"));
    Map<String, String> rest = new LinkedHashMap<>(short512.recorded());
    rest.remove("pack.seq-len");
    Map<String, String> others = new LinkedHashMap<>(config.recorded());
    others.remove("pack.seq-len");
    assertEquals(others, rest, "only the length differs");

    List<String> problems =
        assertThrows(
                ConfigException.class,
                () ->
                    config(
                        "--seq-len 512,512,1 --output-format megatron --long-docs window --stride 600"))
            .problems();
    assertEquals(
        List.of(
            "'pack.seq-len' is '512,512,1'; must not name 512 twice",
            "'pack.seq-len' is 1; must be between 2 and 16777216",
            "'pack.stride' is 600; must be between 1 and 'pack.seq-len' (1) when 'pack.long-docs'"
                + " is window",
            "'pack.seq-len' is 512,512,1; several lengths need 'output.format' parquet (rows are"
                + " what L shapes)"),
        problems);
    assertEquals(
        List.of("'pack.seq-len' is 512,1024; several lengths need 'job.task' pretrain"),
        assertThrows(
                ConfigException.class, () -> config("--seq-len 512,1024 --task sft --format jsonl"))
            .problems());
  }

  /**
   * The SFT encoder's programmatic defaults and the key its message names are the declared ones.
   */
  @Test
  void sftEncoderDefaultsAreTheDeclaredDefaults() {
    JobConfig config = config("--task sft --format jsonl");
    assertEquals(SftOptions.defaults(1024), config.sft().options(1024));
    assertEquals(JobOptions.COMPLETION_EOS.key(), SftOptions.COMPLETION_EOS);
  }

  private static Map<String, String> defaultRecorded() {
    return new LinkedHashMap<>(JobConfig.from(required(Settings.empty())).recorded());
  }

  private static List<String> problemsReading(Map<String, String> recorded) {
    return assertThrows(ConfigException.class, () -> JobOptions.readRecorded(recorded)).problems();
  }

  /** The required options, then {@code flags}: flags and values separated by single spaces. */
  private static JobConfig config(String flags) {
    Settings settings = required(Settings.empty());
    String[] words = flags.split(" ");
    for (int i = 0; i < words.length; i += 2) {
      settings.withFlag(JobOptions.byFlag(words[i]).orElseThrow(), words[i + 1], true);
    }
    return JobConfig.from(settings);
  }

  private static Settings required(Settings settings) {
    return settings
        .withFlag(JobOptions.INPUT, "a.txt", true)
        .withFlag(JobOptions.INPUT, "b.txt", false)
        .withFlag(JobOptions.TOKENIZER, "tok", true)
        .withFlag(JobOptions.OUTPUT, "out", true);
  }

  private static <T> String renderParsed(OptionKey<T> option, String raw, List<String> problems) {
    return option.render(option.parse(raw, problems));
  }
}
