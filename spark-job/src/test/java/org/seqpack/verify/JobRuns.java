package org.seqpack.verify;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.config.Settings;
import org.seqpack.core.RunReport;
import org.seqpack.spark.PrepareJob;
import org.seqpack.tokenizer.TestPaths;

/**
 * Runs the real job in this JVM, as org.seqpack.spark's JobRunner does, on the JVM's local[2] Spark
 * session (shared with the other Spark tests: getOrCreate returns theirs if it exists).
 */
public final class JobRuns {
  private JobRuns() {}

  /** Options for {@code input} in {@code format} with the bundled GPT-2 tokenizer. */
  public static Map<OptionKey, Object> options(Path input, String format, Path output) {
    Map<OptionKey, Object> options = new LinkedHashMap<>();
    options.put(JobOptions.INPUT, input);
    options.put(JobOptions.FORMAT, format);
    options.put(JobOptions.TOKENIZER, TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2"));
    options.put(JobOptions.OUTPUT, output);
    return options;
  }

  public static RunReport run(Map<OptionKey, Object> options) {
    Settings settings = Settings.empty();
    options.forEach((option, value) -> settings.withFlag(option, String.valueOf(value), true));
    return PrepareJob.prepare(JobConfig.from(settings), new SparkConf()).run(spark());
  }

  static synchronized SparkSession spark() {
    return SparkSession.builder()
        .master("local[2]")
        .appName("seqpack-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
