package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.core.RunReport;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.verify.VerifyRuns;

/**
 * {@code --seq-len 512,2048}: one reading and tokenization, one complete output per length under
 * {@code L=<n>/}, each holding exactly the rows of a run of that length alone.
 */
class SeveralLengthsTest {
  static JobRunner job(Path output, String seqLens) {
    return new JobRunner(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", output)
        .with(JobOptions.SEQ_LEN, seqLens)
        .with(JobOptions.PARTITIONS, 2)
        .with(JobOptions.EMIT_SEQ_LENS, true);
  }

  static List<RunReport> runLengths(JobRunner job) {
    return PrepareJob.prepare(job.config(), new SparkConf()).runLengths(SharedSpark.get(), null);
  }

  /** stats.json without what differs between any two runs (run ids, timings, versions). */
  static JsonNode comparable(Path output) throws Exception {
    ObjectNode stats = (ObjectNode) JSON.readTree(output.resolve("stats.json").toFile());
    for (String field : List.of("run", "wall_seconds", "task_seconds", "versions")) {
      stats.remove(field);
    }
    ((ObjectNode) stats.get("tokenizer")).remove("path");
    return stats;
  }

  @Test
  void eachLengthIsARunOfThatLengthAloneFromOneTokenization(@TempDir Path tmp) throws Exception {
    Path several = tmp.resolve("several");
    List<RunReport> reports = runLengths(job(several, "512,2048"));
    assertEquals(2, reports.size());
    JsonNode top = JSON.readTree(several.resolve("stats.json").toFile());
    assertTrue(Files.exists(several.resolve("_SUCCESS")));
    assertEquals("[512,2048]", top.get("seq_lens").toString());
    int i = 0;
    for (int seqLen : List.of(512, 2048)) {
      Path lane = several.resolve("L=" + seqLen);
      Path alone = tmp.resolve("alone-" + seqLen);
      job(alone, Integer.toString(seqLen)).run();
      List<OutputReader.Row> expected = OutputReader.rows(alone);
      List<OutputReader.Row> actual = OutputReader.rows(lane);
      assertEquals(expected.size(), actual.size(), "rows at L = " + seqLen);
      for (int r = 0; r < expected.size(); r++) {
        assertArrayEquals(expected.get(r).inputIds(), actual.get(r).inputIds(), "row " + r);
        assertArrayEquals(expected.get(r).segmentIds(), actual.get(r).segmentIds());
        assertArrayEquals(expected.get(r).positionIds(), actual.get(r).positionIds());
        assertArrayEquals(expected.get(r).lossMask(), actual.get(r).lossMask());
      }
      assertEquals(comparable(alone), comparable(lane), "stats.json at L = " + seqLen);
      assertEquals(expected.size(), reports.get(i).stats().rows);
      JsonNode output = top.get("outputs").get(i++);
      assertEquals("L=" + seqLen, output.get("path").asText());
      assertEquals(expected.size(), output.get("rows").asLong());
      VerifyRuns.assertClean(lane, "--sample", "50");
    }
    // verify on the top folder verifies every length, and misses the top _SUCCESS.
    VerifyRuns.Verification all = VerifyRuns.assertClean(several, "--sample", "10");
    assertTrue(all.out().contains("L=512") && all.out().contains("L=2048"), all.out());
    Files.delete(several.resolve("_SUCCESS"));
    VerifyRuns.Verification broken = VerifyRuns.verify(several, "--sample", "10");
    assertEquals(1, broken.exit(), broken.out());
    broken.assertHas("_SUCCESS: is missing: not every length was committed");
    // Documents longer than 512 are split only in the 512 output.
    assertTrue(
        reports.get(0).stats().documentsSplit > reports.get(1).stats().documentsSplit,
        "split at 512: " + reports.get(0).stats().documentsSplit);
  }

  @Test
  void anotherRunWithOverwriteLeavesOnlyItsLengths(@TempDir Path tmp) throws Exception {
    Path output = tmp.resolve("out");
    runLengths(job(output, "512,1024"));
    runLengths(job(output, "1024,300").with(JobOptions.OVERWRITE, true));
    try (var entries = Files.list(output)) {
      assertEquals(
          List.of("L=1024", "L=300", "_SUCCESS", "stats.json"),
          entries
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("."))
              .sorted()
              .toList());
    }
    assertFalse(Files.exists(output.resolve("L=512")));
    assertEquals(
        "[1024,300]",
        JSON.readTree(output.resolve("stats.json").toFile()).get("seq_lens").toString());
  }
}
