package org.seqpack.config;

import static org.seqpack.config.OptionKey.Kind.LIST;
import static org.seqpack.config.OptionKey.Kind.SWITCH;
import static org.seqpack.config.OptionKey.Kind.VALUE;
import static org.seqpack.config.OptionKey.Record.ALWAYS;
import static org.seqpack.config.OptionKey.Record.NEVER;
import static org.seqpack.config.OptionKey.Record.SFT_ONLY;
import static org.seqpack.config.ValueType.bool;
import static org.seqpack.config.ValueType.fraction;
import static org.seqpack.config.ValueType.integer;
import static org.seqpack.config.ValueType.integers;
import static org.seqpack.config.ValueType.list;
import static org.seqpack.config.ValueType.longInteger;
import static org.seqpack.config.ValueType.oneOf;
import static org.seqpack.config.ValueType.requiredText;
import static org.seqpack.config.ValueType.text;
import static org.seqpack.config.ValueType.trimmedText;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.seqpack.core.InputFormat;
import org.seqpack.core.LongDocPolicy;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackingStrategy;
import org.seqpack.sft.LongExamplePolicy;

/**
 * Every option of the job, each declared once (see {@link OptionKey}), and the rules that relate
 * options to each other.
 */
public final class JobOptions {
  private JobOptions() {}

