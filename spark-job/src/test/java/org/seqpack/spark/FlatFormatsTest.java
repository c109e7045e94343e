package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.core.RunReport;
import org.seqpack.flat.SpecReaders;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.verify.VerifyRuns;

/**
 * The job's Megatron and llm.c outputs, read back with readers written from the formats'
 * specifications (not from the writers): every document's ids are DJL's encoding of its input line
 * with the sentinels where each format's own tools put them, the three formats hold the same ids
 * under one configuration, the token type follows the vocabulary, and verify reads them clean.
 */
class FlatFormatsTest {
  private static final int GPT2_EOS = 50256;
  private static final int LLAMA3_BOS = 128000;
  private static List<String> lines;
  private static Map<String, int[]> gpt2Ids;

  @BeforeAll
  static void encodeTheInput() throws IOException {
    lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
    gpt2Ids = new HashMap<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec(gpt2()))) {
      for (String line : lines) {
        gpt2Ids.put(line, encoder.encode(line));
      }
    }
  }

  static Path gpt2() {
    return TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
  }

  static TokenizerSpec spec(Path folder) throws IOException {
    Path config = folder.resolve("tokenizer_config.json");
    return TokenizerSpec.parse(
        folder.toString(),
        Files.readAllBytes(folder.resolve("tokenizer.json")),
        Files.exists(config) ? Files.readAllBytes(config) : null,
        false);
  }

  static JobRunner job(Path output, String format) {
    return new JobRunner(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", output)
        .with(JobOptions.OUTPUT_FORMAT, format)
        .with(JobOptions.PARTITIONS, 3);
  }

  /** The data files of an output, in the manifest's (partition) order. */
  static List<String> files(Path output) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode file : JSON.readTree(output.resolve("_manifest.json").toFile()).get("files")) {
      names.add(file.get("path").asText());
    }
    return names;
  }

  /** Every Megatron document (its sequences joined), and every sequence, in file order. */
  record MegatronRead(List<int[]> documents, List<int[]> sequences, List<Integer> dtypeCodes) {}

  static MegatronRead megatron(Path output) throws IOException {
    List<int[]> documents = new ArrayList<>();
    List<int[]> sequences = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    for (String name : files(output)) {
      if (!name.endsWith(".bin")) {
        continue;
      }
      String idx = name.substring(0, name.length() - 4) + ".idx";
      SpecReaders.Megatron read =
          SpecReaders.readMegatron(
              Files.readAllBytes(output.resolve(idx)), Files.readAllBytes(output.resolve(name)));
      codes.add(read.dtypeCode());
      sequences.addAll(read.sequences());
      long[] starts = read.documentIndices();
      for (int d = 0; d + 1 < starts.length; d++) {
        documents.add(concat(read.sequences().subList((int) starts[d], (int) starts[d + 1])));
      }
    }
    return new MegatronRead(documents, sequences, codes);
  }

  /** The llm.c stream of every shard, in order. */
  static int[] llmc(Path output, int magic, int version, int tokenBytes) throws IOException {
    List<int[]> shards = new ArrayList<>();
    for (String name : files(output)) {
      shards.add(
          SpecReaders.readLlmc(
              Files.readAllBytes(output.resolve(name)), magic, version, tokenBytes));
    }
    return concat(shards);
  }

  static int[] concat(List<int[]> pieces) {
    return pieces.stream().flatMapToInt(Arrays::stream).toArray();
  }

  static int[] with(int before, int[] ids, int after) {
    int[] out = new int[ids.length + (before >= 0 ? 1 : 0) + (after >= 0 ? 1 : 0)];
    int at = 0;
    if (before >= 0) {
      out[at++] = before;
    }
    System.arraycopy(ids, 0, out, at, ids.length);
    if (after >= 0) {
      out[out.length - 1] = after;
    }
    return out;
  }

  @Test
  void megatronDocumentsAreTheInputLinesWithEodInOrder(@TempDir Path tmp) throws IOException {
    Path output = tmp.resolve("megatron");
    RunReport report = job(output, "megatron").with(JobOptions.SEQ_LEN, 512).run();
    MegatronRead read = megatron(output);
    assertEquals(List.of(8, 8, 8), read.dtypeCodes(), "uint16 for GPT-2, one pair per partition");
    assertEquals(lines.size(), read.documents().size());
    for (int d = 0; d < lines.size(); d++) {
      assertArrayEquals(
          with(-1, gpt2Ids.get(lines.get(d)), GPT2_EOS), read.documents().get(d), "document " + d);
    }
    long split = read.documents().stream().filter(doc -> doc.length > 512).count();
    assertTrue(split > 50, "documents longer than L: " + split);
    assertTrue(read.sequences().stream().allMatch(s -> s.length >= 1 && s.length <= 512));
    JsonNode stats = JSON.readTree(output.resolve("stats.json").toFile());
    assertEquals(read.sequences().size(), stats.get("sequences").asLong());
    assertEquals(concat(read.documents()).length, stats.get("tokens").asLong());
    assertEquals("megatron-indexed/1", stats.get("format").asText());
    assertTrue(report.summary(output.toString(), 1).contains(" sequences of 1,000 documents"));
    VerifyRuns.assertClean(output, "--sample", "50");
  }

  @Test
  void llmcStreamIsEachDocumentAfterItsDelimiterInShards(@TempDir Path tmp) throws IOException {
    Path output = tmp.resolve("llmc");
    job(output, "llmc").with(JobOptions.SHARD_TOKENS, 40_000).run();
    int[] expected =
        concat(lines.stream().map(line -> with(GPT2_EOS, gpt2Ids.get(line), -1)).toList());
    assertArrayEquals(expected, llmc(output, 20240520, 1, 2));
    List<String> shards = files(output);
    assertTrue(shards.size() > 9, "shards of at most 40,000 tokens: " + shards);
    assertTrue(shards.contains("part-00000-00000.bin") && shards.contains("part-00000-00001.bin"));
    VerifyRuns.assertClean(output, "--sample", "50");
  }

  @Test
  void committedByManifestTheFilesCarryTheRunAndVerifyReadsThem(@TempDir Path tmp)
      throws IOException {
    for (String format : List.of("megatron", "llmc")) {
      Path output = tmp.resolve(format);
      job(output, format).with(JobOptions.COMMIT, "manifest").run();
      List<String> files = files(output);
      String pattern =
          format.equals("megatron")
              ? "part-\\d{5}-[0-9a-f]{12}-\\d+\\.(bin|idx)"
              : "part-\\d{5}-\\d{5}-[0-9a-f]{12}-\\d+\\.bin";
      assertTrue(files.stream().allMatch(name -> name.matches(pattern)), files.toString());
      // A file a killed run left beside them is not part of the output and not read.
      Files.write(
          output.resolve(files.get(0).replaceFirst("-[0-9a-f]{12}-", "-0123456789ab-")),
          new byte[] {1});
      VerifyRuns.assertClean(output, "--sample", "20");
    }
  }

  @Test
  void theThreeFormatsHoldTheSameIdsUnderOneConfiguration(@TempDir Path tmp) throws Exception {
    Map<String, Path> outputs = new HashMap<>();
    for (String format : List.of("parquet", "megatron", "llmc")) {
      Path output = tmp.resolve(format);
      job(output, format)
          .with(JobOptions.SEQ_LEN, 700)
          .with(JobOptions.BOS_TOKEN, "<|endoftext|>")
          .with(JobOptions.EOS_TOKEN, "none")
          .with(JobOptions.PAD_TOKEN, "<|endoftext|>")
          .run();
      outputs.put(format, output);
    }
    MegatronRead megatron = megatron(outputs.get("megatron"));
    int[] stream = concat(megatron.sequences());
    assertArrayEquals(stream, llmc(outputs.get("llmc"), 20240520, 1, 2), "Megatron = llm.c");
    // Packing reorders the segments: the Parquet rows hold the same sequences as a multiset.
    List<String> segments = new ArrayList<>();
    for (OutputReader.Row row : OutputReader.rows(outputs.get("parquet"))) {
      for (int s = 1; s <= row.numSegments(); s++) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < row.inputIds().length; i++) {
          if (row.segmentIds()[i] == s) {
            ids.add(row.inputIds()[i]);
          }
        }
        segments.add(ids.toString());
      }
    }
    List<String> sequences =
        new ArrayList<>(
            megatron.sequences().stream()
                .map(s -> Arrays.stream(s).boxed().toList().toString())
                .toList());
    segments.sort(null);
    sequences.sort(null);
    assertEquals(sequences, segments, "Parquet segments = Megatron sequences");
  }

  @Test
  void llama3IsWrittenWithFourByteTokensAndItsBos(@TempDir Path tmp) throws IOException {
    Path tokenizer = TestData.tokenizer("llama3");
    Path input = tmp.resolve("europarl-200.txt");
    Files.write(input, lines.subList(0, 200), StandardCharsets.UTF_8);
    List<int[]> ids = new ArrayList<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec(tokenizer))) {
      for (String line : lines.subList(0, 200)) {
        ids.add(encoder.encode(line));
      }
    }
    Path megatronOut = tmp.resolve("megatron");
    new JobRunner(input, "text", megatronOut)
        .with(JobOptions.TOKENIZER, tokenizer)
        .with(JobOptions.OUTPUT_FORMAT, "megatron")
        .run();
    MegatronRead read = megatron(megatronOut);
    assertTrue(read.dtypeCodes().stream().allMatch(code -> code == 4), "int32 for 128,256 ids");
    int eos =
        JSON.readTree(megatronOut.resolve("stats.json").toFile()).at("/tokenizer/eos_id").asInt();
    for (int d = 0; d < ids.size(); d++) {
      assertArrayEquals(with(-1, ids.get(d), eos), read.documents().get(d), "document " + d);
    }
    VerifyRuns.assertClean(megatronOut, "--sample", "20");

    Path llmcOut = tmp.resolve("llmc");
    new JobRunner(input, "text", llmcOut)
        .with(JobOptions.TOKENIZER, tokenizer)
        .with(JobOptions.OUTPUT_FORMAT, "llmc")
        .run();
    int[] expected = concat(ids.stream().map(doc -> with(LLAMA3_BOS, doc, -1)).toList());
    assertArrayEquals(expected, llmc(llmcOut, 20240801, 7, 4));
    VerifyRuns.assertClean(llmcOut, "--sample", "20");
  }
}
