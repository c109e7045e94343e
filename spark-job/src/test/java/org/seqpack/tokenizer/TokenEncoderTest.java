package org.seqpack.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenEncoderTest {
  private static TokenEncoder gpt2;
  private static TokenizerSpec spec;

  @BeforeAll
  static void load() throws Exception {
    Path dir = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
    spec =
        TokenizerSpec.parse(
            dir.toString(),
            Files.readAllBytes(dir.resolve("tokenizer.json")),
            Files.readAllBytes(dir.resolve("tokenizer_config.json")),
            false);
    gpt2 = TokenEncoder.load(spec);
  }

  @AfterAll
  static void close() {
    gpt2.close();
  }

  @Test
  void referenceIdsFromNotes() {
    // Ids produced by the Hugging Face Node binding (see shared NOTES.md).
    assertArrayEquals(new int[] {15496, 995}, gpt2.encode("Hello world"));
    assertArrayEquals(new int[] {18435, 995}, gpt2.encode(" Hello world"));
    assertArrayEquals(new int[] {15496, 11, 995, 0}, gpt2.encode("Hello, world!"));
    assertArrayEquals(new int[] {40, 1101, 994}, gpt2.encode("I'm here"));
  }

  @Test
  void literalSpecialTokenIsOrdinaryText() {
    assertArrayEquals(new int[] {1279, 91, 437, 1659, 5239, 91, 29}, gpt2.encode(" <|endoftext|>"));
    assertEquals(50256, spec.specialTokens().get("<|endoftext|>"));
  }

  @Test
  void emptyTextHasNoIds() {
    assertEquals(0, gpt2.encode("").length);
  }

  @Test
  void offsetsAreUtf16AfterSupplementaryCharacters() {
    String text = "Hi 👋🏽 world";
    TokenEncoder.OffsetEncoding encoding = gpt2.encodeWithOffsets(text);
    int last = encoding.ids().length - 1;
    assertEquals(" world", text.substring(encoding.starts()[last], encoding.ends()[last]));
    assertEquals(text.length(), encoding.ends()[last]);
  }
}
