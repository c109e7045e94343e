package org.seqpack.spark;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.core.BoundedTextEncoder;
import org.seqpack.core.PackStats;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.TextEncoder;
import org.seqpack.tokenizer.JavaEngine;
import org.seqpack.tokenizer.SharedEncoders;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * Which engine tokenizes the documents, decided on the driver before Spark starts ({@code
 * tokenizer.engine}): the Java engine when the tokenizer is of its family and a sample of the real
 * input (at least {@value #SAMPLE_DOCUMENTS} documents or {@value #SAMPLE_CHARS} characters, spread
 * over the input files) encodes to the same ids with both engines; DJL otherwise, or when asked.
 *
 * @param java whether the Java engine runs
 * @param reason why, in words, for the console and stats.json
 * @param measured what the check measured (printed only: timings differ between runs), or empty
 */
record TokenizerEngine(boolean java, String reason, String measured) implements Serializable {
  static final int SAMPLE_DOCUMENTS = 2_000;
  static final long SAMPLE_CHARS = 1_000_000;

  String name() {
    return java ? "java" : "djl";
  }

  static TokenizerEngine choose(JobConfig config, TokenizerSpec spec, Configuration conf) {
    String setting = config.tokenizer().engine();
    String key = JobOptions.TOKENIZER_ENGINE.key();
    if (setting.equals("djl")) {
      return new TokenizerEngine(false, "'" + key + "' is djl", "");
    }
    boolean required = setting.equals("java");
    if (config.sft().enabled()) {
      return refuse(
          required, key, "SFT rendering needs the tokens' character offsets, which only DJL gives");
    }
    JavaBpeTokenizer.Support support = JavaEngine.support(spec);
    if (!support.supported()) {
      return refuse(required, key, "the tokenizer is not of its family: " + support.reason());
    }
    JavaBpeTokenizer java;
    try {
      // Shared per JVM: in local mode the tasks reuse this instance (and its word cache).
      java = SharedEncoders.java(spec);
    } catch (IllegalArgumentException e) {
      return refuse(required, key, "the tokenizer cannot be loaded by it: " + e.getMessage());
    }
    List<InputSample.Document> sample;
    try {
      sample =
          InputSample.read(
              config.input(), config.input().textField(), conf, SAMPLE_DOCUMENTS, SAMPLE_CHARS);
    } catch (IOException | RuntimeException e) {
      return refuse(required, key, "the input sample cannot be read: " + e.getMessage());
    }
    int maxChars = config.tokenizer().maxCharsPerCall();
    PackStats scratch = new PackStats();
    long chars = sample.stream().mapToLong(document -> document.text().length()).sum();
    long[] nanos = new long[2];
    TokenEncoder djl = SharedEncoders.get(spec);
    String difference =
        firstDifference(
            sample,
            timed(new BoundedTextEncoder(djl::encode, maxChars, scratch), nanos, 0),
            timed(
                new BoundedTextEncoder(
                    new JavaEngine(java, djl::encode, scratch), maxChars, scratch),
                nanos,
                1));
    if (difference != null) {
      return refuse(required, key, difference);
    }
    long djlNanos = nanos[0];
    long javaNanos = nanos[1];
    String reason =
        String.format(
            Locale.ROOT,
            "%s; the input sample (%,d documents, %,d characters) encodes to the same ids with"
                + " both engines%s",
            support.reason(),
            sample.size(),
            chars,
            scratch.textsOnDjl == 0
                ? ""
                : String.format(
                    Locale.ROOT, "; %,d texts of the sample go to DJL", scratch.textsOnDjl));
    if (sample.isEmpty()) {
      reason = support.reason() + "; the input sample holds no document to compare";
    }
    String speed =
        String.format(
            Locale.ROOT,
            "on the sample %.1fx DJL's speed (first use, one thread)",
            javaNanos == 0 ? 0.0 : (double) djlNanos / javaNanos);
    return new TokenizerEngine(true, reason, speed);
  }

  private static TokenizerEngine refuse(boolean required, String key, String why) {
    if (required) {
      throw new SeqpackException("'" + key + "' is java; the Java engine cannot run: " + why);
    }
    return new TokenizerEngine(false, "'" + key + "' is auto and " + why, "");
  }

  private static TextEncoder timed(TextEncoder encoder, long[] nanos, int slot) {
    return text -> {
      long start = System.nanoTime();
      try {
        return encoder.encode(text);
      } finally {
        nanos[slot] += System.nanoTime() - start;
      }
    };
  }

  /**
   * The first document of {@code sample} that {@code candidate} encodes differently from {@code
   * reference}, described with both id sequences around the difference; null when none does.
   */
  static String firstDifference(
      List<InputSample.Document> sample, TextEncoder reference, TextEncoder candidate) {
    for (InputSample.Document document : sample) {
      int[] expected = reference.encode(document.text());
      int[] actual = candidate.encode(document.text());
      if (!Arrays.equals(expected, actual)) {
        return difference(document, expected, actual);
      }
    }
    return null;
  }

  private static String difference(InputSample.Document document, int[] expected, int[] actual) {
    int at = 0;
    while (at < expected.length && at < actual.length && expected[at] == actual[at]) {
      at++;
    }
    int from = Math.max(0, at - 3);
    return "the document at "
        + document.position()
        + " of "
        + document.source()
        + " encodes differently from id "
        + at
        + ": DJL "
        + Arrays.toString(Arrays.copyOfRange(expected, from, Math.min(expected.length, at + 8)))
        + ", Java "
        + Arrays.toString(Arrays.copyOfRange(actual, from, Math.min(actual.length, at + 8)))
        + " (from id "
        + from
        + ")";
  }
}
