package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * {@code tokenizer.engine}: auto runs the Java engine on the bundled GPT-2 tokenizer and writes the
 * rows DJL writes; another pre-tokenizer falls back to DJL (auto) or stops the run (java), saying
 * why; SFT keeps DJL; a sample that encodes differently is reported with both ids.
 */
class TokenizerEngineTest {
  static JobRunner job(Path output) {
    return new JobRunner(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", output)
        .with(JobOptions.SEQ_LEN, 512)
        .with(JobOptions.PARTITIONS, 2);
  }

  static JsonNode tokenizerStats(Path output) throws Exception {
    return JSON.readTree(output.resolve("stats.json").toFile()).get("tokenizer");
  }

  @Test
  void autoRunsTheJavaEngineAndWritesDjlsRows(@TempDir Path tmp) throws Exception {
    Path auto = tmp.resolve("auto");
    Path djl = tmp.resolve("djl");
    job(auto).run();
    job(djl).with(JobOptions.TOKENIZER_ENGINE, "djl").run();
    assertEquals("java", tokenizerStats(auto).get("engine").asText());
    assertTrue(
        tokenizerStats(auto).get("engine_reason").asText().contains("encodes to the same ids"),
        tokenizerStats(auto).toString());
    assertEquals(0, tokenizerStats(auto).get("texts_on_djl").asLong());
    assertEquals("djl", tokenizerStats(djl).get("engine").asText());
    assertEquals("'tokenizer.engine' is djl", tokenizerStats(djl).get("engine_reason").asText());
    List<OutputReader.Row> expected = OutputReader.rows(djl);
    List<OutputReader.Row> actual = OutputReader.rows(auto);
    assertEquals(expected.size(), actual.size());
    for (int r = 0; r < expected.size(); r++) {
      assertArrayEquals(expected.get(r).inputIds(), actual.get(r).inputIds(), "row " + r);
      assertArrayEquals(expected.get(r).segmentIds(), actual.get(r).segmentIds());
    }
    // The data files are the same bytes: outputs do not record the engine.
    for (String file : List.of("part-00000.parquet", "part-00001.parquet")) {
      assertArrayEquals(
          Files.readAllBytes(djl.resolve(file)), Files.readAllBytes(auto.resolve(file)), file);
    }
  }

  @Test
  void anotherPreTokenizerFallsBackToDjlOrStopsTheRun(@TempDir Path tmp) throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("gpt2-prefix-space"));
    Path gpt2 = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
    ObjectNode json = (ObjectNode) JSON.readTree(gpt2.resolve("tokenizer.json").toFile());
    ((ObjectNode) json.get("pre_tokenizer")).put("add_prefix_space", true);
    Files.writeString(folder.resolve("tokenizer.json"), json.toString());
    Files.copy(gpt2.resolve("tokenizer_config.json"), folder.resolve("tokenizer_config.json"));

    Path output = tmp.resolve("auto");
    job(output).with(JobOptions.TOKENIZER, folder).run();
    JsonNode stats = tokenizerStats(output);
    assertEquals("djl", stats.get("engine").asText());
    assertTrue(
        stats
            .get("engine_reason")
            .asText()
            .startsWith(
                "'tokenizer.engine' is auto and the"
                    + " tokenizer is not of its family: pre_tokenizer {\"type\":\"ByteLevel\","
                    + "\"add_prefix_space\":true"),
        stats.toString());

