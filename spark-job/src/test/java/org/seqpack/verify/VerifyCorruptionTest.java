package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqpack.TestJson.JSON;
import static org.seqpack.verify.VerifyRuns.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.verify.VerifyRuns.Verification;

/**
 * verify on the real job's output passes; on copies corrupted on purpose it names each problem
 * (file, row, column) and exits 1. Each rewritten file also gets its new size in stats.json and
 * _manifest.json, so that the violations reported are those of the corruption alone.
 */
class VerifyCorruptionTest {
  private static final int SEQ_LEN = 512;
  private static final int GPT2_EOS = 50256;

  @TempDir static Path shared;
  private static Path good;

  @TempDir Path tmp;

  @BeforeAll
  static void runJob() {
    good = shared.resolve("good");
    Map<OptionKey, Object> options =
        JobRuns.options(TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", good);
    options.put(JobOptions.SEQ_LEN, SEQ_LEN);
    options.put(JobOptions.PARTITIONS, 2);
    // Some documents are rejected as too_short, so that the output has _rejected/ records.
    options.put(JobOptions.MIN_DOC_TOKENS, 60);
    JobRuns.run(options);
  }

  private Path copyOfGood() throws IOException {
    Path copy = tmp.resolve("copy");
    try (Stream<Path> files = Files.walk(good)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Files.copy(from, copy.resolve(good.relativize(from).toString()));
      }
    }
    return copy;
  }

