package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What --resume compares, and the run and partition records it reads back. */
class RunIdentityTest {
  private static RunIdentity identity(Map<String, String> config, int partitions) {
    return new RunIdentity(
        "0123456789ab",
        1_700_000_000_000L,
        "rename",
        config,
        "tok",
        "",
        "in",
        3,
        300,
        partitions,
        "b1");
  }

  @Test
  void theSameRunHasNoDifferencesWhateverItsIdAndStart() {
    RunIdentity then = identity(Map.of("pack.seq-len", "1024"), 4);
    assertEquals(List.of(), then.differences(then.as("ffffffffffff", 5)));
  }

  @Test
  void everyDifferenceIsNamedWithBothValues() {
    Map<String, String> config = new TreeMap<>(Map.of("pack.seq-len", "1024", "pack.seed", "0"));
    RunIdentity then = identity(config, 4);
    config.put("pack.seq-len", "2048");
    config.remove("pack.seed");
    config.put("sft.train-on-prompt", "true");
    RunIdentity now =
        new RunIdentity("x", 2, "manifest", config, "tok2", "tpl", "in2", 4, 400, 8, "b2");
    assertEquals(
        List.of(
            "pack.seed ('0' then, absent now)",
            "pack.seq-len ('1024' then, '2048' now)",
            "sft.train-on-prompt (absent then, 'true' now)",
            "the tokenizer's content (SHA-256 tok then, tok2 now)",
            "the chat template's content (SHA-256 '' then, 'tpl' now)",
            "the input files (paths, sizes or modification times: 3 files of 300 bytes then, 4"
                + " files of 400 bytes now)",
            "the input's partitions (4 then, 8 now; the default follows the cores, pass"
                + " --partitions 4 to match)",
            "the seqpack build (b1 then, b2 now)",
            "output.commit (rename then, manifest now)"),
        then.differences(now));
  }

  @Test
  void aRunRecordReadsBackAsWritten() throws IOException {
    RunIdentity run = identity(Map.of("pack.seq-len", "1024", "input.paths", "a,b"), 4);
    assertEquals(run, RunIdentity.parse(run.toJson()));
  }

  @Test
  void anIncompleteRunRecordIsAnIOException() {
    byte[] json = identity(Map.of(), 1).toJson();
    byte[] cut =
        new String(json, StandardCharsets.UTF_8)
            .substring(0, json.length / 2)
            .getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> RunIdentity.parse(cut));
    assertThrows(
        IOException.class,
        () -> RunIdentity.parse("{\"config\": {}}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aPartitionRecordKeepsEveryCounter() throws IOException {
    PackStats stats = new PackStats();
    stats.documentsRead = 11;
    stats.documentsPacked = 9;
    stats.reject("empty");
    stats.reject("too_long");
    stats.rejectedRecordsWritten = 2;
    stats.rejectedExamples.add("in.txt at 3: empty");
    stats.tokens = 12_345;
    stats.rows = 7;
    stats.outputBytes = 4096;
    stats.writeNanos = 99;
    PartitionResult result =
        new PartitionResult(
            3,
            List.of(OutputFile.rows("part-00003.parquet", 4096, 7)),
            "part-00003.jsonl",
            210,
            stats);
    PartitionResult back = PartitionResult.parse(result.toJson());
    assertEquals(result.partition(), back.partition());
    assertEquals(result.files(), back.files());
    assertEquals(result.rejectedFile(), back.rejectedFile());
    assertEquals(result.rejectedBytes(), back.rejectedBytes());
    // Every field, through the JSON tree: a counter the record dropped would differ here.
    assertEquals(Json.compact(Json.tree(stats)), Json.compact(Json.tree(back.stats())));

    PartitionResult empty = new PartitionResult(0, List.of(), null, 0, new PackStats());
    assertEquals(List.of(), PartitionResult.parse(empty.toJson()).files());
    assertThrows(
        IOException.class,
        () -> PartitionResult.parse("{\"partition\": 1}".getBytes(StandardCharsets.UTF_8)));
  }
}
