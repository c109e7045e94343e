package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.core.InputConfig;
import org.seqpack.core.InputFormat;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;
import org.seqpack.train.BpeTrainer;
import org.seqpack.train.HeldOut;
import org.seqpack.train.PreTokenPattern;
import org.seqpack.train.TokenizerJson;
import org.seqpack.train.TrainerConfig;
import org.seqpack.train.TrainingOptions;
import org.seqpack.train.Words;

/**
 * {@code train-tokenizer} on the shared local Spark session: the distributed counts are the counts
 * of a plain loop (the same tokenizer.json), DJL and the Java engine load the output and agree, the
 * compression curve is written, and bad records are counted by reason.
 */
class TrainTokenizerJobTest {
  private static final Path EUROPARL = TestPaths.projectRoot().resolve("test-data/europarl-1k.txt");

  private static InputConfig input(Path path, InputFormat format) {
    return new InputConfig(List.of(path.toString()), format, "text", 2, false, false, 1L << 27);
  }

  @Test
  void trainsOnEuroparlAsAPlainLoopWouldAndEveryEngineAgrees(@TempDir Path out) throws IOException {
    TrainerConfig trainer = new TrainerConfig(1500, 2, List.of("<|endoftext|>"));
    TrainingOptions options =
        new TrainingOptions(trainer, PreTokenPattern.LLAMA3, List.of(512, 1024), 0.05);
    TrainTokenizerJob.Result result =
        TrainTokenizerJob.prepare(
                input(EUROPARL, InputFormat.TEXT), out.toString(), false, options, new SparkConf())
            .run(SharedSpark.get());
    assertEquals(1000, result.documents());
    assertEquals(Map.of(), result.rejected());
    assertFalse(Files.exists(out.resolve("_rejected")), "nothing rejected, no _rejected/");
    assertTrue(result.heldOutDocuments() > 20 && result.heldOutDocuments() < 90);
    assertEquals(1500, result.vocabSize());
    assertEquals(
        List.of(512, 1024, 1500), result.compression().stream().map(p -> p.vocabSize()).toList());

    // The same counts by a loop over the lines and their byte offsets.
    Map<String, Long> counts = new HashMap<>();
    List<String> heldOut = new java.util.ArrayList<>();
    long offset = 0;
    for (String line : Files.readAllLines(EUROPARL, StandardCharsets.UTF_8)) {
      if (HeldOut.contains(EUROPARL.toString(), offset, 0.05)) {
        heldOut.add(line);
      } else {
        Words.split(line, PreTokenPattern.LLAMA3.scanner(), w -> counts.merge(w, 1L, Long::sum));
      }
      offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
    }
    assertEquals(heldOut.size(), result.heldOutDocuments());
    assertEquals(counts.values().stream().mapToLong(Long::longValue).sum(), result.words());
    assertEquals(counts.size(), result.distinctWords());
    counts.values().removeIf(count -> count < 2);
    assertEquals(counts.size(), result.keptWords());
    byte[] expected =
        Json.compactBytes(
            TokenizerJson.tokenizer(new BpeTrainer(trainer).train(counts), PreTokenPattern.LLAMA3));
    byte[] written = Files.readAllBytes(out.resolve("tokenizer.json"));
    assertEquals(
        new String(expected, StandardCharsets.UTF_8).trim(),
        new String(written, StandardCharsets.UTF_8).trim());

    TokenizerSpec spec =
        TokenizerSpec.parse(
            "trained", written, Files.readAllBytes(out.resolve("tokenizer_config.json")), false);
    JavaBpeTokenizer java = JavaBpeTokenizer.load(Json.parse(spec.loadableJson()));
    long tokens = 0;
    long bytes = 0;
    try (TokenEncoder djl = TokenEncoder.load(spec)) {
      for (String line : heldOut) {
        int[] ids = djl.encode(line);
        assertArrayEquals(ids, java.encode(line), line);
        assertEquals(line, djl.decode(ids, false));
        tokens += ids.length;
        bytes += line.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    JsonNode compression = Json.parse(Files.readAllBytes(out.resolve("compression.json")));
    JsonNode last = compression.get("points").get(2);
    assertEquals(1500, last.get("vocab_size").asInt());
    assertEquals(tokens, last.get("tokens").asLong());
    assertEquals(bytes, last.get("bytes").asLong());
    JsonNode training = Json.parse(Files.readAllBytes(out.resolve("training.json")));
    assertEquals(1000, training.get("documents").get("read").asLong());

    // A second run into the same folder is refused, naming the option.
    SeqpackException refused =
        assertThrows(
            SeqpackException.class,
            () ->
                TrainTokenizerJob.prepare(
                    input(EUROPARL, InputFormat.TEXT),
                    out.toString(),
                    false,
                    options,
                    new SparkConf()));
    assertTrue(refused.getMessage().startsWith("'--output' is '"), refused.getMessage());
  }

  @Test
  void badRecordsAreCountedByReason(@TempDir Path folder) throws IOException {
    Path jsonl = folder.resolve("mixed.jsonl");
    Files.writeString(
        jsonl,
        String.join(
                "\n",
                "{\"text\": \"Resumption of the session\"}",
                "{\"text\": \"I declare resumed the session\"}",
                "not json",
                "{\"title\": \"no text\"}",
                "{\"text\": \"   \"}",
                "[1, 2]",
                "{\"text\": 7}")
            + "\n");
    TrainingOptions options =
        new TrainingOptions(
            new TrainerConfig(300, 1, List.of("<|endoftext|>")),
            PreTokenPattern.GPT2,
            List.of(),
            0);
    TrainTokenizerJob.Result result =
        TrainTokenizerJob.prepare(
                input(jsonl, InputFormat.JSONL),
                folder.resolve("out").toString(),
                false,
                options,
                new SparkConf())
            .run(SharedSpark.get());
    assertEquals(7, result.documents());
    assertEquals(
        Map.of(
            "invalid_json", 1L,
            "missing_field", 1L,
            "empty", 1L,
            "not_an_object", 1L,
            "field_not_string", 1L),
        result.rejected());
    // Each rejected record is in _rejected/, at its line's byte offset, as the job writes it.
    List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>();
    Map<Integer, String> reasons =
        Map.of(
            2, "invalid_json",
            3, "missing_field",
            4, "empty",
            5, "not_an_object",
            6, "field_not_string");
    long offset = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (reasons.containsKey(i)) {
        expected.add(offset + ":" + reasons.get(i));
      }
      offset += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
    }
    List<String> found = new ArrayList<>();
    for (JsonNode record : HostileInputTest.rejected(folder.resolve("out"))) {
      found.add(record.get("position").asLong() + ":" + record.get("reason").asText());
    }
    assertEquals(expected, found);
    assertEquals(5L, result.rejectedFiles().values().stream().mapToLong(Long::longValue).sum());
    assertFalse(Files.exists(folder.resolve("out/_attempts")), "attempt files cleared");
    assertEquals(9, result.words()); // "Resumption", " of", " the", " session", "I", ...
    assertTrue(Files.exists(folder.resolve("out/tokenizer.json")));
    assertTrue(result.compression().isEmpty());
  }
}
