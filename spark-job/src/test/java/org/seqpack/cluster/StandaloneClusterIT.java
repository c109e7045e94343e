package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real Spark standalone cluster on loopback: one Master and two Workers (one core, 1.5 GB each)
 * as separate JVMs from the Maven-resolved Spark jars. The job is submitted in client mode with
 * submit/standalone.sh and its output must equal, row for row, the local-mode output of the same
 * input, configuration and partition count — also when an executor JVM is killed mid-stage.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
  private static ChildProcesses processes;
  private static Path work;
  private static StandaloneCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    long start = System.nanoTime();
    processes = new ChildProcesses();
    work = ClusterBuild.workDir("standalone");
    cluster = StandaloneCluster.start(processes, work, 2, 1, "1536m");
    System.out.printf("standalone cluster up: %.1f s%n", (System.nanoTime() - start) / 1e9);
  }

  @AfterAll
  static void stopCluster() {
    if (processes != null) {
      processes.close();
    }
  }

  /**
   * Client mode through a distribution's spark-submit; row for row the local-mode output. The
   * output folder is given relative to the repository (the script's working folder), which the
   * driver must resolve for the executors.
   */
  @Test
  void clientModeOutputEqualsLocalMode() throws Exception {
    Path reference = ClusterJob.localOutput(processes);
    Path output = ClusterBuild.root().relativize(work.resolve("out-clean"));
    long start = System.nanoTime();
    Path log = work.resolve("logs/submit-clean.log");
    int exit = processes.run(submitCommand(output), ClusterBuild.root(), submitEnv(true), log, 480);
    assertEquals(0, exit, "standalone run failed:\n" + ChildProcesses.tail(log, 80));
    System.out.printf("standalone run: %.1f s%n", (System.nanoTime() - start) / 1e9);
    OutputComparison.assertSameOutput(reference, ClusterBuild.root().resolve(output));
  }

  /**
   * {@code analyze} and {@code train-tokenizer} through submit/standalone.sh: the same analysis,
   * tokenizer and rejected records as in local mode.
   */
  @Test
  void analyzeAndTrainTokenizerEqualLocalMode() throws Exception {
    String input = Subcommands.input().toString();
    Path analysis = work.resolve("analysis");
    submit(Subcommands.analyzeArgs(input, Subcommands.gpt2(), analysis.toString()), "analyze");
    Subcommands.assertSameAnalysis(Subcommands.localAnalysis(processes), analysis);
    Path tokenizer = work.resolve("tokenizer");
    submit(Subcommands.trainArgs(input, tokenizer.toString()), "train-tokenizer");
    Subcommands.assertSameTokenizer(Subcommands.localTokenizer(processes), tokenizer);
  }

  private static void submit(List<String> args, String name) throws Exception {
    Path log = work.resolve("logs/submit-" + name + ".log");
    long start = System.nanoTime();
    int exit =
        processes.run(
            cluster.submitCommand(
                List.of("spark.executorEnv.DJL_CACHE_DIR=" + work.resolve("djl-cache")), args),
            ClusterBuild.root(),
            submitEnv(true),
            log,
            480);
    assertEquals(0, exit, "standalone " + name + " failed:\n" + ChildProcesses.tail(log, 80));
    System.out.printf("standalone %s: %.1f s%n", name, (System.nanoTime() - start) / 1e9);
  }

  /**
   * An executor JVM killed while the stage runs (some partitions written, most not): the job
   * succeeds and its output is still the local-mode output, no row lost or duplicated. Submitted
   * without a Spark distribution (the script's plain-java fallback on the Maven jars).
   */
  @Test
  void executorKilledMidStage() throws Exception {
    Path reference = ClusterJob.localOutput(processes);
    Path output = work.resolve("out-fault");
    Path log = work.resolve("logs/submit-fault.log");
    long start = System.nanoTime();
    Process job =
        processes.start(submitCommand(output), ClusterBuild.root(), submitEnv(false), log);

    ProcessHandle killed = null;
    while (killed == null && job.isAlive()) {
      long done = stagedFiles(output);
      if (done >= 1 && done <= ClusterJob.PARTITIONS - 4) {
        Optional<ProcessHandle> executor = cluster.executors().stream().findFirst();
        if (executor.isPresent()) {
          killed = executor.get();
          killed.destroyForcibly();
          System.out.printf(
              "killed executor pid %d after %d of %d partitions%n",
              killed.pid(), done, ClusterJob.PARTITIONS);
        }
      }
      Thread.sleep(20);
    }
    assertNotNull(
        killed,
        "the job ended before an executor could be killed:\n" + ChildProcesses.tail(log, 40));
    assertTrue(job.waitFor(420, TimeUnit.SECONDS), "the job did not finish after the kill");
    assertEquals(
        0, job.exitValue(), "the job failed after the kill:\n" + ChildProcesses.tail(log, 80));
    System.out.printf(
        "standalone run with a killed executor: %.1f s%n", (System.nanoTime() - start) / 1e9);
    String driverLog = Files.readString(log);
    assertTrue(
        driverLog.contains("Lost executor") || driverLog.contains("ExecutorLostFailure"),
        "the driver never saw the executor go:\n" + ChildProcesses.tail(log, 40));
    OutputComparison.assertSameOutput(reference, output);
  }

  private static List<String> submitCommand(Path output) throws IOException {
    return cluster.submitCommand(
        List.of("spark.executorEnv.DJL_CACHE_DIR=" + work.resolve("djl-cache")),
        ClusterJob.properties(),
        output);
  }

  private static Map<String, String> submitEnv(boolean withSparkHome) throws IOException {
    return ClusterJob.scriptEnvironment(withSparkHome);
  }

  /** Partition files completed so far in the run's staging folder, a hidden sibling of output. */
  private static long stagedFiles(Path output) throws IOException {
    Path parent = output.toAbsolutePath().getParent();
    if (!Files.isDirectory(parent)) {
      return 0;
    }
    long count = 0;
    String prefix = "_staging-" + output.getFileName() + "-";
    try (Stream<Path> children = Files.list(parent)) {
      for (Path staging : (Iterable<Path>) children::iterator) {
        if (staging.getFileName().toString().startsWith(prefix)) {
          try (Stream<Path> files = Files.list(staging)) {
            count += files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count();
          } catch (IOException e) {
            // The staging folder went away between the two listings: the run is committing.
          }
        }
      }
    }
    return count;
  }
}
