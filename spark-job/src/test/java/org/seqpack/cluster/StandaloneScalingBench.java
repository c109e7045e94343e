package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Throughput with one Worker against two on a real standalone cluster (bench/standalone-scaling.sh,
 * docs/PERFORMANCE.md). A benchmark, not a test: CI never runs it (its name does not end in IT) and
 * it asserts only that every run succeeds and that one and two workers write the same rows.
 *
 * <p>A Master and two one-core Workers run as separate JVMs; the job is submitted in client mode
 * with {@code spark.cores.max} 1 (one executor on one Worker) and 2 (one on each), alternating, so
 * that drift in the machine's load falls on both alike. {@code
 * spark.scheduler.minRegisteredResourcesRatio} 1 makes the driver wait for its executors before the
 * job starts, so the job's wall time (stats.json {@code wall_seconds}) measures processing, not
 * executor start; the whole submit's wall time is printed beside it.
 */
@Timeout(value = 90, unit = TimeUnit.MINUTES)
class StandaloneScalingBench {
  // Set by bench/standalone-scaling.sh; surefire's forked JVM inherits the environment. A system
  // property of the same name (mvn -DCORPUS=...) takes precedence.
  private static final int COPIES = Integer.parseInt(env("COPIES", "4"));
  private static final int RUNS = Integer.parseInt(env("RUNS", "3"));
  private static final int PARTITIONS = Integer.parseInt(env("PARTITIONS", "16"));
  // The corpus (text lines, .gz read transparently) and the tokenizer folder: no defaults here.
  private static final String CORPUS = env("CORPUS", null);
  private static final String TOKENIZER = env("TOKENIZER", null);

  private static String env(String name, String fallback) {
    String value = System.getProperty(name, System.getenv(name));
    return value == null || value.isBlank() ? fallback : value;
  }

  private static Path required(String name, String value) {
    if (value == null) {
      throw new IllegalArgumentException(
          name
              + " is not set; run bench/standalone-scaling.sh, or set CORPUS (a text-lines file,"
              + " .gz allowed) and TOKENIZER (a tokenizer folder)");
    }
    Path path = Path.of(value).toAbsolutePath();
    if (!Files.exists(path)) {
      throw new IllegalArgumentException(name + " is " + value + "; no such file or folder");
    }
    return path;
  }

  private record Run(int workers, int repetition, long tokens, double jobSeconds, double submit) {
    double tokensPerSecond() {
      return tokens / jobSeconds;
    }
  }

