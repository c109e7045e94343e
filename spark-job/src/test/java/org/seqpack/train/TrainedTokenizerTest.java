package org.seqpack.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seqpack.core.Json;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.tokenizer.bpe.AdversarialCorpus;
import org.seqpack.tokenizer.bpe.ByteLevel;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * A tokenizer trained on 900 Europarl documents, written as tokenizer.json: DJL (the Rust core) and
 * the Java engine load it and give the same ids on the other 100 and on the adversarial corpus,
 * decoding gives the text back, and the held-out count of {@link Compression} is the engines'
 * count.
 */
class TrainedTokenizerTest {
  private static final int VOCAB = 2000;

  static List<String> europarl() throws IOException {
    return Files.readAllLines(
        TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
  }

  static Map<String, Long> wordCounts(List<String> texts, PreTokenPattern pattern) {
    Map<String, Long> counts = new HashMap<>();
    for (String text : texts) {
      Words.split(text, pattern.scanner(), word -> counts.merge(word, 1L, Long::sum));
    }
    return counts;
  }

  /** Ids back to text through the byte-level table, as the ByteLevel decoder does. */
  static String decode(TrainedBpe bpe, int[] ids) {
    Map<Character, Integer> bytes = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      bytes.put(ByteLevel.of(b), b);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int id : ids) {
      for (char c : bpe.tokens().get(id).toCharArray()) {
        out.write(bytes.get(c));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @EnumSource(PreTokenPattern.class)
  void djlAndTheJavaEngineLoadItAndAgree(PreTokenPattern pattern) throws IOException {
    List<String> lines = europarl();
    List<String> training = lines.subList(0, 900);
    List<String> heldOut = lines.subList(900, lines.size());
    TrainedBpe bpe =
        new BpeTrainer(new TrainerConfig(VOCAB, 2, List.of("<|endoftext|>")))
            .train(wordCounts(training, pattern));
    assertEquals(VOCAB, bpe.vocabSize());
    byte[] json = Json.compactBytes(TokenizerJson.tokenizer(bpe, pattern));
    JsonNode root = Json.parse(json);
    assertTrue(JavaBpeTokenizer.support(root).supported(), JavaBpeTokenizer.support(root).reason());
    TokenizerSpec spec =
        TokenizerSpec.parse("trained", json, Json.compactBytes(TokenizerJson.config(bpe)), false);
    // As the job loads it: special tokens' strings in text are text (the spec's loadable copy).
    JavaBpeTokenizer java = JavaBpeTokenizer.load(Json.parse(spec.loadableJson()));
    assertEquals(Map.of("<|endoftext|>", 0), spec.specialTokens());
    assertEquals("<|endoftext|>", spec.config().eosToken().orElseThrow());
    MergeEncoder merges = new MergeEncoder(bpe);
    try (TokenEncoder djl = TokenEncoder.load(spec)) {
      long tokens = 0;
      for (String text : heldOut) {
        int[] ids = djl.encode(text);
        assertArrayEquals(ids, java.encode(text), text);
        assertEquals(text, djl.decode(ids, false));
        assertEquals(text, decode(bpe, ids));
        tokens += ids.length;
      }
      Compression.Point point =
          Compression.curve(bpe, wordCounts(heldOut, pattern), List.of(VOCAB)).get(0);
      assertEquals(tokens, point.tokens());
      long bytes = heldOut.stream().mapToLong(t -> t.getBytes(StandardCharsets.UTF_8).length).sum();
      assertEquals(bytes, point.bytes());

      int handled = 0;
      int wellFormed = 0;
      for (String text : AdversarialCorpus.texts()) {
        // A lone surrogate is not Unicode: no decoding can give it back.
        if (!text.equals(
            new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
          continue;
        }
        wellFormed++;
        int[] ids = djl.encode(text);
        assertEquals(text, djl.decode(ids, false), "DJL round trip");
        int[] javaIds = java.encode(text);
        assertEquals(text, decode(bpe, javaIds), "Java engine round trip");
        if (java.handles(text)) {
          assertArrayEquals(ids, javaIds, text);
          handled++;
        }
      }
      assertTrue(wellFormed > 1000 && handled > 1000, wellFormed + " well-formed, " + handled);
    }
  }

  @ParameterizedTest
  @EnumSource(PreTokenPattern.class)
  void smallerVocabulariesCompressLess(PreTokenPattern pattern) throws IOException {
    List<String> lines = europarl();
    TrainedBpe bpe =
        new BpeTrainer(new TrainerConfig(VOCAB, 2, List.of("<|endoftext|>")))
            .train(wordCounts(lines.subList(0, 900), pattern));
    List<Compression.Point> curve =
        Compression.curve(
            bpe, wordCounts(lines.subList(900, 1000), pattern), List.of(257, 512, 1024, VOCAB));
    assertEquals(1.0, curve.get(0).bytesPerToken(), 1e-12); // bytes alone
    for (int i = 1; i < curve.size(); i++) {
      assertTrue(curve.get(i).bytesPerToken() > curve.get(i - 1).bytesPerToken(), curve.toString());
    }
    // The truncated files give the counted ids too.
    TrainedBpe small = bpe.truncate(512);
    JavaBpeTokenizer java =
        JavaBpeTokenizer.load(
            Json.parse(Json.compactBytes(TokenizerJson.tokenizer(small, pattern))));
    long tokens = lines.subList(900, 1000).stream().mapToLong(t -> java.encode(t).length).sum();
    assertEquals(curve.get(1).tokens(), tokens);
  }

  @org.junit.jupiter.api.Test
  void addedTokensFollowTheVocabularyAndMatchInText() throws IOException {
    List<String> lines = europarl().subList(0, 200);
    TrainedBpe bpe =
        new BpeTrainer(new TrainerConfig(600, 2, List.of("<|endoftext|>")))
            .train(wordCounts(lines, PreTokenPattern.LLAMA3));
    List<String> added = List.of("<think>", " Parliament");
    byte[] json = Json.compactBytes(TokenizerJson.tokenizer(bpe, PreTokenPattern.LLAMA3, added));
    TokenizerSpec spec =
        TokenizerSpec.parse(
            "trained", json, Json.compactBytes(TokenizerJson.config(bpe, added)), false);
    JavaBpeTokenizer java = JavaBpeTokenizer.load(Json.parse(spec.loadableJson()));
    String text = "<think>The European Parliament<think> and Parliament.";
    try (TokenEncoder djl = TokenEncoder.load(spec)) {
      int[] ids = djl.encode(text);
      assertArrayEquals(ids, java.encode(text));
      assertEquals(600, ids[0]);
      assertEquals(2, java.encode("<think> Parliament").length);
      assertArrayEquals(new int[] {600, 601}, java.encode("<think> Parliament"));
      assertEquals(text, djl.decode(ids, false));
      for (String line : lines.subList(0, 50)) {
        assertArrayEquals(djl.encode(line), java.encode(line), line);
      }
    }
  }
}