  public static final OptionKey<String> TASK =
      new OptionKey<>(
          "job.task",
          "--task",
          "pretrain",
          VALUE,
          oneOf("pretrain", "sft"),
          ALWAYS,
          "pretrain (documents of text) or sft (prompt/completion pairs or chat messages)");
  public static final OptionKey<Boolean> QUIET =
      new OptionKey<>(
          "job.quiet",
          "--quiet",
          "false",
          SWITCH,
          bool(),
          NEVER,
          "no progress lines (partitions, documents, tokens, tokens/s, elapsed, ETA every 5 s on a"
              + " terminal, every 30 s otherwise); the summary is still printed");
  public static final OptionKey<List<String>> INPUT =
      new OptionKey<>(
          "input.paths",
          "--input",
          null,
          LIST,
          list(),
          ALWAYS,
          "input file, folder or glob on any Hadoop filesystem; .gz, .bz2, .zst, .zstd and .xz read"
              + " transparently");
  public static final OptionKey<InputFormat> FORMAT =
      new OptionKey<>(
          "input.format",
          "--format",
          "text",
          VALUE,
          oneOf(InputFormat.values(), InputFormat::configName),
          ALWAYS,
          "text (one document per line), jsonl, parquet");
  public static final OptionKey<String> TEXT_FIELD =
      new OptionKey<>(
          "input.text-field",
          "--text-field",
          "text",
          VALUE,
          requiredText(),
          ALWAYS,
          "JSONL field or Parquet column");
  public static final OptionKey<Integer> PARTITIONS =
      new OptionKey<>(
          "input.partitions",
          "--partitions",
          "0",
          VALUE,
          integer(0, 1_000_000),
          ALWAYS,
          "split uncompressed text input into at least this many partitions; 0 = Spark's default"
              + " parallelism");
  public static final OptionKey<Long> TARGET_PARTITION_BYTES =
      new OptionKey<>(
          "input.target-partition-bytes",
          "--target-partition-bytes",
          "134217728",
          VALUE,
          longInteger(1 << 16, 1L << 40),
          ALWAYS,
          "text and JSONL files smaller than this are read together, consecutive ones in one"
              + " partition of about this many bytes (stored size; a compressed file counts four"
              + " times its size), and never fewer partitions than --partitions; so the rows do not"
              + " depend on how the documents are spread over files");
  public static final OptionKey<String> INVALID_UTF8 =
      new OptionKey<>(
          "input.invalid-utf8",
          "--invalid-utf8",
          "replace",
          VALUE,
          oneOf("replace", "reject"),
          ALWAYS,
          "invalid UTF-8 bytes and lone UTF-16 surrogates from JSON escapes: replace (by U+FFFD,"
              + " counted in documents.with_invalid_utf8 / with_lone_surrogates) or reject (reasons"
              + " invalid_utf8 / lone_surrogate)");
  public static final OptionKey<String> CORRUPT_FILES =
      new OptionKey<>(
          "input.corrupt-files",
          "--corrupt-files",
          "fail",
          VALUE,
          oneOf("fail", "skip"),
          ALWAYS,
          "a text or JSONL file that cannot be read to its end (truncated .gz, bad block): fail"
              + " (the run stops, naming the file) or skip (keep the lines read, count the rest as"
              + " one corrupt_file rejection)");
  public static final OptionKey<String> TOKENIZER =
      new OptionKey<>(
          "tokenizer.path",
          "--tokenizer",
          null,
          VALUE,
          requiredText(),
          ALWAYS,
          "tokenizer.json, or a folder with tokenizer.json and optionally tokenizer_config.json");
  public static final OptionKey<String> EOS_TOKEN =
      new OptionKey<>(
          "tokenizer.eos-token",
          "--eos-token",
          "",
          VALUE,
          text(),
          ALWAYS,
          "end-of-document token (string or id) appended to every document; default: eos_token of"
              + " tokenizer_config.json; 'none' to append nothing");
  public static final OptionKey<String> BOS_TOKEN =
      new OptionKey<>(
          "tokenizer.bos-token",
          "--bos-token",
          "",
          VALUE,
          text(),
          ALWAYS,
          "token (string or id) prepended to every document; default: bos_token when"
              + " add_bos_token is true in tokenizer_config.json; 'none' to prepend nothing");
  public static final OptionKey<String> PAD_TOKEN =
      new OptionKey<>(
          "tokenizer.pad-token",
          "--pad-token",
          "",
          VALUE,
          text(),
          ALWAYS,
          "padding token (string or id); default: pad_token of tokenizer_config.json, else the EOS");
  public static final OptionKey<Boolean> SPECIAL_TOKENS_IN_TEXT =
      new OptionKey<>(
          "tokenizer.allow-special-tokens-in-text",
          "--allow-special-tokens-in-text",
          "false",
          SWITCH,
          bool(),
          ALWAYS,
          "let literal special-token strings in text (e.g. <|endoftext|>) become special ids");
  public static final OptionKey<Integer> MAX_CHARS_PER_CALL =
      new OptionKey<>(
          "tokenizer.max-chars-per-call",
          "--max-chars-per-call",
          "100000",
          VALUE,
          integer(16, 1 << 30),
          ALWAYS,
          "longer texts are tokenized in pieces of at most this many chars, cut at white space"
              + " (same ids) or, inside a longer word, at a character boundary; bounds native memory");
  public static final OptionKey<String> TOKENIZER_ENGINE =
      new OptionKey<>(
          "tokenizer.engine",
          "--tokenizer-engine",
          "auto",
          VALUE,
          oneOf("auto", "djl", "java"),
          NEVER,
          "auto (the pure-Java byte-level BPE engine when the tokenizer is of its family and a"
              + " sample of the input encodes identically with both engines, else DJL), djl (the"
              + " Rust core through DJL), java (the Java engine, or fail saying why not); both give"
              + " the same ids, so outputs do not record it; see docs/PERFORMANCE.md");
  public static final OptionKey<List<Integer>> SEQ_LEN =
      new OptionKey<>(
          "pack.seq-len",
          "--seq-len",
          "2048",
          VALUE,
          integers(2, 1 << 24),
          ALWAYS,
          "tokens per output row (L >= 2); several lengths, comma-separated (2048,8192), write one"
              + " complete output per length under <output>/L=<n>/ from one reading and"
              + " tokenization");
  public static final OptionKey<PackingStrategy> PACKING =
      new OptionKey<>(
          "pack.strategy",
          "--packing",
          "bfd",
          VALUE,
          oneOf(PackingStrategy.values(), PackingStrategy::configName),
          ALWAYS,
          "bfd (best-fit decreasing), ffd (first-fit decreasing), first-fit (arrival order),"
              + " concat (concatenate then cut), none (one document per row)");
  public static final OptionKey<Boolean> REPAIR =
      new OptionKey<>(
          "pack.repair",
          "--repair",
          "true",
          VALUE,
          bool(),
          ALWAYS,
          "after bfd/ffd, repack partly filled rows toward the lower bound ⌈tokens/L⌉ (bounded"
              + " search, no cost when the bound is met)");
  public static final OptionKey<LongDocPolicy> LONG_DOCS =
      new OptionKey<>(
          "pack.long-docs",
          "--long-docs",
          "split",
          VALUE,
          oneOf(LongDocPolicy.values(), LongDocPolicy::configName),
          ALWAYS,
          "documents longer than L: split, truncate-tail, truncate-head, truncate-middle, drop,"
              + " window (with --stride)");
  public static final OptionKey<Integer> STRIDE =
      new OptionKey<>(
          "pack.stride",
          "--stride",
          "0",
          VALUE,
          integer(0, 1 << 24),
          ALWAYS,
          "window stride S (1..L) for --long-docs window; the L-S repeated tokens are not targets");
  public static final OptionKey<String> POSITIONS =
      new OptionKey<>(
          "pack.positions",
          "--positions",
          "reset",
          VALUE,
          oneOf("reset", "continuous"),
          ALWAYS,
          "reset (position_ids restart at 0 per segment) or continuous (count across the row)");
  public static final OptionKey<Integer> MAX_SEGMENTS =
      new OptionKey<>(
          "pack.max-segments-per-row",
          "--max-segments-per-row",
          "0",
          VALUE,
          integer(0, 1 << 24),
          ALWAYS,
          "at most K segments per row (0 = no limit)");
  public static final OptionKey<String> ROW_LENGTH =
      new OptionKey<>(
          "pack.row-length",
          "--row-length",
          "fixed",
          VALUE,
          oneOf("fixed", "variable"),
          ALWAYS,
          "fixed (every row L long) or variable (rows end at the packed length rounded up to"
              + " --pad-to-multiple-of)");
  public static final OptionKey<Integer> PAD_TO_MULTIPLE_OF =
      new OptionKey<>(
          "pack.pad-to-multiple-of",
          "--pad-to-multiple-of",
          "1",
          VALUE,
          integer(1, 1 << 24),
          ALWAYS,
          "variable rows are padded to a multiple of M (L must be a multiple of M)");
  public static final OptionKey<Integer> MIN_DOC_TOKENS =
      new OptionKey<>(
          "pack.min-doc-tokens",
          "--min-doc-tokens",
          "0",
          VALUE,
          integer(0, Integer.MAX_VALUE),
          ALWAYS,
          "documents with fewer text tokens (sentinels not counted) are rejected as too_short");
  public static final OptionKey<Long> SEED =
      new OptionKey<>(
          "pack.seed",
          "--seed",
          "0",
          VALUE,
          longInteger(Long.MIN_VALUE, Long.MAX_VALUE),
          ALWAYS,
          "seed of the row shuffle within each packing window of an output file");
  public static final OptionKey<Long> WINDOW_TOKENS =
      new OptionKey<>(
          "pack.window-tokens",
          "--window-tokens",
          "4194304",
          VALUE,
          longInteger(1, 1L << 31),
          ALWAYS,
          "tokens collected and packed together per window within a partition (bounds memory)");
  public static final OptionKey<String> PROMPT_FIELD =
      new OptionKey<>(
          "sft.prompt-field",
          "--prompt-field",
          "prompt",
          VALUE,
          requiredText(),
          SFT_ONLY,
          "SFT: the prompt field of a pair");
  public static final OptionKey<String> COMPLETION_FIELD =
      new OptionKey<>(
          "sft.completion-field",
          "--completion-field",
          "completion",
          VALUE,
          requiredText(),
          SFT_ONLY,
          "SFT: the completion field of a pair");
  public static final OptionKey<String> MESSAGES_FIELD =
      new OptionKey<>(
          "sft.messages-field",
          "--messages-field",
          "messages",
          VALUE,
          requiredText(),
          SFT_ONLY,
          "SFT: the field holding a list of {role, content} messages (used when present)");
  public static final OptionKey<String> CHAT_TEMPLATE =
      new OptionKey<>(
          "sft.chat-template",
          "--chat-template",
          "",
          VALUE,
          trimmedText(),
          SFT_ONLY,
          "SFT: a Jinja chat template file; default: chat_template of tokenizer_config.json");
  public static final OptionKey<Boolean> TRAIN_ON_PROMPT =
      new OptionKey<>(
          "sft.train-on-prompt",
          "--train-on-prompt",
          "false",
          SWITCH,
          bool(),
          SFT_ONLY,
          "SFT: make prompt and template tokens targets too");
  public static final OptionKey<LongExamplePolicy> LONG_EXAMPLES =
      new OptionKey<>(
          "sft.long-examples",
          "--long-examples",
          "drop",
          VALUE,
          oneOf(LongExamplePolicy.values(), LongExamplePolicy::configName),
          SFT_ONLY,
          "SFT: examples longer than L: drop (counted as too_long), truncate-prompt, split");
  public static final OptionKey<Boolean> COMPLETION_EOS =
      new OptionKey<>(
          "sft.completion-eos",
          "--completion-eos",
          "true",
          VALUE,
          bool(),
          SFT_ONLY,
          "SFT: append the tokenizer's eos_token, as a target, after each completion");
  public static final OptionKey<String> OUTPUT =
      new OptionKey<>(
          "output.path",
          "--output",
          null,
          VALUE,
          requiredText(),
          NEVER,
          "output folder on any Hadoop filesystem");
  public static final OptionKey<Boolean> OVERWRITE =
      new OptionKey<>(
          "output.overwrite",
          "--overwrite",
          "false",
          SWITCH,
          bool(),
          NEVER,
          "replace an existing non-empty output folder");
  public static final OptionKey<String> COMMIT =
      new OptionKey<>(
          "output.commit",
          "--commit",
          "auto",
          VALUE,
          oneOf("auto", "rename", "manifest"),
          NEVER,
          "how the output is published: rename (tasks write a hidden sibling folder that replaces"
              + " the output in one folder rename; atomic on HDFS and local disks), manifest (tasks"
              + " write files named by run and attempt into the output, and _manifest.json, written"
              + " last, lists the ones that count; for object stores, where a rename is a copy),"
              + " auto (rename on file:, hdfs:, viewfs:, ofs:, manifest elsewhere)");
  public static final OptionKey<Boolean> RESUME =
      new OptionKey<>(
          "output.resume",
          "--resume",
          "false",
          SWITCH,
          bool(),
          NEVER,
          "continue the latest run of this output that did not commit (killed, or failed with"
              + " --resume): keep the partitions it finished and compute the rest, the same bytes"
              + " as a clean run; refused, naming what differs, when its inputs or recorded"
              + " configuration differ; a new run when there is none. A failed run with --resume"
              + " keeps its finished partitions for the next --resume");
  public static final OptionKey<Double> MAX_REJECTED_FRACTION =
      new OptionKey<>(
          "output.max-rejected-fraction",
          "--max-rejected-fraction",
          "1.0",
          VALUE,
          fraction(),
          ALWAYS,
          "fail the run when more than this fraction of the documents read is rejected (0 to 1);"
              + " a run that rejects every document always fails; above 1 % a warning is printed");
  public static final OptionKey<Boolean> EMIT_SEQ_LENS =
      new OptionKey<>(
          "output.emit-seq-lens",
          "--emit-seq-lens",
          "false",
          SWITCH,
          bool(),
          ALWAYS,
          "also write seq_lens array<int>, each segment's length in order (cu_seqlens for"
              + " FlashAttention varlen is its running sum)");
  public static final OptionKey<Integer> ZSTD_LEVEL =
      new OptionKey<>(
          "output.zstd-level",
          "--zstd-level",
          "3",
          VALUE,
          integer(1, 22),
          ALWAYS,
          "zstd compression level of the Parquet files (1-22)");

