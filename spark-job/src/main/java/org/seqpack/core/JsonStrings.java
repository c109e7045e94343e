package org.seqpack.core;

import java.nio.charset.StandardCharsets;

/**
 * Decodes one JSON string value straight from the record's UTF-8 bytes into a {@code String}, so
 * that a long text costs its bytes plus one {@code String} (Jackson would build a {@code char[]}
 * first). Lone UTF-16 surrogates written as {@code \\u} escapes have no UTF-8 form: each becomes
 * U+FFFD and is counted, so that nothing downstream (the tokenizer's JNI boundary, {@code
 * getBytes}) turns it into three U+FFFD or a '?'.
 */
public final class JsonStrings {
  private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

  private JsonStrings() {}

  /** A decoded string and how many lone surrogates it had. */
  public record Decoded(String text, int loneSurrogates) {}

  /**
   * Decodes the string whose opening quote is at {@code bytes[quote]}. The bytes must be
   * well-formed UTF-8 and the string's syntax already checked by a JSON parser.
   *
   * @throws IllegalArgumentException when {@code bytes[quote]} is not a quote or the string does
   *     not end before {@code to}
   */
  public static Decoded decode(byte[] bytes, int quote, int to) {
    if (quote < 0 || quote >= to || bytes[quote] != '"') {
      throw new IllegalArgumentException("no JSON string starts at byte " + quote);
    }
    int start = quote + 1;
    int i = start;
    while (i < to && bytes[i] != '"' && bytes[i] != '\\') {
      i++;
    }
    if (i >= to) {
      throw new IllegalArgumentException("the JSON string at byte " + quote + " does not end");
    }
    if (bytes[i] == '"') {
      // No escape: the common case costs one copy, into the String.
      return new Decoded(new String(bytes, start, i - start, StandardCharsets.UTF_8), 0);
    }
    // Unescaping never makes the text longer, so the rest of the record bounds the output.
    byte[] out = new byte[to - start];
    int at = i - start;
    System.arraycopy(bytes, start, out, 0, at);
    int lone = 0;
    while (true) {
      if (i >= to) {
        throw new IllegalArgumentException("the JSON string at byte " + quote + " does not end");
      }
      byte b = bytes[i];
      if (b == '"') {
        break;
      }
      if (b != '\\') {
        out[at++] = b;
        i++;
        continue;
      }
      byte escape = bytes[i + 1];
      i += 2;
      switch (escape) {
        case 'n' -> out[at++] = '\n';
        case 't' -> out[at++] = '\t';
        case 'r' -> out[at++] = '\r';
        case 'b' -> out[at++] = '\b';
        case 'f' -> out[at++] = '\f';
        case 'u' -> {
          int unit = hex(bytes, i);
          i += 4;
          int codePoint = unit;
          if (Character.isHighSurrogate((char) unit)) {
            boolean pair =
                i + 5 < to
                    && bytes[i] == '\\'
                    && bytes[i + 1] == 'u'
                    && Character.isLowSurrogate((char) hex(bytes, i + 2));
            if (pair) {
              codePoint = Character.toCodePoint((char) unit, (char) hex(bytes, i + 2));
              i += 6;
            } else {
              codePoint = -1;
            }
          } else if (Character.isLowSurrogate((char) unit)) {
            codePoint = -1;
          }
          if (codePoint < 0) {
            lone++;
            System.arraycopy(REPLACEMENT, 0, out, at, REPLACEMENT.length);
            at += REPLACEMENT.length;
          } else {
            at = put(codePoint, out, at);
          }
        }
        default -> out[at++] = escape; // '"', '\\', '/'
      }
    }
    return new Decoded(new String(out, 0, at, StandardCharsets.UTF_8), lone);
  }

  private static int hex(byte[] bytes, int at) {
    int value = 0;
    for (int k = 0; k < 4; k++) {
      int digit = Character.digit(bytes[at + k], 16);
      if (digit < 0) {
        throw new IllegalArgumentException("bad \\u escape at byte " + at);
      }
      value = value * 16 + digit;
    }
    return value;
  }

  private static int put(int codePoint, byte[] out, int at) {
    if (codePoint < 0x80) {
      out[at++] = (byte) codePoint;
    } else if (codePoint < 0x800) {
      out[at++] = (byte) (0xC0 | codePoint >> 6);
      out[at++] = (byte) (0x80 | codePoint & 0x3F);
    } else if (codePoint < 0x10000) {
      out[at++] = (byte) (0xE0 | codePoint >> 12);
      out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
      out[at++] = (byte) (0x80 | codePoint & 0x3F);
    } else {
      out[at++] = (byte) (0xF0 | codePoint >> 18);
      out[at++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
      out[at++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
      out[at++] = (byte) (0x80 | codePoint & 0x3F);
    }
    return at;
  }
}
