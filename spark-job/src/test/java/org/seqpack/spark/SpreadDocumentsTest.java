package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.tokenizer.TestPaths;

/** One large unsplittable file is read by one task, then tokenized and packed on every core. */
class SpreadDocumentsTest {
  private static final int SEQ_LEN = 1024;

  @TempDir Path tmp;

  @Test
  void aSingleGzipIsPackedInAsManyPartitionsAsCoresLikeThePlainFile() throws Exception {
    Path plain = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt");
    Path gz = tmp.resolve("in/europarl-1k.txt.gz");
    Files.createDirectories(gz.getParent());
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, out);
    }
    JsonNode reference = run(plain, "plain");
    JsonNode spread = run(gz, "gz");
    int cores = SharedSpark.get().sparkContext().defaultParallelism();
    assertEquals(cores, spread.get("partitions").asInt());
    assertEquals(cores, spread.get("files").size());
    assertEquals(1000, spread.get("documents").get("packed").asLong());
    assertEquals(reference.get("tokens"), spread.get("tokens"));
    // Interleaved rather than contiguous halves: BFD may need a row more or fewer.
    long rows = reference.get("rows").asLong();
    assertTrue(
        Math.abs(spread.get("rows").asLong() - rows) <= Math.max(1, rows / 100),
        spread.get("rows") + " rows against " + rows);

    // The same input gives the same bytes, whatever the order tasks finished in.
    run(gz, "gz-again");
    for (JsonNode file : spread.get("files")) {
      String name = file.get("name").textValue();
      assertArrayEquals(
          Files.readAllBytes(tmp.resolve("out-gz").resolve(name)),
          Files.readAllBytes(tmp.resolve("out-gz-again").resolve(name)),
          name);
    }
  }

  private JsonNode run(Path input, String name) throws Exception {
    Path output = tmp.resolve("out-" + name);
    new JobRunner(input, "text", output).with(JobOptions.SEQ_LEN, SEQ_LEN).run();
    return JSON.readTree(output.resolve("stats.json").toFile());
  }
}