  public static final OptionKey<OutputFormat> OUTPUT_FORMAT =
      new OptionKey<>(
          "output.format",
          "--output-format",
          "parquet",
          VALUE,
          oneOf(OutputFormat.values(), OutputFormat::configName),
          ALWAYS,
          "parquet (packed rows of L tokens), megatron (a Megatron-LM .bin/.idx indexed dataset per"
              + " partition: documents in input order, EOS as EOD) or llmc (llm.c token shards:"
              + " documents in input order, each after one delimiter token); see docs/FORMAT.md");
  public static final OptionKey<Long> SHARD_TOKENS =
      new OptionKey<>(
          "output.shard-tokens",
          "--shard-tokens",
          "100000000",
          VALUE,
          longInteger(1, Integer.MAX_VALUE),
          ALWAYS,
          "llmc: at most this many tokens per shard (llm.c's own scripts write 100 M)");

  /** The options that say what is read and how ({@link JobConfig#inputFrom}). */
  public static final List<OptionKey<?>> INPUT_OPTIONS =
      List.of(
          INPUT,
          FORMAT,
          TEXT_FIELD,
          PARTITIONS,
          TARGET_PARTITION_BYTES,
          INVALID_UTF8,
          CORRUPT_FILES);

  /** All options, in the order help lists them. */
  public static final List<OptionKey<?>> ALL =
      Stream.of(
              List.of(TASK, QUIET),
              INPUT_OPTIONS,
              List.of(
                  TOKENIZER,
                  EOS_TOKEN,
                  BOS_TOKEN,
                  PAD_TOKEN,
                  SPECIAL_TOKENS_IN_TEXT,
                  MAX_CHARS_PER_CALL,
                  TOKENIZER_ENGINE,
                  SEQ_LEN,
                  PACKING,
                  REPAIR,
                  LONG_DOCS,
                  STRIDE,
                  POSITIONS,
                  MAX_SEGMENTS,
                  ROW_LENGTH,
                  PAD_TO_MULTIPLE_OF,
                  MIN_DOC_TOKENS,
                  SEED,
                  WINDOW_TOKENS,
                  PROMPT_FIELD,
                  COMPLETION_FIELD,
                  MESSAGES_FIELD,
                  CHAT_TEMPLATE,
                  TRAIN_ON_PROMPT,
                  LONG_EXAMPLES,
                  COMPLETION_EOS,
                  OUTPUT,
                  OVERWRITE,
                  COMMIT,
                  RESUME,
                  MAX_REJECTED_FRACTION,
                  EMIT_SEQ_LENS,
                  ZSTD_LEVEL,
                  OUTPUT_FORMAT,
                  SHARD_TOKENS))
          .flatMap(List::stream)
          .collect(Collectors.toUnmodifiableList());

