package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
  private static String masterUrl;
  private static final List<Process> workers = new ArrayList<>();

  @BeforeAll
  static void startCluster() throws Exception {
    long start = System.nanoTime();
    processes = new ChildProcesses();
    work = ClusterBuild.workDir("standalone");
    Path home = SparkDistribution.home();
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", SparkDistribution.scalaVersion());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_CONF_DIR", null);

    int masterPort = ClusterBuild.freePort();
    int masterUi = ClusterBuild.freePort();
    masterUrl = "spark://127.0.0.1:" + masterPort;
    processes.start(
        daemon(
            home,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(masterPort),
            "--webui-port",
            Integer.toString(masterUi)),
        work,
        env,
        work.resolve("logs/master.log"));
    for (int i = 1; i <= 2; i++) {
      Path dir = Files.createDirectories(work.resolve("worker-" + i));
      Map<String, String> workerEnv = new HashMap<>(env);
      workerEnv.put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
      workers.add(
          processes.start(
              daemon(
                  home,
                  "org.apache.spark.deploy.worker.Worker",
                  "--host",
                  "127.0.0.1",
                  "--port",
                  Integer.toString(ClusterBuild.freePort()),
                  "--webui-port",
                  Integer.toString(ClusterBuild.freePort()),
                  "--cores",
                  "1",
                  "--memory",
                  "1536m",
                  "--work-dir",
                  dir.resolve("work").toString(),
                  masterUrl),
              work,
              workerEnv,
              work.resolve("logs/worker-" + i + ".log")));
    }
    awaitAliveWorkers(masterUi, 2, Duration.ofSeconds(120));
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
        Optional<ProcessHandle> executor = executors().stream().findFirst();
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
    List<String> command = new ArrayList<>();
    command.add(ClusterBuild.root().resolve("submit/standalone.sh").toString());
    command.addAll(
        List.of(
            "--master",
            masterUrl,
            "--conf",
            "spark.driver.memory=1g",
            "--conf",
            "spark.executor.memory=1g",
            "--conf",
            "spark.executor.cores=1",
            "--conf",
            "spark.driver.host=127.0.0.1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.executorEnv.DJL_CACHE_DIR=" + work.resolve("djl-cache"),
            "--"));
    command.addAll(
        List.of("--config", ClusterJob.properties().toString(), "--output", output.toString()));
    return command;
  }

  private static Map<String, String> submitEnv(boolean withSparkHome) throws IOException {
    return ClusterJob.scriptEnvironment(withSparkHome);
  }

  private static List<String> daemon(Path home, String mainClass, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(ClusterBuild.java());
    command.add("-Xmx256m");
    command.addAll(ClusterBuild.jvmOpens());
    command.addAll(List.of("-cp", home.resolve("conf") + ":" + home.resolve("jars") + "/*"));
    command.add(mainClass);
    command.addAll(List.of(arguments));
    return command;
  }

  /** Executor JVMs: the children of the Worker JVMs that run CoarseGrainedExecutorBackend. */
  private static List<ProcessHandle> executors() {
    List<ProcessHandle> executors = new ArrayList<>();
    for (Process worker : workers) {
      worker
          .descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(executors::add);
    }
    return executors;
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

  private static void awaitAliveWorkers(int uiPort, int expected, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        alive = 0;
        for (JsonElement worker :
            JsonParser.parseString(body).getAsJsonObject().getAsJsonArray("workers")) {
          if ("ALIVE".equals(worker.getAsJsonObject().get("state").getAsString())) {
            alive++;
          }
        }
        if (alive >= expected) {
          return;
        }
      } catch (IOException | RuntimeException e) {
        // The Master is still starting.
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        alive
            + " of "
            + expected
            + " workers alive after "
            + timeout
            + ":\n"
            + ChildProcesses.tail(work.resolve("logs/master.log"), 30)
            + "\n"
            + ChildProcesses.tail(work.resolve("logs/worker-1.log"), 30));
  }
}
