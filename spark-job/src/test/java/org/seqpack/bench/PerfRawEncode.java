package org.seqpack.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The floor of the job: one thread encodes every line of a text file, once with {@link
 * TokenEncoder#encode} (ids only, as the job does) and once with DJL's public {@code
 * HuggingFaceTokenizer.encode(text).getIds()}, which also builds token strings and offsets. Prints
 * one {@code perf-raw} line of JSON per method; run by {@link PerfBenchmark} in its own JVM.
 *
 * <p>Usage: {@code PerfRawEncode <lines.txt> <tokenizer folder> [ids|djl|both]}.
 */
public final class PerfRawEncode {
  private PerfRawEncode() {}

  public static void main(String[] args) throws IOException {
    Path corpus = Paths.get(args[0]);
    Path tokenizer = Paths.get(args[1]);
    String methods = args.length > 2 ? args[2] : "both";
    TokenizerSpec spec = load(tokenizer);
    // The documents the job sees: one per line, the whole line.
    List<String> texts = Files.readAllLines(corpus, StandardCharsets.UTF_8);
    long chars = 0;
    for (String text : texts) {
      chars += text.length();
    }
    long bytes = Files.size(corpus);
    try (TokenEncoder encoder = TokenEncoder.load(spec);
        HuggingFaceTokenizer djl =
            HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(spec.loadableJson()),
                Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false"))) {
      List<String> warmup = texts.subList(0, Math.min(texts.size(), 500));
      if (!methods.equals("djl")) {
        measure(warmup, text -> encoder.encode(text).length);
        print("ids", texts.size(), chars, bytes, measure(texts, t -> encoder.encode(t).length));
      }
      if (!methods.equals("ids")) {
        measure(warmup, text -> djl.encode(text, false, false).getIds().length);
        print(
            "djl",
            texts.size(),
            chars,
            bytes,
            measure(texts, t -> djl.encode(t, false, false).getIds().length));
      }
    }
  }

  static TokenizerSpec load(Path folder) throws IOException {
    Path config = folder.resolve("tokenizer_config.json");
    return TokenizerSpec.parse(
        folder.toString(),
        Files.readAllBytes(folder.resolve("tokenizer.json")),
        Files.exists(config) ? Files.readAllBytes(config) : null,
        false);
  }

  private interface Encode {
    int tokens(String text);
  }

  /** Returns {tokens, wall nanoseconds, thread CPU nanoseconds, process CPU nanoseconds}. */
  private static long[] measure(List<String> texts, Encode encode) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long tokens = 0;
    long process = os.getProcessCpuTime();
    long cpu = threads.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (String text : texts) {
      tokens += encode.tokens(text);
    }
    wall = System.nanoTime() - wall;
    cpu = threads.getCurrentThreadCpuTime() - cpu;
    process = os.getProcessCpuTime() - process;
    return new long[] {tokens, wall, cpu, process};
  }

  private static void print(String method, int documents, long chars, long bytes, long[] m) {
    System.out.printf(
        Locale.ROOT,
        "perf-raw {\"method\":\"%s\",\"documents\":%d,\"chars\":%d,\"bytes\":%d,\"tokens\":%d,"
            + "\"wall_seconds\":%.4f,\"cpu_seconds\":%.4f,\"process_cpu_seconds\":%.4f}%n",
        method,
        documents,
        chars,
        bytes,
        m[0],
        m[1] / 1e9,
        m[2] / 1e9,
        m[3] / 1e9);
  }
}