  public static Optional<OptionKey<?>> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
  }

  public static Optional<OptionKey<?>> byFlag(String flag) {
    return ALL.stream().filter(o -> o.flag().equals(flag)).findFirst();
  }

  /**
   * The rules between options, for a run's configuration and for a recorded one alike; each broken
   * rule is added to {@code problems}.
   */
  static void checkRelations(OptionValues values, List<String> problems) {
    List<Integer> seqLens = values.get(SEQ_LEN);
    int shortest = seqLens.stream().mapToInt(Integer::intValue).min().orElse(0);
    int longest = seqLens.stream().mapToInt(Integer::intValue).max().orElse(0);
    int stride = values.get(STRIDE);
    if (values.get(LONG_DOCS) == LongDocPolicy.WINDOW && (stride < 1 || stride > shortest)) {
      problems.add(
          "'"
              + STRIDE.key()
              + "' is "
              + stride
              + "; must be between 1 and '"
              + SEQ_LEN.key()
              + "' ("
              + shortest
              + ") when '"
              + LONG_DOCS.key()
              + "' is window");
    }
    int padMultiple = values.get(PAD_TO_MULTIPLE_OF);
    for (int seqLen : seqLens) {
      if (values.get(ROW_LENGTH).equals("variable")
          && padMultiple > 0
          && seqLen > 0
          && seqLen % padMultiple != 0) {
        problems.add(
            "'"
                + PAD_TO_MULTIPLE_OF.key()
                + "' is "
                + padMultiple
                + "; must divide '"
                + SEQ_LEN.key()
                + "' ("
                + seqLen
                + ") for variable-length rows");
      }
    }
    long windowTokens = values.get(WINDOW_TOKENS);
    if (windowTokens > 0 && longest > 0 && windowTokens < longest) {
      problems.add(
          "'"
              + WINDOW_TOKENS.key()
              + "' is "
              + windowTokens
              + "; must be at least '"
              + SEQ_LEN.key()
              + "' ("
              + longest
              + ")");
    }
    if (seqLens.size() > 1) {
      String several =
          "'" + SEQ_LEN.key() + "' is " + SEQ_LEN.render(seqLens) + "; several lengths need ";
      if (values.get(OUTPUT_FORMAT) != OutputFormat.PARQUET) {
        problems.add(several + "'" + OUTPUT_FORMAT.key() + "' parquet (rows are what L shapes)");
      }
      if (values.get(TASK).equals("sft")) {
        problems.add(several + "'" + TASK.key() + "' pretrain");
      }
    }
    OutputFormat outputFormat = values.get(OUTPUT_FORMAT);
    if (values.get(TASK).equals("sft") && outputFormat != OutputFormat.PARQUET) {
      problems.add(
          "'"
              + OUTPUT_FORMAT.key()
              + "' is "
              + outputFormat.configName()
              + "; must be parquet when '"
              + TASK.key()
              + "' is sft (Megatron and llm.c files hold no loss mask)");
    }
    if (values.get(TASK).equals("sft") && values.get(FORMAT) == InputFormat.TEXT) {
      problems.add(
          "'"
              + FORMAT.key()
              + "' is text; must be jsonl or parquet when '"
              + TASK.key()
              + "' is sft");
    }
  }

  /**
   * Reads a configuration that a run recorded (stats.json's {@code config}, a footer's {@code
   * seqpack.config}) through the same declarations: every option the run records must be there and
   * valid, and the relations must hold.
   *
   * @throws ConfigException naming every missing, unknown or malformed key
   */
  public static OptionValues readRecorded(Map<String, String> recorded) {
    List<String> problems = new ArrayList<>();
    boolean sft = "sft".equalsIgnoreCase(recorded.getOrDefault(TASK.key(), "").trim());
    List<OptionKey<?>> options = ALL.stream().filter(o -> o.recordedFor(sft)).toList();
    for (String key : recorded.keySet()) {
      if (options.stream().noneMatch(o -> o.key().equals(key))) {
        problems.add(
            "'"
                + key
                + "' is not an option a run records"
                + Settings.suggestion(key, options, OptionKey::key));
      }
    }
    OptionValues values =
        OptionValues.parse(
            options,
            option -> {
              String value = recorded.get(option.key());
              if (value == null) {
                problems.add(
                    "'"
                        + option.key()
                        + "' is missing; a run records every option that shapes its rows");
                return option.defaultValue();
              }
              return value;
            },
            problems);
    checkRelations(values, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return values;
  }
}
