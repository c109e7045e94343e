package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.ChildJob;
import org.seqpack.cli.Main;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.spark.AnalyzeJob;
import org.seqpack.spark.PrepareJob;
import org.seqpack.spark.SharedSpark;
import org.seqpack.spark.TrainTokenizerJob;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.train.PreTokenPattern;
import org.seqpack.train.TrainerConfig;
import org.seqpack.train.TrainingOptions;

/**
 * The job on a real S3-compatible store (s3proxy in a child JVM, {@link S3Server}) through
 * hadoop-aws: input, tokenizer and output all on {@code s3a://}, rows equal to the same run on
 * local disk, and verify clean; a run killed over an output leaves it whole, and {@code --resume}
 * finishes the killed run with a clean run's bytes.
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

  @Test
  void aRunKilledOnS3LeavesThePreviousOutputWholeAndResumeFinishesIt() throws Exception {
    // Eight copies of the Europarl slice in four partitions: several seconds of tasks to kill in.
    Path corpus = tmp.resolve("europarl-8.txt");
    byte[] slice = Files.readAllBytes(TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"));
    try (OutputStream out = Files.newOutputStream(corpus)) {
      for (int copy = 0; copy < 8; copy++) {
        out.write(slice);
      }
    }
    s3.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(corpus.toUri()),
        new org.apache.hadoop.fs.Path(root + "/corpus-8/europarl-8.txt"));
    String output = root + "/resumed/run-2";
    List<String> args =
        List.of(
            "--input",
            root + "/corpus-8",
            "--tokenizer",
            root + "/tokenizers/gpt2",
            "--seq-len",
            "1024",
            "--partitions",
            "4",
            "--window-tokens",
            "200000",
            "--output",
            output,
            "--overwrite",
            "--resume");
    Map<String, String> properties = new LinkedHashMap<>();
    server.hadoopConf().forEach((key, value) -> properties.put("spark.hadoop." + key, value));

    try (ChildJob children = new ChildJob(Files.createDirectories(tmp.resolve("children")))) {
      // A previous output: the bundled slice, committed by manifest.
      run(root + "/corpus", root + "/tokenizers/gpt2", output, server.sparkConf());
      String previous = manifest("resumed/run-2");
      assertTrue(previous.contains("\"commit\": \"manifest\""), previous);

      Process killed = children.start("killed", properties, args);
      children.awaitOrFail(
          killed,
          () ->
              server.keys(BUCKET, "resumed/_staging-run-2-").stream()
                  .anyMatch(key -> key.matches(".*/_partitions/part-\\d{5}\\.json")),
          "a finished partition",
          "killed");
      ChildJob.kill(killed);
      // The previous manifest and the files it lists are intact; the killed run's uploads lie
      // beside them, unlisted.
      assertEquals(previous, manifest("resumed/run-2"));
      List<String> keys = server.keys(BUCKET, "resumed/run-2/");
      System.out.println("after kill -9 on S3, resumed/run-2/ holds " + keys);
      assertTrue(
          keys.stream()
              .filter(key -> key.endsWith(".parquet"))
              .anyMatch(key -> !previous.contains(key.substring("resumed/run-2/".length()))),
          keys.toString());
      ByteArrayOutputStream report = new ByteArrayOutputStream();
      assertEquals(0, verify(output, report), report.toString(StandardCharsets.UTF_8));

      assertEquals(0, children.run("resumed", properties, args), children.log("resumed"));
      Matcher resumed =
          Pattern.compile("resuming run [0-9a-f]+ of .*: (\\d+) of 4 partitions finished")
              .matcher(children.log("resumed"));
      assertTrue(resumed.find(), children.log("resumed"));
      System.out.println("S3: resumed with " + resumed.group(1) + " of 4 partitions kept");
      assertTrue(Integer.parseInt(resumed.group(1)) > 0, resumed.group());
    }
    // The same job from scratch into another folder of the store (the footers record the input
    // and tokenizer paths, not the output's): the resumed output has its rows and its bytes.
    String clean = root + "/clean/run-2";
    run(root + "/corpus-8", root + "/tokenizers/gpt2", clean, server.sparkConf(), "4", "200000");
    Path cleanCopy = server.copyObjects(BUCKET, "clean/run-2", tmp.resolve("clean-2"));
    Path stored = server.copyObjects(BUCKET, "resumed/run-2", tmp.resolve("stored-2"));
    OutputComparison.assertSameOutput(cleanCopy, stored);
    assertEquals(
        sha256(cleanCopy), sha256(stored), "the data files' bytes, partition by partition");
    assertEquals(List.of(), server.keys(BUCKET, "resumed/_staging-"));
    assertEquals(
        List.of(),
        server.keys(BUCKET, "resumed/run-2/").stream()
            .filter(
                key ->
                    key.endsWith(".parquet")
                        && !manifest("resumed/run-2")
                            .contains(key.substring("resumed/run-2/".length())))
            .toList(),
        "the killed run's uploads are removed by the resumed run's commit");
    ByteArrayOutputStream report = new ByteArrayOutputStream();
    assertEquals(0, verify(output, report), report.toString(StandardCharsets.UTF_8));
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
    run(input, tokenizer, output, sparkConf, "0", JobOptions.WINDOW_TOKENS.defaultValue());
  }

  private static void run(
      String input,
      String tokenizer,
      String output,
      SparkConf sparkConf,
      String partitions,
      String windowTokens) {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input, true)
            .withFlag(JobOptions.TOKENIZER, tokenizer, true)
            .withFlag(JobOptions.OUTPUT, output, true)
            .withFlag(JobOptions.SEQ_LEN, "1024", true)
            .withFlag(JobOptions.PARTITIONS, partitions, true)
            .withFlag(JobOptions.WINDOW_TOKENS, windowTokens, true)
            .withFlag(JobOptions.OVERWRITE, "true", true);
    PrepareJob.prepare(JobConfig.from(settings), sparkConf).run(SharedSpark.get());
  }

  /**
   * {@code analyze} and {@code train-tokenizer} with input and output on s3a://: the same analysis,
   * tokenizer and rejected records as on local disk. On a store the rejected-record files are
   * written under names that carry the run and the task attempt (nothing is renamed), and nothing
   * else is left under the outputs.
   */
  @Test
  void analyzeAndTrainTokenizerOnS3EqualLocalDisk() throws Exception {
    Path input = Subcommands.input();
    for (String name : List.of("a.jsonl", "b.jsonl")) {
      s3.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(input.resolve(name).toUri()),
          new org.apache.hadoop.fs.Path(root + "/jsonl/" + name));
    }
    Path gpt2 = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
    Path local = tmp.resolve("analysis-local");
    analyze(input.toString(), gpt2.toString(), local.toString(), new SparkConf());
    analyze(root + "/jsonl", root + "/tokenizers/gpt2", root + "/analysis", server.sparkConf());
    Path stored = server.copyObjects(BUCKET, "analysis", tmp.resolve("analysis-stored"));
    Subcommands.assertSameAnalysis(local, stored);
    assertNamedRejectedFiles("analysis");

    Path localTokenizer = tmp.resolve("tokenizer-local");
    train(input.toString(), localTokenizer.toString(), new SparkConf());
    train(root + "/jsonl", root + "/tokenizer", server.sparkConf());
    Path storedTokenizer = server.copyObjects(BUCKET, "tokenizer", tmp.resolve("tokenizer-stored"));
    Subcommands.assertSameTokenizer(localTokenizer, storedTokenizer);
    assertNamedRejectedFiles("tokenizer");
  }

  private static void assertNamedRejectedFiles(String folder) {
    List<String> keys = server.keys(BUCKET, folder + "/");
    List<String> rejected =
        keys.stream().filter(key -> key.startsWith(folder + "/_rejected/")).toList();
    assertTrue(!rejected.isEmpty(), keys.toString());
    for (String key : rejected) {
      assertTrue(
          key.matches(folder + "/_rejected/part-\\d{5}-[0-9a-f]{8}-\\d+\\.jsonl"),
          key + " carries the run and the attempt");
    }
    assertTrue(keys.stream().noneMatch(key -> key.contains("_attempts")), keys.toString());
  }

  private static void analyze(String input, String tokenizer, String output, SparkConf sparkConf) {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input, true)
            .withFlag(JobOptions.FORMAT, "jsonl", true)
            .withFlag(JobOptions.PARTITIONS, String.valueOf(Subcommands.PARTITIONS), true)
            .withFlag(JobOptions.TOKENIZER, tokenizer, true)
            .withFlag(JobOptions.OUTPUT, output, true);
    AnalyzeJob.prepare(
            new AnalyzeJob.Options(
                JobConfig.from(settings),
                List.of(tokenizer),
                new int[] {256, 1024},
                1.0,
                "en",
                output,
                true,
                null),
            sparkConf)
        .run(SharedSpark.get());
  }

  /** Trains as {@link Subcommands#trainArgs} asks. */
  private static void train(String input, String output, SparkConf sparkConf) {
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, input, true)
            .withFlag(JobOptions.FORMAT, "jsonl", true)
            .withFlag(JobOptions.PARTITIONS, String.valueOf(Subcommands.PARTITIONS), true);
    TrainTokenizerJob.prepare(
            JobConfig.inputFrom(settings),
            output,
            true,
            new TrainingOptions(
                new TrainerConfig(600, 2, List.of("<|endoftext|>")),
                PreTokenPattern.LLAMA3,
                List.of(400),
                0.1),
            sparkConf)
        .run(SharedSpark.get());
  }

  /** The objects' text of {@code folder/_manifest.json}. */
  private static String manifest(String folder) {
    return server
        .client()
        .getObjectAsBytes(request -> request.bucket(BUCKET).key(folder + "/_manifest.json"))
        .asUtf8String();
  }

  /** SHA-256 of each data file the manifest lists, in partition order. */
  private static List<String> sha256(Path output) throws Exception {
    List<String> hashes = new ArrayList<>();
    for (String file : OutputComparison.dataFiles(output)) {
      hashes.add(
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256")
                      .digest(Files.readAllBytes(output.resolve(file)))));
    }
    return hashes;
  }
}
