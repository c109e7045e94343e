package org.seqpack.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerSpecTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"gpt2", "llama3", "qwen3"})
  void recordsTheSha256OfTheOriginalBytes(String name) throws Exception {
    Path dir = TestData.tokenizer(name);
    byte[] original = Files.readAllBytes(dir.resolve("tokenizer.json"));
    TokenizerSpec spec = TokenizerSpec.parse(dir.toString(), original, null, false);

    String expected =
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(original));
    assertEquals(expected, spec.sha256());
    // The loadable copy is rewritten (special entries removed); the record is not of it.
    assertFalse(Arrays.equals(original, spec.loadableJson()));
  }
}
