package org.seqpack.train;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.seqpack.tokenizer.bpe.ByteLevel;
import org.seqpack.tokenizer.bpe.PreTokenizer;

/**
 * A text's words as training counts them: its pre-tokens under the pattern, each as the byte-level
 * string of its UTF-8 bytes (one vocabulary character per byte), the form merges are learned on.
 */
public final class Words {
  private Words() {}

  /** Calls {@code sink} with each word of {@code text}, in order. */
  public static void split(String text, PreTokenizer scanner, Consumer<String> sink) {
    scanner.split(
        text,
        0,
        text.length(),
        (start, end) -> {
          byte[] bytes = text.substring(start, end).getBytes(StandardCharsets.UTF_8);
          sink.accept(ByteLevel.of(bytes, 0, bytes.length));
        });
  }

  /** The number of UTF-8 bytes a byte-level word stands for: one per character. */
  public static int bytes(String word) {
    return word.length();
  }
}
