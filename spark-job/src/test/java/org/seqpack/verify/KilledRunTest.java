package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.tokenizer.TestPaths;

/**
 * Atomic, idempotent output, tested by killing a real driver (kill -9 of a child JVM running the
 * job's Main in Spark local mode): a killed run changes nothing at the output path — a previous
 * output stays complete, a first run leaves nothing there — because tasks write into a hidden
 * sibling staging folder that replaces the output in one rename; a rerun with --overwrite then
 * writes Parquet files byte-identical to a clean run's (up to, possibly, the order of the footer's
 * per-column encodings lists, which parquet-mr takes from a HashSet).
 *
 * <p>A driver killed inside the commit is stopped at a chosen point by {@link
 * SlowCommitFileSystem}: right before _SUCCESS is written into staging, and between renaming the
 * previous output aside and renaming staging into its place. Neither leaves anything at the output
 * path; the next run clears what they left beside it.
 */
class KilledRunTest {
  // test-data/europarl-1k.txt eight times in the input: 8,000 lines, about 9.5 MB, several
  // seconds of tokenizing on two cores.
  private static final int COPIES = 8;
  private static final long TIMEOUT_SECONDS = 600;

  @TempDir static Path shared;
  private static Path input;

  @TempDir Path tmp;

  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void repeatEuroparl() throws IOException {
    byte[] corpus =
        Files.readAllBytes(TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"));
    input = shared.resolve("europarl.txt");
    try (OutputStream out = Files.newOutputStream(input)) {
      for (int copy = 0; copy < COPIES; copy++) {
        out.write(corpus);
      }
    }
  }

  @AfterEach
  void stopChildren() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
  }

  @Test
  void killedDuringTasksKeepsThePreviousOutputAndRerunIsByteIdentical() throws Exception {
    Path output = tmp.resolve("out");
    String location = output.toString();

    // A clean run to completion; its Parquet bytes are the reference.
    assertEquals(0, runToEnd(location, true, Map.of(), "clean"), log("clean"));
    Map<String, String> clean = parquetHashes(output, true);
    assertTrue(clean.size() >= 2, "expected several part files: " + clean);
    assertEquals(0, VerifyCorruptionTest.verify(output).exit());

    // The same job again over it, killed once a task has finished its file in staging.
    Process killed = start(location, true, Map.of(), "killed");
    awaitOrFail(
        killed, () -> stagedPartFiles(output) > 0, "a part file in the staging folder", "killed");
    killed.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no abort()
    assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
    System.out.println(
        "after kill -9 during tasks, "
            + output
            + " holds "
            + listing(output)
            + " beside "
            + listing(output.getParent()));
    // The previous output is untouched: the new one only ever existed in the hidden sibling.
    assertEquals(clean, parquetHashes(output, true));
    assertEquals(0, VerifyCorruptionTest.verify(output).exit());
    assertTrue(stagedPartFiles(output) > 0);

    // A rerun with --overwrite writes the clean run's bytes and removes the killed run's staging.
    assertEquals(0, runToEnd(location, true, Map.of(), "rerun"), log("rerun"));
    // Every byte is the same except, possibly, the order of each column chunk's encodings list in
    // the footer (see rerunIsByteIdenticalIncludingFooterEncodingOrder).
    assertEquals(clean, parquetHashes(output, true));
    assertEquals(List.of(), leftovers(output));
    VerifyCorruptionTest.Verification rerun = VerifyCorruptionTest.verify(output);
    assertEquals(0, rerun.exit(), rerun.out());
  }

  @Test
  void killedBeforeSuccessMarkerLeavesNothingAtTheOutputPath() throws Exception {
    Path output = tmp.resolve("out");
    Path marker = tmp.resolve("paused");
    Process killed =
        start(
            SlowCommitFileSystem.SCHEME + "://" + output,
            false,
            pauseAt(SlowCommitFileSystem.BEFORE_SUCCESS, marker),
            "success");
    awaitOrFail(killed, () -> Files.exists(marker), "the _SUCCESS marker", "success");
    killed.destroyForcibly();
    assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
    System.out.println("after kill -9 right before _SUCCESS, " + tmp + " holds " + listing(tmp));
    // stats.json and every part file are in the hidden staging folder; nothing at the output path.
    assertFalse(Files.exists(output), listing(tmp).toString());
    assertTrue(stagedPartFiles(output) > 0);
  }

