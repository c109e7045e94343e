package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestPaths;

/**
 * The same documents spread over 1, 10 or 2,000 files give the same rows, near enough: small files
 * are read together (spark.SizeCoalescer) instead of one partition, and one Parquet file, each.
 */
class LayoutIndependenceTest {
  private static final int SEQ_LEN = 1024;

  @TempDir static Path shared;
  private static List<String> documents;
  private static JsonNode oneFile;

  @BeforeAll
  static void oneFileReference() throws Exception {
    List<String> lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
    documents = new ArrayList<>(lines);
    documents.addAll(lines); // 2,000 documents
    oneFile = run(1);
  }

  @ParameterizedTest(name = "{0} files")
  @ValueSource(ints = {10, 2000})
  void manyFilesGiveTheRowsOfOne(int files) throws Exception {
    JsonNode many = run(files);
    assertEquals(2000, many.get("documents").get("read").asLong());
    assertEquals(oneFile.get("documents").get("packed"), many.get("documents").get("packed"));
    assertEquals(oneFile.get("tokens"), many.get("tokens"));
    long rows = oneFile.get("rows").asLong();
    assertTrue(
        Math.abs(many.get("rows").asLong() - rows) <= rows / 100,
        many.get("rows") + " rows against " + rows);
    assertEquals(
        oneFile.get("fill").asDouble(), many.get("fill").asDouble(), 0.001, "fill within 0.1");
    assertEquals(oneFile.get("files").size(), many.get("files").size(), "Parquet files written");
    assertEquals(oneFile.get("partitions"), many.get("partitions"));
  }

  /** Writes the documents into {@code files} files of consecutive lines; returns the stats. */
  private static JsonNode run(int files) throws IOException {
    Path input = shared.resolve("in-" + files);
    Files.createDirectories(input);
    int per = (documents.size() + files - 1) / files;
    for (int f = 0; f * per < documents.size(); f++) {
      List<String> part = documents.subList(f * per, Math.min(documents.size(), (f + 1) * per));
      Files.write(input.resolve(String.format("part-%05d.txt", f)), part, StandardCharsets.UTF_8);
    }
    Path output = shared.resolve("out-" + files);
    new JobRunner(input, "text", output).with(JobOptions.SEQ_LEN, SEQ_LEN).run();
    return JSON.readTree(output.resolve("stats.json").toFile());
  }
}
