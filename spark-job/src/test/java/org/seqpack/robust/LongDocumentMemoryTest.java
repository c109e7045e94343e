package org.seqpack.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.tokenizer.TestPaths;

/**
 * Very long single documents through the real command line in a child JVM with the default 1 GB
 * heap ({@code java -Xmx1g ... org.seqpack.cli.Main}): a 200 MB line of words and a 20 MB "word"
 * without any space. The run must finish; its peak resident memory (heap, JVM and the tokenizer's
 * native memory, polled from {@code /proc}) is bounded; it and the peak live heap (from the GC log)
 * are in the failure message. Inputs are generated in the test's folder.
 */
class LongDocumentMemoryTest {
  private static final long MB = 1 << 20;
  private static final String[] WORDS =
      ("the of and to in a is that for it as was with be by on not he this are or his from at"
              + " which but have an they you were her she there been one all we their has would"
              + " when if so no will more can said who up what out about into them then some could"
              + " than other time only new these two may first any like now my over such our man"
              + " me even most made after also did many before must through back years where much"
              + " your way well down should because each just those people how too little state"
              + " good very make world still own see men work long here get both between life being"
              + " under never day same another know while last might us great old year off come"
              + " since against go came right used take three")
          .split(" ");

  /** About 100 s on a 2-core machine, most of it tokenizing 200 MB on one core. */
  @Test
  @Tag("slow")
  void a200MegabyteLineFinishesInOneGigabyte(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("line.txt");
    long textBytes = 200_000_000L;
    writeInput(input, textBytes, true);
    Run run = runJob(tmp, input);
    assertEquals(0, run.exitCode, run.stderrTail);
    JsonNode stats = run.stats();
    JsonNode documents = stats.get("documents");
    assertEquals(3, documents.get("packed").asLong());
    assertEquals(1, documents.get("split").asLong());
    // Cut only at white space: the ids are those of one call.
    assertEquals(1, stats.get("tokenized_in_pieces").get("texts").asLong());
    assertEquals(0, stats.get("tokenized_in_pieces").get("cuts_inside_words").asLong());
    assertTrue(stats.get("tokens").asLong() > textBytes / 6, "about 4.5 chars per token");
    checkRows(run.output, stats);
    assertTrue(run.peakRss < 2048 * MB, run.toString());
  }

  /** About 20 s. */
  @Test
  void a20MegabyteWordFinishesInOneGigabyte(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("word.txt");
    writeInput(input, 20_000_000L, false);
    Run run = runJob(tmp, input);
    assertEquals(0, run.exitCode, run.stderrTail);
    JsonNode stats = run.stats();
    assertEquals(3, stats.get("documents").get("packed").asLong());
    // 20,000,000 chars in pieces of at most 100,000 chars, every cut inside the word.
    long cuts = stats.get("tokenized_in_pieces").get("cuts_inside_words").asLong();
    assertTrue(cuts >= 199 && cuts <= 201, cuts + " cuts");
    checkRows(run.output, stats);
    assertTrue(run.peakRss < 1536 * MB, run.toString());
  }

  /** The command line's failure path: exit code 1, nothing committed. */
  @Test
  void aRunThatFailsItsChecksExitsNonZeroAndCommitsNothing(@TempDir Path tmp) throws Exception {
    Path input = tmp.resolve("bad.jsonl");
    Files.writeString(input, "{\"text\": \"fine\"}\nnot json\nnot json either\n");
    Run run = runJob(tmp, input, "--format", "jsonl", "--max-rejected-fraction", "0.5");
    assertEquals(1, run.exitCode, run.stderrTail);
    assertTrue(run.stderrTail.contains("output.max-rejected-fraction"), run.stderrTail);
    assertFalse(Files.exists(run.output.resolve("_SUCCESS")));
    assertFalse(Files.exists(run.output.resolve("stats.json")));
  }

