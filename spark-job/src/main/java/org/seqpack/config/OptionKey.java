package org.seqpack.config;

import java.util.List;
import java.util.Objects;

/**
 * One option, declared once: its dotted key in a properties file, its command-line flag, its
 * default (null when it must be given), how its value is parsed, validated and rendered back, a
 * line of help, and whether the run's recorded configuration (stats.json, Parquet footers) holds
 * it. Help, {@link JobConfig}, the effective configuration and verify's reading of a recorded
 * configuration all derive from these declarations.
 *
 * @param <T> the parsed value
 */
public record OptionKey<T>(
    String key,
    String flag,
    String defaultValue,
    Kind kind,
    ValueType<T> type,
    Record record,
    String help) {

  /** How the flag takes its value. */
  public enum Kind {
    /** {@code --flag VALUE}. */
    VALUE,
    /** {@code --flag VALUE}, repeatable; a comma-separated list in a properties file. */
    LIST,
    /** {@code --flag} alone means true. */
    SWITCH
  }

  /** Where the effective value is recorded. */
  public enum Record {
    /** In stats.json and every footer: it shapes the rows. */
    ALWAYS,
    /** Like {@link #ALWAYS}, but only when {@code job.task} is sft. */
    SFT_ONLY,
    /** In the effective configuration only: where the output goes, not what it holds. */
    NEVER
  }

  public OptionKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(help, "help");
  }

  /** Parses {@code raw} (the default when null); problems are added, and a placeholder returned. */
  public T parse(String raw, List<String> problems) {
    return type.parse(this, raw != null ? raw : defaultValue, problems);
  }

  /** The value as the effective configuration writes it; {@link #parse} reads it back. */
  public String render(T value) {
    return type.render(value);
  }

  /** Whether a run of the given task records this option. */
  public boolean recordedFor(boolean sft) {
    return record == Record.ALWAYS || (record == Record.SFT_ONLY && sft);
  }
}
