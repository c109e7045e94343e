package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/** Packing strategies and sequence-length policies through the real job, checked with DuckDB. */
class PackingOptionsTest {
  private static final int EOS = 50256;
  private static final int SEQ_LEN = 256;

  @TempDir static Path tmp;
  private static Path corpus;

  /** Token counts (text ids + EOS) of the corpus documents, in order. */
  private static List<int[]> documents;

  @BeforeAll
  static void corpus() throws Exception {
    Path root = TestPaths.projectRoot();
    List<String> lines =
        Files.readAllLines(root.resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8)
            .subList(0, 300);
    corpus = tmp.resolve("corpus.txt");
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    Path dir = root.resolve("test-data/tokenizers/gpt2");
    TokenizerSpec spec =
        TokenizerSpec.parse("gpt2", Files.readAllBytes(dir.resolve("tokenizer.json")), null, false);
    documents = new ArrayList<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      for (String line : lines) {
        int[] ids = encoder.encode(line);
        int[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = EOS;
        documents.add(withEos);
      }
    }
  }

  private static JsonNode stats(Path output) throws Exception {
    return JSON.readTree(Files.readString(output.resolve("stats.json")));
  }

  @Test
  void ffdWithTruncateTailKeepsTheFirstLTokensAndCountsTheLoss() throws Exception {
    Path output = tmp.resolve("ffd-truncate");
    new JobRunner(corpus, "text", output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.PACKING, "ffd")
        .with(JobOptions.LONG_DOCS, "truncate-tail")
        .with(JobOptions.POSITIONS, "continuous")
        .run();
    List<OutputReader.Row> rows = OutputReader.rows(output);
    Map<String, Integer> expected = new HashMap<>();
    long truncated = 0;
    long lost = 0;
    for (int[] document : documents) {
      if (document.length > SEQ_LEN) {
        truncated++;
        lost += document.length - SEQ_LEN;
      }
      int[] kept = Arrays.copyOf(document, Math.min(SEQ_LEN, document.length));
      expected.merge(Arrays.toString(kept), 1, Integer::sum);
    }
    Map<String, Integer> actual = new HashMap<>();
    long tokens = 0;
    for (OutputReader.Row row : rows) {
      for (int i = 0; i < row.numTokens(); i++) {
        assertEquals(i, row.positionIds()[i], "continuous positions count across the row");
      }
      for (int[] segment : RowInvariants.segments(row)) {
        actual.merge(Arrays.toString(segment), 1, Integer::sum);
      }
      tokens += row.numTokens();
    }
    assertEquals(expected, actual);
    JsonNode stats = stats(output);
    assertEquals(truncated, stats.get("documents").get("truncated").asLong());
    assertTrue(truncated > 0);
    assertEquals(lost, stats.get("tokens_lost").asLong());
    assertEquals(tokens, stats.get("tokens").asLong());
    assertEquals(rows.size(), stats.get("rows").asLong());
    assertEquals("ffd", stats.get("config").get("pack.strategy").textValue());
  }

  @Test
  void noneWithVariableRowsAndDropPutsOneDocumentPerRow() throws Exception {
    Path output = tmp.resolve("none-variable-drop");
    // A threshold that rejects about a tenth of the documents.
    int minTokens =
        documents.stream()
            .mapToInt(d -> d.length - 1)
            .sorted()
            .skip(documents.size() / 10)
            .findFirst()
            .getAsInt();
    new JobRunner(corpus, "text", output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.PACKING, "none")
        .with(JobOptions.LONG_DOCS, "drop")
        .with(JobOptions.ROW_LENGTH, "variable")
        .with(JobOptions.PAD_TO_MULTIPLE_OF, 64)
        .with(JobOptions.MIN_DOC_TOKENS, minTokens)
        .run();
    long kept = 0;
    long dropped = 0;
    long tooShort = 0;
    for (int[] document : documents) {
      if (document.length - 1 < minTokens) {
        tooShort++;
      } else if (document.length > SEQ_LEN) {
        dropped++;
      } else {
        kept++;
      }
    }
    List<OutputReader.Row> rows = OutputReader.rows(output);
    assertEquals(kept, rows.size());
    long capacity = 0;
    for (OutputReader.Row row : rows) {
      assertEquals(1, row.numSegments());
      int length = row.inputIds().length;
      assertEquals((row.numTokens() + 63) / 64 * 64, length, "variable row length");
      assertEquals(List.of(), RowInvariants.violations(row, length, EOS));
      capacity += length;
    }
    JsonNode stats = stats(output);
    JsonNode docs = stats.get("documents");
    assertEquals(dropped, docs.get("dropped").asLong());
    assertTrue(dropped > 0 && tooShort > 0, dropped + " dropped, " + tooShort + " too short");
    assertEquals(dropped, docs.get("rejected").get("too_long").asLong());
    assertEquals(tooShort, docs.get("rejected").get("too_short").asLong());
    assertEquals(documents.size(), docs.get("read").asLong());
    assertEquals(kept, docs.get("packed").asLong());
    long tokens = rows.stream().mapToLong(OutputReader.Row::numTokens).sum();
    assertEquals((double) tokens / capacity, stats.get("fill").asDouble(), 1e-12);
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndAnotherSeedReordersRows() throws Exception {
    Path output = tmp.resolve("deterministic");
    JobRunner runner =
        new JobRunner(corpus, "text", output)
            .with(JobOptions.SEQ_LEN, SEQ_LEN)
            .with(JobOptions.PARTITIONS, 2)
            .with(JobOptions.OVERWRITE, true)
            .with(JobOptions.SEED, 7);
    runner.run();
    Map<String, String> first = fileHashes(output);
    List<OutputReader.Row> firstRows = OutputReader.rows(output);
    runner.run();
    assertEquals(first, fileHashes(output));

    runner.with(JobOptions.SEED, 8).run();
    List<OutputReader.Row> reseeded = OutputReader.rows(output);
    assertEquals(segmentsOf(firstRows), segmentsOf(reseeded));
    assertNotEquals(rowKeys(firstRows), rowKeys(reseeded));
  }

  @Test
  void maxSegmentsPerRowIsRespected() throws Exception {
    Path output = tmp.resolve("max-segments");
    new JobRunner(corpus, "text", output)
        .with(JobOptions.SEQ_LEN, 1024)
        .with(JobOptions.MAX_SEGMENTS, 2)
        .run();
    for (OutputReader.Row row : OutputReader.rows(output)) {
      assertTrue(row.numSegments() <= 2, "segments " + row.numSegments());
      assertEquals(List.of(), RowInvariants.violations(row, 1024, EOS));
    }
  }

  private static Map<String, Integer> segmentsOf(List<OutputReader.Row> rows) {
    Map<String, Integer> segments = new TreeMap<>();
    for (OutputReader.Row row : rows) {
      for (int[] segment : RowInvariants.segments(row)) {
        segments.merge(Arrays.toString(segment), 1, Integer::sum);
      }
    }
    return segments;
  }

  private static List<String> rowKeys(List<OutputReader.Row> rows) {
    return rows.stream().map(r -> Arrays.toString(r.inputIds())).toList();
  }

  private static Map<String, String> fileHashes(Path output) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        hashes.put(file.getFileName().toString(), TokenizerSpec.sha256(Files.readAllBytes(file)));
      }
    }
    assertTrue(hashes.size() >= 2, hashes.toString());
    return hashes;
  }
}
