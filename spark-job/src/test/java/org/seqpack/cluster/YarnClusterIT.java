package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real YARN in this JVM (MiniYARNCluster: a ResourceManager and a NodeManager that launches
 * containers as separate processes). The job is submitted with submit/yarn.sh in cluster deploy
 * mode — the driver runs in the application master's container — and its output must equal, row for
 * row, the local-mode output of the same input, configuration and partition count; so must the
 * outputs of {@code analyze} and {@code train-tokenizer} submitted the same way.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class YarnClusterIT {
  private static final String NAME = "seqpack-yarn-it";

  @Test
  void clusterModeOutputEqualsLocalMode() throws Exception {
    try (ChildProcesses processes = new ChildProcesses()) {
      Path reference = ClusterJob.localOutput(processes);
      Path work = ClusterBuild.workDir("yarn");
      // The ResourceManager's web server unpacks into java.io.tmpdir, which must exist.
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
      // The minicluster keeps its folders under test.build.data (default: ./target/test/data).
      String testData = System.getProperty("test.build.data");
      System.setProperty("test.build.data", work.resolve("minicluster").toString());
      MiniYARNCluster yarn = new MiniYARNCluster(NAME, 1, 1, 1);
      try {
        long start = System.nanoTime();
        yarn.init(configuration());
        yarn.start();
        Path hadoopConf = writeSiteFile(yarn, work.resolve("hadoop-conf"));
        System.out.printf("YARN up: %.1f s%n", (System.nanoTime() - start) / 1e9);

        start = System.nanoTime();
        Path output = work.resolve("out");
        Path home = SparkDistribution.home();
        List<String> command = new ArrayList<>();
        command.add(ClusterBuild.root().resolve("submit/yarn.sh").toString());
        command.addAll(
            List.of(
                "--conf",
                "spark.yarn.jars=local:" + home.resolve("jars") + "/*",
                "--conf",
                "spark.yarn.stagingDir=" + work.resolve("staging").toUri(),
                "--conf",
                "spark.driver.memory=1g",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.executor.memoryOverhead=384m",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.dynamicAllocation.maxExecutors=2",
                "--conf",
                "spark.ui.enabled=false",
                // Driver and executors bind to loopback only.
                "--conf",
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf",
                "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--"));
        Map<String, String> env = ClusterJob.scriptEnvironment(true);
        env.put("HADOOP_CONF_DIR", hadoopConf.toString());
        submit(
            yarn,
            processes,
            command,
            List.of("--config", ClusterJob.properties().toString(), "--output", output.toString()),
            env,
            work.resolve("submit.log"));
        System.out.printf("YARN cluster-mode run: %.1f s%n", (System.nanoTime() - start) / 1e9);
        OutputComparison.assertSameOutput(reference, output);

        // The subcommands, submitted the same way, equal their local-mode runs.
        String input = Subcommands.input().toString();
        Path analysis = work.resolve("analysis");
        submit(
            yarn,
            processes,
            command,
            Subcommands.analyzeArgs(input, Subcommands.gpt2(), analysis.toString()),
            env,
            work.resolve("submit-analyze.log"));
        Subcommands.assertSameAnalysis(Subcommands.localAnalysis(processes), analysis);
        Path tokenizer = work.resolve("tokenizer");
        submit(
            yarn,
            processes,
            command,
            Subcommands.trainArgs(input, tokenizer.toString()),
            env,
            work.resolve("submit-train-tokenizer.log"));
        Subcommands.assertSameTokenizer(Subcommands.localTokenizer(processes), tokenizer);
      } finally {
        yarn.stop();
        deleteTree(yarn.getTestWorkDir().toPath());
        if (testData == null) {
          System.clearProperty("test.build.data");
        } else {
          System.setProperty("test.build.data", testData);
        }
      }
    }
  }

  /** Runs submit/yarn.sh with its options {@code prefix} (ending in --) and {@code args}. */
  private static void submit(
      MiniYARNCluster yarn,
      ChildProcesses processes,
      List<String> prefix,
      List<String> args,
      Map<String, String> env,
      Path log)
      throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(args);
    int exit = processes.run(command, ClusterBuild.root(), env, log, 540);
    assertEquals(
        0,
        exit,
        "YARN run failed:\n"
            + ChildProcesses.tail(log, 40)
            + "\n--- container logs ---\n"
            + containerLogs(yarn));
  }

  private static YarnConfiguration configuration() {
    YarnConfiguration conf = new YarnConfiguration();
    // The minicluster ships no capacity-scheduler.xml: one queue with everything.
    conf.set("yarn.scheduler.capacity.root.queues", "default");
    conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
    conf.setInt(YarnConfiguration.NM_PMEM_MB, 5120);
    conf.setInt(YarnConfiguration.NM_VCORES, 4);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 2048);
    // JVM sizes are what Spark asks for; a shared test machine's disks may be nearly full.
    conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
    conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 100.0f);
    // Containers start `$JAVA_HOME/bin/java`: this JVM's Java.
    conf.set(
        YarnConfiguration.NM_ADMIN_USER_ENV,
        "MALLOC_ARENA_MAX=4,JAVA_HOME=" + System.getProperty("java.home"));
    return conf;
  }

  /** Waits for the ResourceManager's real port, then writes the client's yarn-site.xml. */
  private static Path writeSiteFile(MiniYARNCluster yarn, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS, "").endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the ResourceManager did not bind a port");
      }
      Thread.sleep(100);
    }
    Files.createDirectories(dir);
    try (OutputStream out = Files.newOutputStream(dir.resolve("yarn-site.xml"))) {
      yarn.getConfig().writeXml(out);
    }
    return dir;
  }

  /** The tail of every container's stderr, for a failure message. */
  private static String containerLogs(MiniYARNCluster yarn) throws IOException {
    try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
      return files
          .filter(p -> p.getFileName().toString().equals("stderr"))
          .map(p -> p + ":\n" + ChildProcesses.tail(p, 25))
          .collect(Collectors.joining("\n"));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
      }
    }
  }
}
