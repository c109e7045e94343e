package org.seqpack.tokenizer.bpe;

/**
 * GPT-2's byte-level alphabet: every byte is one printable character of the vocabulary's strings
 * (printable Latin-1 bytes stand for themselves, the others for U+0100 upwards), so a token of any
 * bytes is a string of these characters.
 */
public final class ByteLevel {
  private ByteLevel() {}

  /** The character of each byte value. */
  static final char[] CHARS = chars();

  private static char[] chars() {
    char[] chars = new char[256];
    boolean[] printable = new boolean[256];
    for (int b = '!'; b <= '~'; b++) {
      printable[b] = true;
    }
    for (int b = 0xA1; b <= 0xAC; b++) {
      printable[b] = true;
    }
    for (int b = 0xAE; b <= 0xFF; b++) {
      printable[b] = true;
    }
    int next = 256;
    for (int b = 0; b < 256; b++) {
      chars[b] = printable[b] ? (char) b : (char) next++;
    }
    return chars;
  }

  /** The character that stands for {@code byteValue} (0..255) in vocabulary strings. */
  public static char of(int byteValue) {
    return CHARS[byteValue];
  }

  /** The vocabulary string of {@code bytes[from, to)}. */
  public static String of(byte[] bytes, int from, int to) {
    char[] out = new char[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = CHARS[bytes[i] & 0xff];
    }
    return new String(out);
  }
}
