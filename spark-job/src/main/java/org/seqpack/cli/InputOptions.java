package org.seqpack.cli;

import java.util.ArrayList;
import java.util.List;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.config.Settings;
import picocli.CommandLine.Option;

/**
 * The job's input flags, for the commands that read input as the job does ({@code analyze}, {@code
 * train-tokenizer}). Picocli only collects the text; the values are parsed and checked by their
 * declarations in {@link JobOptions}, so each command accepts, defaults and rejects exactly what
 * the job does, with the job's messages.
 */
final class InputOptions {
  @Option(
      names = "--input",
      paramLabel = "PATH",
      description = "file, folder or glob, as for the job (repeatable)")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--format", paramLabel = "text|jsonl|parquet", description = "as for the job")
  String format;

  @Option(names = "--text-field", paramLabel = "NAME", description = "as for the job")
  String textField;

  @Option(names = "--invalid-utf8", paramLabel = "replace|reject", description = "as for the job")
  String invalidUtf8;

  @Option(names = "--corrupt-files", paramLabel = "fail|skip", description = "as for the job")
  String corruptFiles;

  @Option(names = "--partitions", paramLabel = "N", description = "as for the job")
  String partitions;

  @Option(names = "--target-partition-bytes", paramLabel = "N", description = "as for the job")
  String targetPartitionBytes;

  /** Whether the input is read as plain text (no field to group by). */
  boolean isText() {
    return format == null || format.equalsIgnoreCase("text");
  }

  /** The flags given, as the job's settings. */
  Settings settings() {
    Settings settings = Settings.empty();
    boolean first = true;
    for (String input : inputs) {
      settings.withFlag(JobOptions.INPUT, input, first);
      first = false;
    }
    set(settings, JobOptions.FORMAT, format);
    set(settings, JobOptions.TEXT_FIELD, textField);
    set(settings, JobOptions.INVALID_UTF8, invalidUtf8);
    set(settings, JobOptions.CORRUPT_FILES, corruptFiles);
    set(settings, JobOptions.PARTITIONS, partitions);
    set(settings, JobOptions.TARGET_PARTITION_BYTES, targetPartitionBytes);
    return settings;
  }

  static void set(Settings settings, OptionKey<?> option, String value) {
    if (value != null) {
      settings.withFlag(option, value, true);
    }
  }
}
