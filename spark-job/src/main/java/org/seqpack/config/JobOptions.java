package org.seqpack.config;

import static org.seqpack.config.OptionKey.Kind.LIST;
import static org.seqpack.config.OptionKey.Kind.SWITCH;
import static org.seqpack.config.OptionKey.Kind.VALUE;

import java.util.List;
import java.util.Optional;

/** Every option of the job: dotted properties key, command-line flag, default, help. */
public final class JobOptions {
  private JobOptions() {}

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
  public static final OptionKey SEQ_LEN =
      new OptionKey("pack.seq-len", "--seq-len", "2048", VALUE, "tokens per output row (L >= 2)");
  public static final OptionKey LONG_DOCS =
      new OptionKey(
          "pack.long-docs",
          "--long-docs",
          "split",
          VALUE,
          "documents longer than L: split into chunks of L plus a remainder");
  public static final OptionKey WINDOW_TOKENS =
      new OptionKey(
          "pack.window-tokens",
          "--window-tokens",
          "4194304",
          VALUE,
          "tokens collected and packed together per window within a partition (bounds memory)");
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
          INPUT,
          FORMAT,
          TEXT_FIELD,
          PARTITIONS,
          TOKENIZER,
          EOS_TOKEN,
          BOS_TOKEN,
          PAD_TOKEN,
          SPECIAL_TOKENS_IN_TEXT,
          SEQ_LEN,
          LONG_DOCS,
          WINDOW_TOKENS,
          OUTPUT,
          OVERWRITE,
          ZSTD_LEVEL);

  public static Optional<OptionKey> byKey(String key) {
    return ALL.stream().filter(o -> o.key().equals(key)).findFirst();
  }

  public static Optional<OptionKey> byFlag(String flag) {
    return ALL.stream().filter(o -> o.flag().equals(flag)).findFirst();
  }
}
