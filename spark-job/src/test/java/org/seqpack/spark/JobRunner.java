package org.seqpack.spark;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.config.Settings;
import org.seqpack.core.RunReport;
import org.seqpack.tokenizer.TestPaths;

/** Runs the real job on the shared local Spark session with options set by flag name. */
final class JobRunner {
  private final Map<OptionKey, String> options = new LinkedHashMap<>();

  JobRunner(Path input, String format, Path output) {
    options.put(JobOptions.INPUT, input.toString());
    options.put(JobOptions.FORMAT, format);
    options.put(
        JobOptions.TOKENIZER,
        TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString());
    options.put(JobOptions.OUTPUT, output.toString());
  }

  JobRunner with(OptionKey option, Object value) {
    options.put(option, String.valueOf(value));
    return this;
  }

  JobConfig config() {
    Settings settings = Settings.empty();
    options.forEach((option, value) -> settings.withFlag(option, value, true));
    return JobConfig.from(settings);
  }

  RunReport run() {
    return PrepareJob.prepare(config(), new SparkConf()).run(SharedSpark.get());
  }
}
