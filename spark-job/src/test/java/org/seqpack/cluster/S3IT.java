package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.cli.Main;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.spark.PrepareJob;
import org.seqpack.spark.SharedSpark;
import org.seqpack.tokenizer.TestPaths;

/**
 * The job on a real S3-compatible store (s3proxy in a child JVM, {@link S3Server}) through
 * hadoop-aws: input, tokenizer and output all on {@code s3a://}, rows equal to the same run on
 * local disk, and verify clean.
 */
class S3IT {
  private static final String BUCKET = "seqpack-it";
  @TempDir static Path tmp;
  private static S3Server server;
  private static FileSystem s3;
  private static String root;

  @BeforeAll
  static void startS3() throws Exception {
    // Under the build folder, not the temp dir: the blobs and s3proxy.log stay for inspection.
    server = S3Server.start(ClusterBuild.workDir("s3"), BUCKET);
    root = "s3a://" + BUCKET;
    Configuration conf = new Configuration();
    server.hadoopConf().forEach(conf::set);
    s3 = FileSystem.get(java.net.URI.create(root), conf);
    Path project = TestPaths.projectRoot();
    s3.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(project.resolve("test-data/europarl-1k.txt").toUri()),
        new org.apache.hadoop.fs.Path(root + "/corpus/europarl-1k.txt"));
    s3.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(project.resolve("test-data/tokenizers/gpt2").toUri()),
        new org.apache.hadoop.fs.Path(root + "/tokenizers/gpt2"));
    // The shared session reads and writes with its own Hadoop configuration.
    Configuration spark = SharedSpark.get().sparkContext().hadoopConfiguration();
    server.hadoopConf().forEach(spark::set);
  }

  @AfterAll
  static void stopS3() throws Exception {
    Configuration spark = SharedSpark.get().sparkContext().hadoopConfiguration();
    if (server != null) {
      server.hadoopConf().keySet().forEach(spark::unset);
    }
    if (s3 != null) {
      // The cached instance, which the job's code and verify used too: a later server's bucket
      // of the same name must not find this server's endpoint in the cache.
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRunOnS3EqualsTheRunOnLocalDisk() throws Exception {
    Path local = tmp.resolve("local");
    run(
        TestPaths.projectRoot().resolve("test-data/europarl-1k.txt").toString(),
        TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString(),
        local.toString(),
        new SparkConf());
    String output = root + "/packed/run-1";
    run(root + "/corpus", root + "/tokenizers/gpt2", output, server.sparkConf());

    // What the server stored, read with a plain S3 client (not s3a): the output's objects equal
    // the local run's files (less the local checksum files), and nothing else is left under
    // packed/: no staging objects, no directory markers.
    Path stored = server.copyObjects(BUCKET, "packed/run-1", tmp.resolve("stored"));
    OutputComparison.assertSameOutput(withoutChecksumFiles(local), stored);
    assertEquals(
        server.keys(BUCKET, "packed/run-1/"),
        server.keys(BUCKET, "packed/"),
        "objects under packed/ besides the output's");

    ByteArrayOutputStream report = new ByteArrayOutputStream();
    int exit = verify(output, report);
    assertEquals(0, exit, report.toString(StandardCharsets.UTF_8));
  }

  /** A copy of a local output without the .crc files that Hadoop's local file system adds. */
  private static Path withoutChecksumFiles(Path output) throws IOException {
    Path copy = tmp.resolve(output.getFileName() + "-without-crc");
    try (Stream<Path> files = Files.walk(output)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (!file.getFileName().toString().endsWith(".crc")) {
          Path target = copy.resolve(output.relativize(file).toString());
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    }
    return copy;
  }

  /** {@code seqpack verify}, which takes its Hadoop settings from spark.hadoop.* properties. */
  private static int verify(String output, ByteArrayOutputStream report) {
    Map<String, String> conf = server.hadoopConf();
    conf.forEach((key, value) -> System.setProperty("spark.hadoop." + key, value));
    try {
      return new Main(
              List.of("verify", "--output", output),
              new PrintStream(report, true, StandardCharsets.UTF_8),
              System.err)
          .call();
    } finally {
      conf.keySet().forEach(key -> System.clearProperty("spark.hadoop." + key));
    }
  }

  private static void run(String input, String tokenizer, String output, SparkConf sparkConf) {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input, true)
            .withFlag(JobOptions.TOKENIZER, tokenizer, true)
            .withFlag(JobOptions.OUTPUT, output, true)
            .withFlag(JobOptions.SEQ_LEN, "1024", true);
    PrepareJob.prepare(JobConfig.from(settings), sparkConf).run(SharedSpark.get());
  }
}
