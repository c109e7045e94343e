package org.seqpack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seqpack.core.PackStats;
import org.seqpack.tokenizer.JavaEngine;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * The Java engine against DJL, one thread, on every line of a corpus: first checks that both give
 * the same ids for every document (the full-corpus differential test), then times each engine's
 * pass over the corpus by thread CPU time, alternating, {@code --passes} times. The Java engine is
 * timed cold (a new instance, empty word cache: what an executor sees first) and warm (the same
 * instance again). Prints one Markdown row per tokenizer.
 *
 * <p>Usage: {@code EngineBenchmark --corpus lines.txt --tokenizer-root FOLDER [--tokenizers
 * gpt2,llama3,qwen3] [--passes 3]}.
 */
public final class EngineBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private EngineBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("corpus", "");
    options.put("tokenizer-root", "");
    options.put("tokenizers", "gpt2,llama3,qwen3");
    options.put("passes", "3");
    BenchOptions.parse(options, args);
    List<String> texts = Files.readAllLines(Path.of(options.get("corpus")), StandardCharsets.UTF_8);
    long bytes = texts.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length + 1).sum();
    int passes = Integer.parseInt(options.get("passes"));
    System.out.printf(
        Locale.ROOT,
        "%,d documents, %.1f MB; one thread, CPU time, median of %d passes%n%n",
        texts.size(),
        bytes / 1e6,
        passes);
    System.out.println(
        "| tokenizer | documents with other ids | left to DJL | tokens | DJL MB/s | DJL tokens/s | Java"
            + " cold MB/s | Java warm MB/s | Java warm tokens/s | cold ÷ DJL | warm ÷ DJL |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (String name : options.get("tokenizers").split(",")) {
      Path folder = Path.of(options.get("tokenizer-root"), name);
      TokenizerSpec spec = PerfRawEncode.load(folder);
      try (TokenEncoder djl = TokenEncoder.load(spec)) {
        PackStats stats = new PackStats();
        JavaEngine check = new JavaEngine(JavaEngine.load(spec), djl::encode, stats);
        long differences = 0;
        long tokens = 0;
        for (String text : texts) {
          int[] expected = djl.encode(text);
          tokens += expected.length;
          if (!Arrays.equals(expected, check.encode(text))) {
            differences++;
          }
        }
        long[] djlNanos = new long[passes];
        long[] coldNanos = new long[passes];
        long[] warmNanos = new long[passes];
        for (int p = 0; p < passes; p++) {
          djlNanos[p] = time(texts, djl::encode);
          JavaBpeTokenizer fresh = JavaEngine.load(spec);
          JavaEngine engine = new JavaEngine(fresh, djl::encode, new PackStats());
          coldNanos[p] = time(texts, engine::encode);
          warmNanos[p] = time(texts, engine::encode);
        }
        double djlRate = bytes / (median(djlNanos) / 1e9) / 1e6;
        double coldRate = bytes / (median(coldNanos) / 1e9) / 1e6;
        double warmRate = bytes / (median(warmNanos) / 1e9) / 1e6;
        System.out.printf(
            Locale.ROOT,
            "| %s | %,d | %,d | %,d | %.2f | %,.0f | %.2f | %.2f | %,.0f | %.1f× | %.1f× |%n",
            name,
            differences,
            stats.textsOnDjl,
            tokens,
            djlRate,
            tokens / (median(djlNanos) / 1e9),
            coldRate,
            warmRate,
            tokens / (median(warmNanos) / 1e9),
            coldRate / djlRate,
            warmRate / djlRate);
      }
    }
  }

  private interface Encode {
    int[] encode(String text);
  }

  private static long time(List<String> texts, Encode encode) {
    long start = THREADS.getCurrentThreadCpuTime();
    long sink = 0;
    for (String text : texts) {
      sink += encode.encode(text).length;
    }
    if (sink < 0) {
      throw new IllegalStateException();
    }
    return THREADS.getCurrentThreadCpuTime() - start;
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
