package org.seqpack.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seqpack.core.BoundedTextEncoder;
import org.seqpack.core.PackStats;
import org.seqpack.core.SeamedTextEncoder;

/**
 * Texts of over a megabyte, encoded in windows, give the ids of one call for any tokenizer. The
 * SentencePiece-style BPE in {@code test-data/tokenizers/sp-bpe} (Llama 2's shape: spaces become ▁
 * and 948 of its 3,000 tokens run across one) is where a cut at white space changes the ids: the
 * plain cut does here, the agreed seams do not.
 */
class LongTextSeamsTest {
  private static String text;
  private static TokenEncoder spBpe;

  @BeforeAll
  static void load() throws IOException {
    List<String> lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
    StringBuilder all = new StringBuilder();
    for (String line : lines) {
      all.append(line.split("\t", 3)[2]).append(' ');
    }
    text = all.toString();
    spBpe = TokenEncoder.load(spec(TestPaths.projectRoot().resolve("test-data/tokenizers/sp-bpe")));
  }

  @AfterAll
  static void close() {
    spBpe.close();
  }

  static TokenizerSpec spec(Path folder) throws IOException {
    Path config = folder.resolve("tokenizer_config.json");
    return TokenizerSpec.parse(
        folder.toString(),
        Files.readAllBytes(folder.resolve("tokenizer.json")),
        Files.exists(config) ? Files.readAllBytes(config) : null,
        false);
  }

  static SeamedTextEncoder.SpanEncoder spans(TokenEncoder encoder) {
    return piece -> {
      TokenEncoder.OffsetEncoding encoding = encoder.encodeWithOffsets(piece);
      return new SeamedTextEncoder.Spans(encoding.ids(), encoding.starts(), encoding.ends());
    };
  }

  @ParameterizedTest(name = "max {0} chars per call")
  @CsvSource({"100000", "5000"})
  void aSentencePieceStyleBpeGivesOneCallsIdsAtAgreedSeams(int maxChars) {
    assertTrue(text.length() > 1_000_000, "a text of " + text.length() + " chars");
    int[] single = spBpe.encode(text);

    PackStats stats = new PackStats();
    int[] seamed = new SeamedTextEncoder(spans(spBpe), maxChars, stats).encode(text);
    assertArrayEquals(single, seamed);
    assertEquals(1, stats.textsInPieces);
    assertEquals(0, stats.cutsInsideWords, "every seam agreed");

    // Cutting at white space, right for byte-level BPE, is not for this tokenizer.
    int[] cut = new BoundedTextEncoder(spBpe::encode, maxChars).encode(text);
    assertFalse(Arrays.equals(single, cut), "a plain cut at white space gave one call's ids");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"gpt2", "llama3", "qwen3"})
  void byteLevelTokenizersGiveOneCallsIdsToo(String name) throws IOException {
    try (TokenEncoder encoder = TokenEncoder.load(spec(TestData.tokenizer(name)))) {
      int[] single = encoder.encode(text);
      PackStats stats = new PackStats();
      assertArrayEquals(single, new SeamedTextEncoder(spans(encoder), 20_000, stats).encode(text));
      assertEquals(0, stats.cutsInsideWords);
      assertArrayEquals(single, new BoundedTextEncoder(encoder::encode, 20_000).encode(text));
    }
  }
}