  @Test
  void killedBetweenTheTwoRenamesLeavesNothingAtTheOutputPath() throws Exception {
    Path output = tmp.resolve("out");
    Path marker = tmp.resolve("paused");
    String location = SlowCommitFileSystem.SCHEME + "://" + output;
    Map<String, String> noPause = pauseAt("none", marker);
    assertEquals(0, runToEnd(location, false, noPause, "first"), log("first"));
    Map<String, String> first = parquetHashes(output, true);

    Process killed =
        start(location, true, pauseAt(SlowCommitFileSystem.AFTER_ASIDE, marker), "aside");
    awaitOrFail(killed, () -> Files.exists(marker), "the previous output moved aside", "aside");
    killed.destroyForcibly();
    assertTrue(killed.waitFor(60, TimeUnit.SECONDS));
    List<String> beside = listing(tmp);
    System.out.println("after kill -9 between the renames, " + tmp + " holds " + beside);
    assertFalse(Files.exists(output), beside.toString());
    assertTrue(
        leftovers(output).stream().anyMatch(name -> name.startsWith("_replaced-out-")),
        beside.toString());

    // The next run commits normally and clears what the killed one left beside the output.
    assertEquals(0, runToEnd(location, true, noPause, "after"), log("after"));
    assertEquals(first, parquetHashes(output, true));
    assertEquals(List.of(), leftovers(output));
  }

  @Test
  // RowFileWriter writes the footer's encoding lists sorted (SortedFooterOutputFile).
  void rerunIsByteIdenticalIncludingFooterEncodingOrder() throws Exception {
    Path output = tmp.resolve("out");
    String location = output.toString();
    assertEquals(0, runToEnd(location, true, Map.of(), "first"), log("first"));
    Map<String, String> first = parquetHashes(output, false);
    assertEquals(0, runToEnd(location, true, Map.of(), "second"), log("second"));
    assertEquals(first, parquetHashes(output, false));
  }

  private static Map<String, String> pauseAt(String point, Path marker) {
    return Map.of(
        "spark.hadoop.fs." + SlowCommitFileSystem.SCHEME + ".impl",
        SlowCommitFileSystem.class.getName(),
        "spark.hadoop.fs." + SlowCommitFileSystem.SCHEME + ".impl.disable.cache",
        "true",
        SlowCommitFileSystem.PAUSE,
        point,
        SlowCommitFileSystem.MARKER,
        marker.toString());
  }