    SeqpackException refused =
        assertThrows(
            SeqpackException.class,
            () ->
                PrepareJob.prepare(
                    job(tmp.resolve("java"))
                        .with(JobOptions.TOKENIZER, folder)
                        .with(JobOptions.TOKENIZER_ENGINE, "java")
                        .config(),
                    new SparkConf()));
    assertTrue(
        refused
            .getMessage()
            .startsWith(
                "'tokenizer.engine' is java; the Java engine cannot run: the tokenizer is not of"
                    + " its family: pre_tokenizer"),
        refused.getMessage());
  }

  /**
   * A SentencePiece-style BPE (not of the Java engine's family) and a document of 1.15 million
   * characters in windows of 5,000: the job's ids are one DJL call's (seams where windows agree).
   */
  @Test
  void aSentencePieceStyleTokenizerRunsOnDjlWithOneCallsIdsForALongDocument(@TempDir Path tmp)
      throws Exception {
    Path spBpe = TestPaths.projectRoot().resolve("test-data/tokenizers/sp-bpe");
    StringBuilder text = new StringBuilder();
    for (String line :
        Files.readAllLines(TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"))) {
      text.append(line.split("\t", 3)[2]).append(' ');
    }
    Path input = Files.writeString(tmp.resolve("one-document.txt"), text.toString().strip() + "\n");
    Path output = tmp.resolve("megatron");
    job(output)
        .with(JobOptions.INPUT, input)
        .with(JobOptions.TOKENIZER, spBpe)
        .with(JobOptions.OUTPUT_FORMAT, "megatron")
        .with(JobOptions.MAX_CHARS_PER_CALL, 5000)
        .run();
    JsonNode stats = JSON.readTree(output.resolve("stats.json").toFile());
    assertEquals("djl", stats.at("/tokenizer/engine").asText());
    assertEquals(1, stats.at("/tokenized_in_pieces/texts").asLong());
    assertEquals(0, stats.at("/tokenized_in_pieces/cuts_inside_words").asLong());
    int[] ids;
    try (TokenEncoder djl =
        TokenEncoder.load(
            TokenizerSpec.parse(
                spBpe.toString(),
                Files.readAllBytes(spBpe.resolve("tokenizer.json")),
                Files.readAllBytes(spBpe.resolve("tokenizer_config.json")),
                false))) {
      ids = djl.encode(text.toString().strip());
    }
    int bos = stats.at("/tokenizer/bos_id").asInt();
    int eos = stats.at("/tokenizer/eos_id").asInt();
    int[] expected = new int[ids.length + 2];
    expected[0] = bos;
    System.arraycopy(ids, 0, expected, 1, ids.length);
    expected[expected.length - 1] = eos;
    List<int[]> documents = FlatFormatsTest.megatron(output).documents();
    assertEquals(1, documents.size());
    assertArrayEquals(expected, documents.get(0));
  }

  @Test
  void sftKeepsDjl(@TempDir Path tmp) {
    JobRunner sft =
        new JobRunner(
                TestPaths.projectRoot().resolve("test-data/sft/europarl-sft.jsonl"),
                "jsonl",
                tmp.resolve("sft"))
            .with(JobOptions.TASK, "sft")
            .with(JobOptions.TOKENIZER_ENGINE, "java");
    SeqpackException refused =
        assertThrows(
            SeqpackException.class, () -> PrepareJob.prepare(sft.config(), new SparkConf()));
    assertEquals(
        "'tokenizer.engine' is java; the Java engine cannot run: SFT rendering needs the tokens'"
            + " character offsets, which only DJL gives",
        refused.getMessage());
  }

  @Test
  void aSampleThatEncodesDifferentlyIsReportedWithBothIds() {
    List<InputSample.Document> sample =
        List.of(
            new InputSample.Document("in.txt", 0, "first"),
            new InputSample.Document("in.txt", 6, "second one"));
    assertNull(
        TokenizerEngine.firstDifference(
            sample, text -> new int[] {text.length()}, text -> new int[] {text.length()}));
    String difference =
        TokenizerEngine.firstDifference(
            sample,
            text -> new int[] {1, 2, 3, text.length(), 9},
            text -> new int[] {1, 2, 3, text.contains(" ") ? 99 : text.length(), 9});
    assertEquals(
        "the document at 6 of in.txt encodes differently from id 3: DJL [1, 2, 3, 10, 9], Java"
            + " [1, 2, 3, 99, 9] (from id 0)",
        difference);
  }
}
