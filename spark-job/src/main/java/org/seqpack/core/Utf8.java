package org.seqpack.core;

import java.nio.charset.StandardCharsets;

/**
 * UTF-8 checks on raw bytes, so that a record is decoded once, into one {@code String}, with no
 * intermediate {@code char[]}: well-formedness follows the Unicode standard's table 3-7 (no
 * overlong forms, no encoded surrogates, nothing above U+10FFFF), and repair replaces ill-formed
 * parts by U+FFFD as the JDK's decoder does.
 */
public final class Utf8 {
  private Utf8() {}

  /** Index of the first byte of {@code bytes[from, to)} that starts an ill-formed part, or -1. */
  public static int firstInvalid(byte[] bytes, int from, int to) {
    int i = from;
    while (i < to) {
      if (bytes[i] >= 0) {
        i++;
        continue;
      }
      int length = sequence(bytes, i, to);
      if (length < 0) {
        return i;
      }
      i += length;
    }
    return -1;
  }

  /**
   * A copy of {@code bytes[from, to)} in which ill-formed parts are replaced by U+FFFD exactly as
   * the JDK's decoder replaces them (one per maximal ill-formed subpart, except that an encoded
   * surrogate such as {@code ED A0 80} counts as one). Only called for the rare broken record.
   */
  public static byte[] repair(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8)
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The start of {@code bytes[from, to)} as text for a human: at most {@code maxBytes} bytes, cut
   * before an incomplete last character, ill-formed parts shown as U+FFFD.
   */
  public static String excerpt(byte[] bytes, int from, int to, int maxBytes) {
    int end = Math.min(to, from + maxBytes);
    if (end < to) {
      // Step back over continuation bytes so that the cut does not split a character.
      int back = end;
      while (back > from && end - back < 3 && (bytes[back] & 0xC0) == 0x80) {
        back--;
      }
      if (back > from && (bytes[back] & 0xC0) != 0x80) {
        end = back;
      }
    }
    return new String(bytes, from, end - from, StandardCharsets.UTF_8);
  }

  /**
   * Length of the well-formed sequence starting at {@code i}, or minus the length of the maximal
   * ill-formed subpart starting there (at least 1).
   */
  static int sequence(byte[] bytes, int i, int to) {
    int lead = bytes[i] & 0xFF;
    if (lead < 0x80) {
      return 1;
    }
    int continuation;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation = 1;
    } else if (lead == 0xE0) {
      continuation = 2;
      low = 0xA0;
    } else if (lead == 0xED) {
      continuation = 2;
      high = 0x9F; // 0xA0..0xBF would encode a surrogate
    } else if (lead >= 0xE1 && lead <= 0xEF) {
      continuation = 2;
    } else if (lead == 0xF0) {
      continuation = 3;
      low = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      continuation = 3;
    } else if (lead == 0xF4) {
      continuation = 3;
      high = 0x8F;
    } else {
      return -1; // 0x80..0xC1 and 0xF5..0xFF never start a character
    }
    for (int k = 1; k <= continuation; k++) {
      if (i + k >= to) {
        return -k;
      }
      int next = bytes[i + k] & 0xFF;
      if (next < low || next > high) {
        return -k;
      }
      low = 0x80;
      high = 0xBF;
    }
    return continuation + 1;
  }
}
