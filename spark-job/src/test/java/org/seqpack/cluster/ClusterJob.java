package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job the cluster tests run, and the local-mode run every cluster run must equal: the same
 * input (12 copies of test-data/europarl-1k.txt, 14 MB, so that the stage lasts long enough to be
 * interrupted), the same properties file and the same partition count.
 */
final class ClusterJob {
  static final int COPIES = 12;
  static final int PARTITIONS = 12;

  private static Path properties;
  private static Path localOutput;

  private ClusterJob() {}

  /** The properties file of the run (absolute paths: executors resolve nothing relative). */
  static synchronized Path properties() throws IOException {
    if (properties == null) {
      Path dir = ClusterBuild.workDir("job");
      Path input = dir.resolve("input/europarl-12k.txt");
      Files.createDirectories(input.getParent());
      byte[] slice = Files.readAllBytes(ClusterBuild.root().resolve("test-data/europarl-1k.txt"));
      try (var out = Files.newOutputStream(input)) {
        for (int i = 0; i < COPIES; i++) {
          out.write(slice);
        }
      }
      properties = dir.resolve("run.properties");
      Files.writeString(
          properties,
          String.join(
              "\n",
              "# Written by ClusterJob: the run of every cluster test.",
              "input.paths=" + input,
              "input.format=text",
              "input.partitions=" + PARTITIONS,
              "tokenizer.path=" + ClusterBuild.root().resolve("test-data/tokenizers/gpt2"),
              "pack.seq-len=1024",
              "output.overwrite=true",
              ""));
    }
    return properties;
  }

  /**
   * The environment of a submit script: the cluster jar under test, this JVM's Java, loopback, and
   * SPARK_HOME (the Maven-made distribution) or none (the scripts' plain-java fallback).
   */
  static Map<String, String> scriptEnvironment(boolean withSparkHome) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("SEQPACK_JAR", ClusterBuild.clusterJar().toString());
    env.put("SEQPACK_TARGET", ClusterBuild.buildDir().getFileName().toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_HOME", withSparkHome ? SparkDistribution.home().toString() : null);
    env.put("SPARK_CONF_DIR", null);
    return env;
  }

  /** The local-mode output (submit/local.sh, local[2]), made once per JVM. */
  static synchronized Path localOutput(ChildProcesses processes) throws Exception {
    if (localOutput == null) {
      Path dir = ClusterBuild.workDir("local");
      Path output = dir.resolve("out");
      List<String> command = new ArrayList<>();
      command.add(ClusterBuild.root().resolve("submit/local.sh").toString());
      command.addAll(List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1"));
      command.add("--");
      command.addAll(List.of("--config", properties().toString(), "--output", output.toString()));
      long start = System.nanoTime();
      Path log = dir.resolve("local.log");
      int exit = processes.run(command, ClusterBuild.root(), scriptEnvironment(true), log, 600);
      assertEquals(0, exit, "local run failed:\n" + ChildProcesses.tail(log, 80));
      System.out.printf("local mode run: %.1f s%n", (System.nanoTime() - start) / 1e9);
      localOutput = output;
    }
    return localOutput;
  }
}