  /** A short line, the long text (words, or letters only), a short line. */
  private static void writeInput(Path file, long bytes, boolean words) throws IOException {
    Random random = new Random(20261128);
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write("a short document before the long one\n".getBytes(StandardCharsets.UTF_8));
      long written = 0;
      if (words) {
        byte[][] encoded = new byte[WORDS.length][];
        for (int i = 0; i < WORDS.length; i++) {
          encoded[i] = WORDS[i].getBytes(StandardCharsets.UTF_8);
        }
        while (written < bytes) {
          byte[] word = encoded[random.nextInt(encoded.length)];
          out.write(word);
          int r = random.nextInt(40);
          byte[] separator =
              r == 0 ? new byte[] {'.', ' '} : r == 1 ? new byte[] {',', ' '} : new byte[] {' '};
          out.write(separator);
          written += word.length + separator.length;
        }
      } else {
        for (; written < bytes; written++) {
          out.write('a' + random.nextInt(26));
        }
      }
      out.write("\na short document after the long one\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  /** DuckDB's totals over the files agree with stats.json. */
  private static void checkRows(Path output, JsonNode stats) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*), sum(num_tokens), sum(num_segments), min(len(input_ids)),"
                    + " max(len(input_ids)) FROM read_parquet('"
                    + output.resolve("*.parquet")
                    + "')")) {
      assertTrue(result.next());
      assertEquals(stats.get("rows").asLong(), result.getLong(1));
      assertEquals(stats.get("tokens").asLong(), result.getLong(2));
      assertEquals(stats.get("segments").asLong(), result.getLong(3));
      assertEquals(2048, result.getInt(4));
      assertEquals(2048, result.getInt(5));
    }
  }

  /** The outcome of one child run. */
  record Run(
      Path output,
      int exitCode,
      double wallSeconds,
      long peakRss,
      long peakLiveHeap,
      String stderrTail) {
    JsonNode stats() throws IOException {
      return JSON.readTree(Files.readString(output.resolve("stats.json")));
    }

    @Override
    public String toString() {
      return String.format(
          "exit %d, %.1f s wall, peak RSS %d MB, peak live heap after GC %d MB",
          exitCode, wallSeconds, peakRss / MB, peakLiveHeap / MB);
    }
  }

  /**
   * Runs {@code java -Xmx1g -cp <this JVM's class path> org.seqpack.cli.Main} on {@code input} with
   * GPT-2 and L = 2048, polling the child's peak resident set size.
   */
  private static Run runJob(Path tmp, Path input, String... extra) throws Exception {
    Path output = tmp.resolve("out");
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
    Path gcLog = tmp.resolve("gc.log");
    Path stdout = tmp.resolve("stdout.txt");
    Path stderr = tmp.resolve("stderr.txt");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-Xlog:gc:file=" + gcLog);
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")) {
        command.add(argument); // Spark's usual opens, as Surefire gives them
      }
    }
    command.add("-Djava.io.tmpdir=" + jvmTmp);
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.seqpack.cli.Main");
    command.addAll(
        List.of(
            "--input",
            input.toString(),
            "--tokenizer",
            TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2").toString(),
            "--seq-len",
            "2048",
            "--output",
            output.toString()));
    command.addAll(List.of(extra));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    builder.environment().put("DJL_OFFLINE", "true");
    long start = System.nanoTime();
    Process process = builder.start();
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long peakRss = 0;
    while (process.isAlive()) {
      peakRss = Math.max(peakRss, peakRss(status));
      Thread.sleep(100);
    }
    int exitCode = process.waitFor();
    double wall = (System.nanoTime() - start) / 1e9;
    List<String> errors = Files.readAllLines(stderr, StandardCharsets.UTF_8);
    String tail = String.join("\n", errors.subList(Math.max(0, errors.size() - 30), errors.size()));
    return new Run(output, exitCode, wall, peakRss, peakLiveHeap(gcLog), tail);
  }

  /** VmHWM (peak resident set) of a running process, 0 when it has just ended. */
  private static long peakRss(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // The process ended between the check and the read.
    }
    return 0;
  }

  /** The largest heap occupancy after a collection: the most the run needed live at once. */
  private static long peakLiveHeap(Path gcLog) throws IOException {
    if (!Files.exists(gcLog)) {
      return 0;
    }
    Pattern pause = Pattern.compile("Pause .* (\\d+)M->(\\d+)M\\(\\d+M\\)");
    long peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher matcher = pause.matcher(line);
      if (matcher.find()) {
        peak = Math.max(peak, Long.parseLong(matcher.group(2)) * MB);
      }
    }
    return peak;
  }
}