  @Test
  void oneWorkerAgainstTwo() throws Exception {
    Path source = required("CORPUS", CORPUS);
    Path tokenizer = required("TOKENIZER", TOKENIZER);
    Path work = ClusterBuild.workDir("scaling");
    Path corpus = corpus(source, work);
    Path properties = work.resolve("run.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "input.paths=" + corpus,
            "input.format=text",
            "input.partitions=" + PARTITIONS,
            "tokenizer.path=" + tokenizer,
            "pack.seq-len=2048",
            "output.overwrite=true",
            ""));
    try (ChildProcesses processes = new ChildProcesses()) {
      long start = System.nanoTime();
      StandaloneCluster cluster = StandaloneCluster.start(processes, work, 2, 1, "1536m");
      System.out.printf(
          Locale.ROOT, "standalone cluster up: %.1f s%n", (System.nanoTime() - start) / 1e9);
      List<Run> runs = new ArrayList<>();
      for (int repetition = 1; repetition <= RUNS; repetition++) {
        for (int workers = 1; workers <= 2; workers++) {
          Path output = work.resolve("out-" + workers);
          Path log = work.resolve("logs/submit-" + workers + "-" + repetition + ".log");
          long submitStart = System.nanoTime();
          int exit =
              processes.run(
                  cluster.submitCommand(
                      List.of(
                          "spark.cores.max=" + workers,
                          "spark.scheduler.minRegisteredResourcesRatio=1.0",
                          "spark.scheduler.maxRegisteredResourcesWaitingTime=120s"),
                      properties,
                      output),
                  ClusterBuild.root(),
                  ClusterJob.scriptEnvironment(true),
                  log,
                  3600);
          double submit = (System.nanoTime() - submitStart) / 1e9;
          assertEquals(0, exit, "run failed:\n" + ChildProcesses.tail(log, 60));
          JsonNode stats = JSON.readTree(output.resolve("stats.json").toFile());
          Run run =
              new Run(
                  workers,
                  repetition,
                  stats.get("tokens").asLong(),
                  stats.get("wall_seconds").asDouble(),
                  submit);
          runs.add(run);
          System.out.printf(
              Locale.ROOT,
              "run %d, %d worker(s): %,d tokens, job %.1f s, %,.0f tokens/s; submit %.1f s%n",
              repetition,
              workers,
              run.tokens(),
              run.jobSeconds(),
              run.tokensPerSecond(),
              submit);
        }
      }
      OutputComparison.assertSameOutput(work.resolve("out-1"), work.resolve("out-2"));
      print(runs, source.getFileName().toString(), Files.size(corpus), tokenizer);
    }
  }

  /** The corpus (unpacked if it ends in .gz) repeated {@link #COPIES} times. */
  private static Path corpus(Path source, Path work) throws Exception {
    Path corpus = work.resolve("corpus-x" + COPIES + ".txt");
    byte[] text;
    try (InputStream in =
        source.toString().endsWith(".gz")
            ? new GZIPInputStream(Files.newInputStream(source))
            : Files.newInputStream(source)) {
      text = in.readAllBytes();
    }
    try (OutputStream out = Files.newOutputStream(corpus)) {
      for (int i = 0; i < COPIES; i++) {
        out.write(text);
      }
    }
    return corpus;
  }

  private static void print(List<Run> runs, String corpusName, long corpusBytes, Path tokenizer) {
    Map<Integer, double[]> rates = new TreeMap<>();
    Map<Integer, double[]> submits = new TreeMap<>();
    for (int workers = 1; workers <= 2; workers++) {
      int w = workers;
      rates.put(
          w,
          runs.stream().filter(r -> r.workers() == w).mapToDouble(Run::tokensPerSecond).toArray());
      submits.put(
          w, runs.stream().filter(r -> r.workers() == w).mapToDouble(Run::submit).toArray());
    }
    double[] ratios = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      ratios[i] = rates.get(2)[i] / rates.get(1)[i];
    }
    long tokens = runs.get(0).tokens();
    System.out.printf(
        Locale.ROOT,
        "%n# standalone scaling: %s ×%d (%,d bytes, %,d tokens), %s, %d partitions, %d"
            + " repetitions (1 and 2 workers alternating), %d CPUs%n%n",
        corpusName,
        COPIES,
        corpusBytes,
        tokens,
        tokenizer.getFileName(),
        PARTITIONS,
        RUNS,
        Runtime.getRuntime().availableProcessors());
    System.out.println(
        "| workers | job tokens/s (median) | spread | submit wall s (median, incl. JVM and"
            + " executor start) |");
    System.out.println("|---|---|---|---|");
    for (int workers = 1; workers <= 2; workers++) {
      double[] r = rates.get(workers).clone();
      Arrays.sort(r);
      System.out.printf(
          Locale.ROOT,
          "| %d | %,.0f | %,.0f–%,.0f | %.1f |%n",
          workers,
          median(r),
          r[0],
          r[r.length - 1],
          median(submits.get(workers).clone()));
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%ntwo workers ÷ one (per repetition): %s; median %.2f×%n",
        Arrays.toString(Arrays.stream(ratios).map(x -> Math.round(x * 100) / 100.0).toArray()),
        median(sorted));
  }

  private static double median(double[] values) {
    Arrays.sort(values);
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
