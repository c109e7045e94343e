package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestPaths;

/** The driver's progress lines count what the executors report. */
class ProgressTest {
  @TempDir Path tmp;

  @Test
  void theLastLineHasEveryPartitionDocumentAndToken() throws Exception {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    JobRunner job =
        new JobRunner(
                TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"),
                "text",
                tmp.resolve("out"))
            .with(JobOptions.SEQ_LEN, 1024);
    PrepareJob.prepare(job.config(), new SparkConf())
        .run(SharedSpark.get(), new PrintStream(lines, true, StandardCharsets.UTF_8));
    long tokens = JSON.readTree(tmp.resolve("out/stats.json").toFile()).get("tokens").asLong();
    List<String> printed = lines.toString(StandardCharsets.UTF_8).lines().toList();
    String last = printed.get(printed.size() - 1);
    int partitions = SharedSpark.get().sparkContext().defaultParallelism();
    assertTrue(
        last.startsWith(
            String.format(
                java.util.Locale.ROOT,
                "progress: %d/%d partitions, 1,000 documents, %,d tokens (",
                partitions,
                partitions,
                tokens)),
        last);
    assertTrue(last.endsWith(" elapsed, done"), last);
    assertEquals(474_854, tokens);
  }
}