  /** Rewrites the sizes stats.json and _manifest.json give to the files' sizes now. */
  private static void restat(Path output) throws IOException {
    Path manifestPath = output.resolve("_manifest.json");
    ObjectNode manifest = (ObjectNode) JSON.readTree(Files.readString(manifestPath));
    for (String list : List.of("files", "rejected_files")) {
      for (JsonNode element : manifest.get(list)) {
        ObjectNode file = (ObjectNode) element;
        file.put("bytes", Files.size(output.resolve(file.get("path").textValue())));
      }
    }
    Files.writeString(
        manifestPath, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    Files.deleteIfExists(output.resolve("._manifest.json.crc"));
    Path stats = output.resolve("stats.json");
    ObjectNode json = (ObjectNode) JSON.readTree(Files.readString(stats));
    long total = 0;
    for (JsonNode element : json.get("files")) {
      ObjectNode file = (ObjectNode) element;
      long bytes = Files.size(output.resolve(file.get("name").textValue()));
      file.put("bytes", bytes);
      total += bytes;
    }
    json.put("output_bytes", total);
    Files.writeString(stats, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Files.deleteIfExists(output.resolve(".stats.json.crc"));
  }

  private static void rewrite(
      Path output,
      String file,
      List<ParquetRows.Row> rows,
      UnaryOperator<Map<String, String>> footer)
      throws IOException {
    ParquetRows.rewrite(output.resolve(file), rows, footer);
    restat(output);
  }

  /** Index of the first row matching, in the file's order. */
  private static int find(
      List<ParquetRows.Row> rows, java.util.function.Predicate<ParquetRows.Row> test) {
    for (int i = 0; i < rows.size(); i++) {
      if (test.test(rows.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no row fits the corruption");
  }

  @Test
  void goodOutputPasses() {
    Verification result = verify(good);
    assertEquals(0, result.exit(), result.out() + result.err());
    result.assertHas("OK: no violations");
    result.assertHas("checked: row invariants on ");
    result.assertHas("checked: stats.json against the data");
    result.assertHas("checked: round trip on ");
    result.assertHas("sentinels: special-token ids only as a segment's BOS (first) or EOS (last)");
    result.assertHas("checked: _rejected/: ");
  }

  @Test
  void lostRejectedRecord() throws IOException {
    Path output = copyOfGood();
    Path file;
    try (Stream<Path> files = Files.list(output.resolve("_rejected"))) {
      file = files.filter(p -> p.toString().endsWith(".jsonl")).sorted().findFirst().orElseThrow();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Files.write(file, lines.subList(1, lines.size()), StandardCharsets.UTF_8);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    restat(output);
    long total =
        JSON.readTree(Files.readString(output.resolve("stats.json")))
            .get("documents")
            .get("rejected_total")
            .asLong();

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("_rejected", "stats.json"), result.kinds(), result.out());
    result.assertHas(
        "_rejected: holds "
            + (total - 1)
            + " records; stats.json documents.rejected_total is "
            + total
            + " (every rejected document must be kept)");
    result.assertHas("stats.json rejected_records.records: is " + total);
  }

  @Test
  void rewritingWithoutChangePasses() throws IOException {
    // The control for the cases below: the example writer itself introduces no violation.
    Path output = copyOfGood();
    rewrite(
        output,
        "part-00000.parquet",
        ParquetRows.read(output.resolve("part-00000.parquet")),
        m -> m);
    Verification result = verify(output);
    assertEquals(0, result.exit(), result.out());
  }

  @Test
  void wrongPositionId() throws IOException {
    Path output = copyOfGood();
    List<ParquetRows.Row> rows = ParquetRows.read(output.resolve("part-00000.parquet"));
    int row = find(rows, r -> r.segmentIds()[3] == 1);
    rows.get(row).positionIds()[3] = 7;
    rewrite(output, "part-00000.parquet", rows, m -> m);

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("position_ids"), result.kinds(), result.out());
    result.assertHas(
        "part-00000.parquet row " + row + " position_ids[3]: is 7 after 2 in segment 1; must be 3");
  }

  @Test
  void segmentIdGap() throws IOException {
    Path output = copyOfGood();
    List<ParquetRows.Row> rows = ParquetRows.read(output.resolve("part-00001.parquet"));
    int row = find(rows, r -> r.numSegments >= 2);
    int[] segments = rows.get(row).segmentIds();
    int second = 0;
    while (segments[second] == 1) {
      second++;
    }
    for (int i = second; i < segments.length; i++) {
      if (segments[i] != 0) {
        segments[i]++;
      }
    }
    rewrite(output, "part-00001.parquet", rows, m -> m);

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("segment_ids"), result.kinds(), result.out());
    result.assertHas(
        "part-00001.parquet row "
            + row
            + " segment_ids["
            + second
            + "]: is 3 after 1; must be 1 or 2 (segments are numbered 1, 2, … in order, without"
            + " gaps)");
  }

  @Test
  void lossMaskOnPadding() throws IOException {
    Path output = copyOfGood();
    String name = "part-00000.parquet";
    List<ParquetRows.Row> rows = ParquetRows.read(output.resolve(name));
    int row = find(rows, r -> r.numTokens < SEQ_LEN);
    int padding = rows.get(row).numTokens;
    rows.get(row).lossMask()[padding] = 1;
    rewrite(output, name, rows, m -> m);

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    // The extra target also makes stats.json's target count disagree with the data.
    assertEquals(Set.of("padding", "stats.json"), result.kinds(), result.out());
    result.assertHas(
        name + " row " + row + " loss_mask[" + padding + "]: is 1 on padding; must be 0");
    result.assertHas("stats.json target_tokens: is ");
  }

  @Test
  void seqLensThatDisagreeWithSegmentIds() throws IOException {
    Path output = tmp.resolve("seq-lens");
    Map<OptionKey, Object> options =
        JobRuns.options(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", output);
    options.put(JobOptions.SEQ_LEN, SEQ_LEN);
    options.put(JobOptions.PARTITIONS, 2);
    options.put(JobOptions.EMIT_SEQ_LENS, true);
    JobRuns.run(options);
    Verification clean = verify(output);
    assertEquals(0, clean.exit(), clean.out());
    clean.assertHas("seq_lens: the lengths of segments 1..k in order");

    String name = "part-00000.parquet";
    List<ParquetRows.Row> rows = ParquetRows.read(output.resolve(name));
    int row = find(rows, r -> r.seqLens.length >= 2 && r.seqLens[0] != r.seqLens[1]);
    int[] lens = rows.get(row).seqLens;
    String before = Arrays.toString(lens);
    int first = lens[0];
    lens[0] = lens[1];
    lens[1] = first;
    rewrite(output, name, rows, m -> m);

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("seq_lens"), result.kinds(), result.out());
    result.assertHas(
        name
            + " row "
            + row
            + ": seq_lens is "
            + Arrays.toString(lens)
            + "; the segments in segment_ids have lengths "
            + before);
  }

  @Test
  void lossMaskZeroInsideSegmentAndPadTokenChanged() throws IOException {
    Path output = copyOfGood();
    String name = "part-00001.parquet";
    List<ParquetRows.Row> rows = ParquetRows.read(output.resolve(name));
    int masked = find(rows, r -> r.segmentIds()[5] == 1);
    rows.get(masked).lossMask()[5] = 0;
    int padded = find(rows, r -> r.numTokens < SEQ_LEN);
    rows.get(padded).ids()[SEQ_LEN - 1] = 11;
    rewrite(output, name, rows, m -> m);

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas(
        name
            + " row "
            + masked
            + " loss_mask[5]: is 0 inside segment 1; must be 1 (pretraining with long docs split:"
            + " every real token but a segment's first is a target)");
    result.assertHas(
        name
            + " row "
            + padded
            + " input_ids["
            + (SEQ_LEN - 1)
            + "]: is 11 on padding; must be the pad id "
            + GPT2_EOS);
  }

  @Test
  void truncatedFile() throws IOException {
    Path output = copyOfGood();
    Path file = output.resolve("part-00001.parquet");
    long size = Files.size(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size - 100);
    }
    Files.deleteIfExists(output.resolve(".part-00001.parquet.crc"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas(
        "part-00001.parquet: cannot be read as Parquet (" + (size - 100) + " bytes; truncated or");
    // Its rows are missing from the totals, so stats.json disagrees too.
    result.assertHas(
        "stats.json files: lists part-00001.parquet, which is not a readable data file");
    result.assertHas("stats.json rows: is ");
  }

  @Test
  void corruptPageIsCaughtByItsChecksum() throws IOException {
    Path output = copyOfGood();
    Path file = output.resolve("part-00000.parquet");
    byte[] bytes = Files.readAllBytes(file);
    // Inside the first column chunk's data, well before the footer.
    for (int i = 200; i < 210; i++) {
      bytes[i] ^= 0x5A;
    }
    Files.write(file, bytes);
    Files.deleteIfExists(output.resolve(".part-00000.parquet.crc"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas("part-00000.parquet: unreadable after row ");
  }

  @Test
  void missingStatsJson() throws IOException {
    Path output = copyOfGood();
    Files.delete(output.resolve("stats.json"));
    Files.deleteIfExists(output.resolve(".stats.json.crc"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("stats.json"), result.kinds(), result.out());
    result.assertHas("stats.json: is missing");
    result.assertHas(
        "skipped: pad id, BOS/EOS and special-id rules, round trip: the ids are in stats.json's"
            + " tokenizer, which is missing");
  }

  @Test
  void footerWithAnotherTokenizerSha() throws IOException {
    Path output = copyOfGood();
    String name = "part-00001.parquet";
    String recorded = ParquetRows.metadata(output.resolve(name)).get("seqpack.tokenizer.sha256");
    String other = "0".repeat(64);
    rewrite(
        output,
        name,
        ParquetRows.read(output.resolve(name)),
        m -> {
          m.put("seqpack.tokenizer.sha256", other);
          return m;
        });

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("footer"), result.kinds(), result.out());
    result.assertHas(
        name + ": seqpack.tokenizer.sha256 is " + other + "; stats.json records " + recorded);
  }

  @Test
  void footerWithAnotherConfiguration() throws IOException {
    Path output = copyOfGood();
    String name = "part-00000.parquet";
    rewrite(
        output,
        name,
        ParquetRows.read(output.resolve(name)),
        m -> {
          m.put(
              "seqpack.config",
              m.get("seqpack.config").replace("\"pack.seed\":\"0\"", "\"pack.seed\":\"9\""));
          return m;
        });

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas(
        name + ": seqpack.config differs from stats.json's config: pack.seed '0' vs '9'");
  }

  /** The recorded configuration is read by the job's own option declarations. */
  @Test
  void recordedConfigurationTheOptionsReject() throws IOException {
    Path output = copyOfGood();
    UnaryOperator<String> corrupt =
        config ->
            config
                .replace("\"pack.positions\":\"reset\"", "\"pack.positions\":\"sometimes\"")
                .replace("\"pack.stride\":\"0\",", "");
    for (String name : List.of("part-00000.parquet", "part-00001.parquet")) {
      rewrite(
          output,
          name,
          ParquetRows.read(output.resolve(name)),
          m -> {
            m.put("seqpack.config", corrupt.apply(m.get("seqpack.config")));
            return m;
          });
    }
    Path stats = output.resolve("stats.json");
    ObjectNode json = (ObjectNode) JSON.readTree(Files.readString(stats));
    ObjectNode config = (ObjectNode) json.get("config");
    config.put("pack.positions", "sometimes");
    config.remove("pack.stride");
    Files.writeString(stats, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Files.deleteIfExists(output.resolve(".stats.json.crc"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas("'pack.stride' is missing; a run records every option that shapes its rows");
    result.assertHas("'pack.positions' is 'sometimes'; must be one of reset, continuous");
  }

  @Test
  void injectedDataFile() throws IOException {
    Path output = copyOfGood();
    Files.copy(output.resolve("part-00000.parquet"), output.resolve("part-00002.parquet"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    result.assertHas("part-00002.parquet: is not listed in _manifest.json");
  }

  @Test
  void filesOfARunThatNeverCommittedAreNotRead() throws IOException {
    // A killed run committed by manifest leaves such files; readers go by the manifest.
    Path output = copyOfGood();
    Files.writeString(output.resolve("part-00000-0123456789ab-17.parquet"), "half an upload");
    Files.writeString(output.resolve("_rejected/part-00000-0123456789ab-17.jsonl"), "{");

    Verification result = verify(output);
    assertEquals(0, result.exit(), result.out());
    result.assertHas("skipped: 1 data file(s) not in _manifest.json: left by runs that never");
  }

  @Test
  void aListedFileMissingOrWithoutManifest() throws IOException {
    Path output = copyOfGood();
    Files.delete(output.resolve("part-00001.parquet"));
    Verification missing = verify(output);
    assertEquals(1, missing.exit(), missing.out());
    missing.assertHas("part-00001.parquet: is listed in _manifest.json but missing");

    Files.delete(output.resolve("_manifest.json"));
    Verification noManifest = verify(output);
    assertEquals(1, noManifest.exit(), noManifest.out());
    noManifest.assertHas("_manifest.json: is missing or unreadable");
  }

  @Test
  void tokenizerOtherThanRecorded() throws IOException {
    Path tokenizer = tmp.resolve("tokenizer.json");
    byte[] gpt2 =
        Files.readAllBytes(
            TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2/tokenizer.json"));
    Files.write(
        tokenizer,
        (new String(gpt2, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8));

    Verification result = verify(good, "--tokenizer", tokenizer.toString());
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("tokenizer"), result.kinds(), result.out());
    result.assertHas("tokenizer.json: has SHA-256 ");
    result.assertHas("; the output was made with ");
  }

  @Test
  void withoutSuccessMarker() throws IOException {
    Path output = copyOfGood();
    Files.delete(output.resolve("_SUCCESS"));
    Files.createDirectory(output.resolve("_staging-0123"));

    Verification result = verify(output);
    assertEquals(1, result.exit(), result.out());
    assertEquals(Set.of("folder"), result.kinds(), result.out());
    result.assertHas("_SUCCESS: is missing: the run did not commit");
    result.assertHas("_staging-0123: is a run's staging folder");
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, verify(good, "--sample", "many").exit());
    assertEquals(2, verify(good, "--bogus").exit());
    Verification noOutput =
        new Verification(
            new VerifyCommand(
                    List.of(),
                    new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()))
                .call(),
            "",
            "");
    assertEquals(2, noOutput.exit());
    Verification help = verify(good, "--help");
    assertEquals(0, help.exit());
    help.assertHas("Usage: seqpack verify --output PATH");
  }

  @Test
  void missingFolderIsAViolation() {
    Verification result = verify(tmp.resolve("absent"));
    assertEquals(1, result.exit(), result.out());
    result.assertHas("absent: does not exist");
  }
}
