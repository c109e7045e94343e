package org.seqpack.config;

import static org.seqpack.config.OptionKey.Kind.LIST;
import static org.seqpack.config.OptionKey.Kind.SWITCH;
import static org.seqpack.config.OptionKey.Kind.VALUE;

import java.util.List;
import java.util.Optional;

/** Every option of the job: dotted properties key, command-line flag, default, help. */
public final class JobOptions {
  private JobOptions() {}

  public static final OptionKey TASK =
      new OptionKey(
          "job.task",
          "--task",
          "pretrain",
          VALUE,
          "pretrain (documents of text) or sft (prompt/completion pairs or chat messages)");
  public static final OptionKey INPUT =
      new OptionKey(
          "input.paths",
          "--input",
          null,
          LIST,
          "input file, folder or glob on any Hadoop filesystem; .gz/.bz2 read transparently");
  public static final OptionKey FORMAT =
      new OptionKey(
          "input.format",
          "--format",
          "text",
          VALUE,
          "text (one document per line), jsonl, parquet");
  public static final OptionKey TEXT_FIELD =
      new OptionKey(
          "input.text-field", "--text-field", "text", VALUE, "JSONL field or Parquet column");
  public static final OptionKey PARTITIONS =
      new OptionKey(
          "input.partitions",
          "--partitions",
          "0",
          VALUE,
          "split uncompressed text input into at least this many partitions; 0 = Spark's default"
              + " parallelism");
  public static final OptionKey INVALID_UTF8 =
      new OptionKey(
          "input.invalid-utf8",
          "--invalid-utf8",
          "replace",
          VALUE,
          "invalid UTF-8 bytes and lone UTF-16 surrogates from JSON escapes: replace (by U+FFFD,"
              + " counted in documents.with_invalid_utf8 / with_lone_surrogates) or reject (reasons"
              + " invalid_utf8 / lone_surrogate)");
  public static final OptionKey CORRUPT_FILES =
      new OptionKey(
          "input.corrupt-files",
          "--corrupt-files",
          "fail",
          VALUE,
          "a text or JSONL file that cannot be read to its end (truncated .gz, bad block): fail"
              + " (the run stops, naming the file) or skip (keep the lines read, count the rest as"
              + " one corrupt_file rejection)");
  public static final OptionKey TOKENIZER =
      new OptionKey(
          "tokenizer.path",
          "--tokenizer",
          null,
          VALUE,
          "tokenizer.json, or a folder with tokenizer.json and optionally tokenizer_config.json");
  public static final OptionKey EOS_TOKEN =
      new OptionKey(
          "tokenizer.eos-token",
          "--eos-token",
          "",
          VALUE,
          "end-of-document token (string or id) appended to every document; default: eos_token of"
              + " tokenizer_config.json; 'none' to append nothing");
  public static final OptionKey BOS_TOKEN =
      new OptionKey(
          "tokenizer.bos-token",
          "--bos-token",
          "",
          VALUE,
          "token (string or id) prepended to every document; default: bos_token when"
              + " add_bos_token is true in tokenizer_config.json; 'none' to prepend nothing");
  public static final OptionKey PAD_TOKEN =
      new OptionKey(
          "tokenizer.pad-token",
          "--pad-token",
          "",
          VALUE,
          "padding token (string or id); default: pad_token of tokenizer_config.json, else the EOS");
  public static final OptionKey SPECIAL_TOKENS_IN_TEXT =
      new OptionKey(
          "tokenizer.allow-special-tokens-in-text",
          "--allow-special-tokens-in-text",
          "false",
          SWITCH,
          "let literal special-token strings in text (e.g. <|endoftext|>) become special ids");
  public static final OptionKey MAX_CHARS_PER_CALL =
      new OptionKey(
          "tokenizer.max-chars-per-call",
          "--max-chars-per-call",
          "100000",
          VALUE,
          "longer texts are tokenized in pieces of at most this many chars, cut at white space"
              + " (same ids) or, inside a longer word, at a character boundary; bounds native memory");
  public static final OptionKey SEQ_LEN =
      new OptionKey("pack.seq-len", "--seq-len", "2048", VALUE, "tokens per output row (L >= 2)");
  public static final OptionKey PACKING =
      new OptionKey(
          "pack.strategy",
          "--packing",
          "bfd",
          VALUE,
          "bfd (best-fit decreasing), ffd (first-fit decreasing), first-fit (arrival order),"
              + " concat (concatenate then cut), none (one document per row)");
  public static final OptionKey REPAIR =
      new OptionKey(
          "pack.repair",
          "--repair",
          "true",
          VALUE,
          "after bfd/ffd, repack partly filled rows toward the lower bound ⌈tokens/L⌉ (bounded"
              + " search, no cost when the bound is met)");
  public static final OptionKey LONG_DOCS =
      new OptionKey(
          "pack.long-docs",
          "--long-docs",
          "split",
          VALUE,
          "documents longer than L: split, truncate-tail, truncate-head, truncate-middle, drop,"
              + " window (with --stride)");
  public static final OptionKey STRIDE =
      new OptionKey(
          "pack.stride",
          "--stride",
          "0",
          VALUE,
          "window stride S (1..L) for --long-docs window; the L-S repeated tokens are not targets");
  public static final OptionKey POSITIONS =
      new OptionKey(
          "pack.positions",
          "--positions",
          "reset",
          VALUE,
          "reset (position_ids restart at 0 per segment) or continuous (count across the row)");
  public static final OptionKey MAX_SEGMENTS =
      new OptionKey(
          "pack.max-segments-per-row",
          "--max-segments-per-row",
          "0",
          VALUE,
          "at most K segments per row (0 = no limit)");
  public static final OptionKey ROW_LENGTH =
      new OptionKey(
          "pack.row-length",
          "--row-length",
          "fixed",
          VALUE,
          "fixed (every row L long) or variable (rows end at the packed length rounded up to"
              + " --pad-to-multiple-of)");
  public static final OptionKey PAD_TO_MULTIPLE_OF =
      new OptionKey(
          "pack.pad-to-multiple-of",
          "--pad-to-multiple-of",
          "1",
          VALUE,
          "variable rows are padded to a multiple of M (L must be a multiple of M)");
  public static final OptionKey MIN_DOC_TOKENS =
      new OptionKey(
          "pack.min-doc-tokens",
          "--min-doc-tokens",
          "0",
          VALUE,
          "documents with fewer text tokens (sentinels not counted) are rejected as too_short");
  public static final OptionKey SEED =
      new OptionKey(
          "pack.seed",
          "--seed",
          "0",
          VALUE,
          "seed of the row shuffle within each packing window of an output file");
  public static final OptionKey WINDOW_TOKENS =
      new OptionKey(
          "pack.window-tokens",
          "--window-tokens",
          "4194304",
          VALUE,
          "tokens collected and packed together per window within a partition (bounds memory)");
  public static final OptionKey PROMPT_FIELD =
      new OptionKey(
          "sft.prompt-field", "--prompt-field", "prompt", VALUE, "SFT: the prompt field of a pair");
  public static final OptionKey COMPLETION_FIELD =
      new OptionKey(
          "sft.completion-field",
          "--completion-field",
          "completion",
          VALUE,
          "SFT: the completion field of a pair");
  public static final OptionKey MESSAGES_FIELD =
      new OptionKey(
          "sft.messages-field",
          "--messages-field",
          "messages",
          VALUE,
          "SFT: the field holding a list of {role, content} messages (used when present)");
  public static final OptionKey CHAT_TEMPLATE =
      new OptionKey(
          "sft.chat-template",
          "--chat-template",
          "",
          VALUE,
          "SFT: a Jinja chat template file; default: chat_template of tokenizer_config.json");
  public static final OptionKey TRAIN_ON_PROMPT =
      new OptionKey(
          "sft.train-on-prompt",
          "--train-on-prompt",
          "false",
          SWITCH,
          "SFT: make prompt and template tokens targets too");
  public static final OptionKey LONG_EXAMPLES =
      new OptionKey(
          "sft.long-examples",
          "--long-examples",
          "drop",
          VALUE,
          "SFT: examples longer than L: drop (counted as too_long), truncate-prompt, split");
  public static final OptionKey COMPLETION_EOS =
      new OptionKey(
          "sft.completion-eos",
          "--completion-eos",
          "true",
          VALUE,
          "SFT: append the tokenizer's eos_token, as a target, after each completion");
  public static final OptionKey OUTPUT =
      new OptionKey(
          "output.path", "--output", null, VALUE, "output folder on any Hadoop filesystem");
  public static final OptionKey OVERWRITE =
      new OptionKey(
          "output.overwrite",
          "--overwrite",
          "false",
          SWITCH,
          "replace an existing non-empty output folder");
  public static final OptionKey MAX_REJECTED_FRACTION =
      new OptionKey(
          "output.max-rejected-fraction",
          "--max-rejected-fraction",
          "1.0",
          VALUE,
          "fail the run when more than this fraction of the documents read is rejected (0 to 1);"
              + " a run that rejects every document always fails; above 1 % a warning is printed");
  public static final OptionKey EMIT_SEQ_LENS =
      new OptionKey(
          "output.emit-seq-lens",
          "--emit-seq-lens",
          "false",
          SWITCH,
          "also write seq_lens array<int>, each segment's length in order (cu_seqlens for"
              + " FlashAttention varlen is its running sum)");
  public static final OptionKey ZSTD_LEVEL =
      new OptionKey(
          "output.zstd-level",
          "--zstd-level",
          "3",
          VALUE,
          "zstd compression level of the Parquet files (1-22)");

  /** All options, in the order help lists them. */
  public static final List<OptionKey> ALL =
      List.of(
          TASK,
          INPUT,
          FORMAT,
          TEXT_FIELD,
          PARTITIONS,
          INVALID_UTF8,
          CORRUPT_FILES,
          TOKENIZER,
          EOS_TOKEN,
          BOS_TOKEN,
          PAD_TOKEN,
          SPECIAL_TOKENS_IN_TEXT,
          MAX_CHARS_PER_CALL,
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
          MAX_REJECTED_FRACTION,
          EMIT_SEQ_LENS,
          ZSTD_LEVEL);

  public static Optional<OptionKey> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
  }

  public static Optional<OptionKey> byFlag(String flag) {
    return ALL.stream().filter(o -> o.flag().equals(flag)).findFirst();
  }
}
