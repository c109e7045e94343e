package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.ChildJob;
import org.seqpack.TestJson;
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
 *
 * <p>Committed by manifest (as on object stores), a killed run's files lie in the output folder
 * beside the previous output's, which its manifest still lists whole; the next run removes them.
 * And {@code --resume} after a kill keeps the partitions that finished (their files untouched),
 * computes the rest and writes a clean run's bytes, under either commit; with a changed
 * configuration it is refused, naming the keys.
 */
class KilledRunTest {
  // test-data/europarl-1k.txt eight times in the input: 8,000 lines, about 9.5 MB, several
  // seconds of tokenizing on two cores.
  private static final int COPIES = 8;

  @TempDir static Path shared;
  private static Path input;

  @TempDir Path tmp;

  private ChildJob children;

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

  @BeforeEach
  void children() {
    children = new ChildJob(tmp);
  }

  @AfterEach
  void stopChildren() {
    children.close();
  }

  @Test
  void killedDuringTasksKeepsThePreviousOutputAndRerunIsByteIdentical() throws Exception {
    Path output = tmp.resolve("out");
    String location = output.toString();

    // A clean run to completion; its Parquet bytes are the reference.
    assertEquals(0, runToEnd(location, true, Map.of(), "clean"), log("clean"));
    Map<String, String> clean = parquetHashes(output, true);
    assertTrue(clean.size() >= 2, "expected several part files: " + clean);
    assertEquals(0, VerifyRuns.verify(output).exit());

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
    assertEquals(0, VerifyRuns.verify(output).exit());
    assertTrue(stagedPartFiles(output) > 0);

    // A rerun with --overwrite writes the clean run's bytes and removes the killed run's staging.
    assertEquals(0, runToEnd(location, true, Map.of(), "rerun"), log("rerun"));
    // Every byte is the same except, possibly, the order of each column chunk's encodings list in
    // the footer (see rerunIsByteIdenticalIncludingFooterEncodingOrder).
    assertEquals(clean, parquetHashes(output, true));
    assertEquals(List.of(), leftovers(output));
    VerifyRuns.Verification rerun = VerifyRuns.verify(output);
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

  @Test
  void aKilledRunCommittedByManifestLeavesThePreviousOutputWholeAndTheNextRunClearsItsFiles()
      throws Exception {
    Path output = tmp.resolve("out");
    String location = output.toString();
    List<String> manifest = List.of("--commit", "manifest");
    assertEquals(0, runToEnd(location, true, Map.of(), "clean", manifest), log("clean"));
    Map<String, String> clean = parquetHashes(output, true);
    List<String> cleanFiles = manifestFiles(output);

    Process killed = start(location, true, Map.of(), "killed", manifest);
    awaitOrFail(killed, () -> finishedPartitions(output) > 0, "a finished partition", "killed");
    ChildJob.kill(killed);
    // The killed run's files lie in the output folder beside the previous output's files, which
    // the manifest still lists, whole and unchanged.
    List<String> strays = unlisted(output);
    System.out.println("after kill -9 of a manifest commit, " + output + " also holds " + strays);
    assertFalse(strays.isEmpty());
    assertEquals(cleanFiles, manifestFiles(output));
    assertEquals(clean, parquetHashes(output, true));
    VerifyRuns.Verification after = VerifyRuns.verify(output);
    assertEquals(0, after.exit(), after.out());
    after.assertHas("not in _manifest.json: left by runs that never committed");

    assertEquals(0, runToEnd(location, true, Map.of(), "rerun", manifest), log("rerun"));
    assertEquals(clean, parquetHashes(output, true));
    assertEquals(List.of(), unlisted(output));
    assertEquals(List.of(), leftovers(output));
  }

  private static Map<String, String> reference;

  /** The Parquet bytes of a clean run, by partition (the same under either commit). */
  private Map<String, String> reference() throws Exception {
    if (reference == null) {
      Path clean = shared.resolve("clean");
      assertEquals(0, runToEnd(clean.toString(), false, Map.of(), "reference"), log("reference"));
      reference = parquetHashes(clean, true);
    }
    return reference;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rename", "manifest"})
  void resumeAfterKill9KeepsTheFinishedPartitionsAndWritesACleanRunsBytes(String commit)
      throws Exception {
    Map<String, String> clean = reference();
    Path output = tmp.resolve("out");
    String location = output.toString();
    List<String> resume = List.of("--commit", commit, "--resume");

    // Nothing to resume yet: --resume starts a new run, killed once a partition finished.
    Process killed = start(location, false, Map.of(), "killed", resume);
    awaitOrFail(killed, () -> finishedPartitions(output) > 0, "a finished partition", "killed");
    ChildJob.kill(killed);
    assertTrue(log("killed").contains("no unfinished run of"), log("killed"));
    Map<String, FileTime> finished = finishedFiles(output, commit);

    // The same run with another configuration is refused, naming what differs, and keeps it.
    List<String> changed = new ArrayList<>(resume);
    changed.addAll(List.of("--seed", "7", "--zstd-level", "5"));
    assertEquals(1, runToEnd(location, false, Map.of(), "changed", changed), log("changed"));
    assertTrue(log("changed").contains("cannot continue run"), log("changed"));
    assertTrue(log("changed").contains("pack.seed ('0' then, '7' now)"), log("changed"));
    assertTrue(log("changed").contains("output.zstd-level ('3' then, '5' now)"), log("changed"));
    assertEquals(finished, finishedFiles(output, commit));

    assertEquals(0, runToEnd(location, false, Map.of(), "resumed", resume), log("resumed"));
    Matcher resumed =
        Pattern.compile("resuming run [0-9a-f]+ of .*: (\\d+) of 4 partitions finished")
            .matcher(log("resumed"));
    assertTrue(resumed.find(), log("resumed"));
    int kept = Integer.parseInt(resumed.group(1));
    System.out.println(commit + ": resumed with " + kept + " of 4 partitions kept");
    assertTrue(kept > 0 && kept < 4, "kept " + kept + " of 4: nothing would be recomputed");
    assertEquals(finished.size(), kept);
    assertEquals(
        kept,
        TestJson.JSON
            .readTree(Files.readString(output.resolve("stats.json")))
            .get("run")
            .get("resumed_partitions")
            .asInt());
    // The kept files were not written again; every file has a clean run's bytes.
    for (Map.Entry<String, FileTime> file : finished.entrySet()) {
      assertEquals(
          file.getValue(),
          Files.getLastModifiedTime(output.resolve(file.getKey())),
          file.getKey() + " was rewritten");
    }
    assertEquals(clean, parquetHashes(output, true));
    VerifyRuns.Verification verified = VerifyRuns.verify(output);
    assertEquals(0, verified.exit(), verified.out());
    assertEquals(List.of(), unlisted(output));
    assertEquals(List.of(), leftovers(output));
  }

  @Test
  void severalLengthsResumeWhatEveryLengthFinished() throws Exception {
    List<String> lengths = List.of("--seq-len", "1024,2048", "--resume");
    Path clean = tmp.resolve("clean");
    assertEquals(0, runToEnd(clean.toString(), false, Map.of(), "clean-several", lengths));
    Path output = tmp.resolve("out");
    Process killed = start(output.toString(), false, Map.of(), "killed-several", lengths);
    awaitOrFail(
        killed,
        () -> Files.isDirectory(output) && finishedPartitions(output.resolve("L=2048")) > 0,
        "a partition finished at both lengths",
        "killed-several");
    ChildJob.kill(killed);
    assertFalse(Files.exists(output.resolve("_SUCCESS")));

    assertEquals(
        0,
        runToEnd(output.toString(), false, Map.of(), "resumed-several", lengths),
        log("resumed-several"));
    Matcher resumed =
        Pattern.compile("resuming run [0-9a-f]+ of .*L=2048: (\\d+) of 4 partitions finished")
            .matcher(log("resumed-several"));
    assertTrue(resumed.find(), log("resumed-several"));
    int kept = Integer.parseInt(resumed.group(1));
    assertTrue(kept > 0 && kept < 4, "kept " + kept + " of 4");
    for (String length : List.of("L=1024", "L=2048")) {
      assertEquals(
          parquetHashes(clean.resolve(length), true),
          parquetHashes(output.resolve(length), true),
          length + " has a clean run's bytes");
      assertEquals(
          kept,
          TestJson.JSON
              .readTree(Files.readString(output.resolve(length).resolve("stats.json")))
              .at("/run/resumed_partitions")
              .asInt());
      VerifyRuns.assertClean(output.resolve(length));
      assertEquals(List.of(), leftovers(output.resolve(length)));
    }
    assertTrue(Files.exists(output.resolve("_SUCCESS")));
  }

  /** Partitions with a record in a run folder of {@code output}: finished. */
  private static long finishedPartitions(Path output) throws IOException {
    long count = 0;
    for (Path run : runFolders(output)) {
      count += count(run.resolve("_partitions"), name -> name.matches("part-\\d{5}\\.json"));
    }
    return count;
  }

  /**
   * The data files of the finished partitions of the one unfinished run of {@code output}, with
   * their modification times, by name relative to the output folder.
   */
  private static Map<String, FileTime> finishedFiles(Path output, String commit)
      throws IOException {
    List<Path> runs = runFolders(output);
    assertEquals(1, runs.size(), runs.toString());
    Path data = commit.equals("rename") ? runs.get(0) : output;
    Map<String, FileTime> files = new TreeMap<>();
    try (Stream<Path> records = Files.list(runs.get(0).resolve("_partitions"))) {
      for (Path record : (Iterable<Path>) records::iterator) {
        if (record.getFileName().toString().endsWith(".json")) {
          for (JsonNode entry : TestJson.JSON.readTree(record.toFile()).get("files")) {
            String file = entry.get("path").textValue();
            files.put(file, Files.getLastModifiedTime(data.resolve(file)));
          }
        }
      }
    }
    return files;
  }

  private static List<Path> runFolders(Path output) throws IOException {
    String prefix = "_staging-" + output.getFileName() + "-";
    try (Stream<Path> children = Files.list(output.getParent())) {
      return children.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  /** Top-level entries of {@code output} that are not part of the output its manifest lists. */
  private static List<String> unlisted(Path output) throws IOException {
    List<String> listed = manifestFiles(output);
    List<String> names = new ArrayList<>();
    try (Stream<Path> children = Files.list(output)) {
      for (Path child : (Iterable<Path>) children.sorted()::iterator) {
        String name = child.getFileName().toString();
        if (!name.startsWith(".")
            && !listed.contains(name)
            && !List.of("_manifest.json", "stats.json", "_SUCCESS", "_rejected").contains(name)) {
          names.add(name);
        }
      }
    }
    return names;
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
    return start(output, overwrite, properties, name, List.of());
  }

  private Process start(
      String output,
      boolean overwrite,
      Map<String, String> properties,
      String name,
      List<String> extra)
      throws IOException {
    List<String> args =
        new ArrayList<>(
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
      args.add("--overwrite");
    }
    args.addAll(extra);
    return children.start(name, properties, args);
  }

  private int runToEnd(
      String output, boolean overwrite, Map<String, String> properties, String name)
      throws IOException, InterruptedException {
    return runToEnd(output, overwrite, properties, name, List.of());
  }

  private int runToEnd(
      String output,
      boolean overwrite,
      Map<String, String> properties,
      String name,
      List<String> extra)
      throws IOException, InterruptedException {
    Process process = start(output, overwrite, properties, name, extra);
    if (!process.waitFor(ChildJob.TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("run '" + name + "' timed out\n" + log(name));
    }
    return process.exitValue();
  }

  private void awaitOrFail(Process process, ChildJob.Condition condition, String what, String name)
      throws Exception {
    children.awaitOrFail(process, condition, what, name);
  }

  private String log(String name) {
    return children.log(name);
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

  /** The data files _manifest.json lists. */
  private static List<String> manifestFiles(Path output) throws IOException {
    List<String> files = new ArrayList<>();
    for (JsonNode file :
        TestJson.JSON.readTree(Files.readString(output.resolve("_manifest.json"))).get("files")) {
      files.add(file.get("path").textValue());
    }
    return files;
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
   * SHA-256 of each data file the manifest lists, by partition ({@code part-NNNNN}); with {@code
   * sortEncodings}, of the file with each column chunk's encodings list in the footer sorted (all
   * other bytes as they are).
   */
  private static Map<String, String> parquetHashes(Path output, boolean sortEncodings)
      throws IOException, NoSuchAlgorithmException {
    Map<String, String> hashes = new TreeMap<>();
    for (String name : manifestFiles(output)) {
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
      hashes.put(
          name.substring(0, "part-NNNNN".length()), HexFormat.of().formatHex(digest.digest()));
    }
    return hashes;
  }
}
