package org.seqpack.cluster;

import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * A Spark standalone cluster on loopback: a Master and Workers as separate JVMs from the Maven-made
 * Spark distribution ({@link SparkDistribution}), their logs under {@code work/logs}.
 */
final class StandaloneCluster {
  private final ChildProcesses processes;
  private final Path work;
  private final String masterUrl;
  private final int masterUi;
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(ChildProcesses processes, Path work, String masterUrl, int masterUi) {
    this.processes = processes;
    this.work = work;
    this.masterUrl = masterUrl;
    this.masterUi = masterUi;
  }

  /**
   * Starts a Master and {@code workers} Workers of {@code cores} cores and {@code memory} each, and
   * waits until every Worker is alive.
   */
  static StandaloneCluster start(
      ChildProcesses processes, Path work, int workers, int cores, String memory) throws Exception {
    Path home = SparkDistribution.home();
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", SparkDistribution.scalaVersion());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_CONF_DIR", null);

    int masterPort = ClusterBuild.freePort();
    int masterUi = ClusterBuild.freePort();
    StandaloneCluster cluster =
        new StandaloneCluster(processes, work, "spark://127.0.0.1:" + masterPort, masterUi);
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
    for (int i = 1; i <= workers; i++) {
      Path dir = Files.createDirectories(work.resolve("worker-" + i));
      Map<String, String> workerEnv = new HashMap<>(env);
      workerEnv.put("SPARK_LOCAL_DIRS", Files.createDirectories(dir.resolve("local")).toString());
      cluster.workers.add(
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
                  Integer.toString(cores),
                  "--memory",
                  memory,
                  "--work-dir",
                  dir.resolve("work").toString(),
                  cluster.masterUrl),
              work,
              workerEnv,
              work.resolve("logs/worker-" + i + ".log")));
    }
    cluster.awaitAliveWorkers(workers, Duration.ofSeconds(120));
    return cluster;
  }

  String masterUrl() {
    return masterUrl;
  }

  /**
   * submit/standalone.sh in client mode on this cluster: 1 GB driver and executors of one core, on
   * loopback, no UI, plus {@code settings} (each a {@code key=value} passed as --conf), running the
   * job's {@code properties} into {@code output}.
   */
  List<String> submitCommand(List<String> settings, Path properties, Path output) {
    return submitCommand(
        settings, List.of("--config", properties.toString(), "--output", output.toString()));
  }

  /** As above, with the job's (or a subcommand's) arguments {@code jobArgs}. */
  List<String> submitCommand(List<String> settings, List<String> jobArgs) {
    List<String> command = new ArrayList<>();
    command.add(ClusterBuild.root().resolve("submit/standalone.sh").toString());
    command.addAll(List.of("--master", masterUrl));
    for (String setting :
        List.of(
            "spark.driver.memory=1g",
            "spark.executor.memory=1g",
            "spark.executor.cores=1",
            "spark.driver.host=127.0.0.1",
            "spark.ui.enabled=false")) {
      command.addAll(List.of("--conf", setting));
    }
    for (String setting : settings) {
      command.addAll(List.of("--conf", setting));
    }
    command.add("--");
    command.addAll(jobArgs);
    return command;
  }

  /** Executor JVMs: the children of the Worker JVMs that run CoarseGrainedExecutorBackend. */
  List<ProcessHandle> executors() {
    List<ProcessHandle> executors = new ArrayList<>();
    for (Process worker : workers) {
      worker
          .descendants()
          .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
          .forEach(executors::add);
    }
    return executors;
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

  private void awaitAliveWorkers(int expected, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUi + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = 0;
    while (System.nanoTime() < deadline) {
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        alive = 0;
        for (JsonNode worker : JSON.readTree(body).get("workers")) {
          if ("ALIVE".equals(worker.get("state").textValue())) {
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