  /** Starts the job's Main in a child JVM (Spark local[2]); output and errors go to a log. */
  private Process start(
      String output, boolean overwrite, Map<String, String> properties, String name)
      throws IOException {
    Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-" + name));
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")) {
        command.add(argument);
      }
    }
    command.add("-Djava.io.tmpdir=" + jvmTmp);
    command.add("-Dspark.master=local[2]");
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dspark.local.dir=" + jvmTmp);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
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
            "1024",
            "--partitions",
            "4",
            "--window-tokens",
            "200000",
            "--output",
            output));
    if (overwrite) {
      command.add("--overwrite");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve(name + ".log").toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().put("DJL_OFFLINE", "true");
    builder.environment().put("OPT_OUT_TRACKING", "true");
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private int runToEnd(
      String output, boolean overwrite, Map<String, String> properties, String name)
      throws IOException, InterruptedException {
    Process process = start(output, overwrite, properties, name);
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("run '" + name + "' timed out\n" + log(name));
    }
    return process.exitValue();
  }

  /** Waits until {@code condition} holds while {@code process} runs; fails if it ends first. */
  private void awaitOrFail(Process process, Condition condition, String what, String name)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.holds()) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "the run ended (exit " + process.exitValue() + ") before " + what + "\n" + log(name));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + what + " within " + TIMEOUT_SECONDS + " s\n" + log(name));
      }
      Thread.sleep(10);
    }
  }

  private interface Condition {
    boolean holds() throws IOException;
  }

  private String log(String name) {
    try {
      List<String> lines = Files.readAllLines(tmp.resolve(name + ".log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Part files in the hidden staging folders beside {@code output} ({@code _staging-<name>-*}). */
  private static long stagedPartFiles(Path output) throws IOException {
    long count = 0;
    String prefix = "_staging-" + output.getFileName() + "-";
    try (Stream<Path> children = Files.list(output.getParent())) {
      for (Path staging : (Iterable<Path>) children::iterator) {
        if (staging.getFileName().toString().startsWith(prefix)) {
          count += count(staging, name -> name.matches("part-\\d{5}\\.parquet"));
        }
      }
    }
    return count;
  }

  private static long count(Path folder, Predicate<String> names) throws IOException {
    try (Stream<Path> children = Files.list(folder)) {
      return children.filter(p -> names.test(p.getFileName().toString())).count();
    } catch (java.nio.file.NoSuchFileException e) {
      return 0; // removed while listing: the run moved on
    }
  }

  private static List<String> topLevelParquet(Path output) throws IOException {
    return listing(output).stream().filter(name -> name.endsWith(".parquet")).toList();
  }

  /** Names at the top of {@code output}, with "/" after folders and their entries in brackets. */
  /** Staging or set-aside folders of runs of {@code output} left beside it. */
  private static List<String> leftovers(Path output) throws IOException {
    String name = output.getFileName().toString();
    try (Stream<Path> children = Files.list(output.getParent())) {
      return children
          .map(p -> p.getFileName().toString())
          .filter(
              n ->
                  n.startsWith("_staging-" + name + "-") || n.startsWith("_replaced-" + name + "-"))
          .sorted()
          .toList();
    }
  }

  private static List<String> listing(Path output) throws IOException {
    List<String> names = new ArrayList<>();
    try (Stream<Path> children = Files.list(output)) {
      for (Path child : (Iterable<Path>) children.sorted()::iterator) {
        String name = child.getFileName().toString();
        if (Files.isDirectory(child)) {
          try (Stream<Path> inner = Files.list(child)) {
            name += "/" + inner.map(p -> p.getFileName().toString()).sorted().toList();
          }
        }
        names.add(name);
      }
    }
    return names;
  }

  /**
   * SHA-256 of each part file; with {@code sortEncodings}, of the file with each column chunk's
   * encodings list in the footer sorted (all other bytes as they are).
   */
  private static Map<String, String> parquetHashes(Path output, boolean sortEncodings)
      throws IOException, NoSuchAlgorithmException {
    Map<String, String> hashes = new TreeMap<>();
    for (String name : topLevelParquet(output)) {
      byte[] bytes = Files.readAllBytes(output.resolve(name));
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      if (sortEncodings) {
        int footerLength =
            ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int footerStart = bytes.length - 8 - footerLength;
        FileMetaData footer =
            Util.readFileMetaData(new ByteArrayInputStream(bytes, footerStart, footerLength));
        for (RowGroup group : footer.getRow_groups()) {
          for (ColumnChunk column : group.getColumns()) {
            List<Encoding> encodings = new ArrayList<>(column.getMeta_data().getEncodings());
            encodings.sort(Comparator.comparingInt(Encoding::getValue));
            column.getMeta_data().setEncodings(encodings);
          }
        }
        ByteArrayOutputStream normalized = new ByteArrayOutputStream();
        Util.writeFileMetaData(footer, normalized);
        digest.update(bytes, 0, footerStart);
        digest.update(normalized.toByteArray());
      } else {
        digest.update(bytes);
      }
      hashes.put(name, HexFormat.of().formatHex(digest.digest()));
    }
    return hashes;
  }
}
