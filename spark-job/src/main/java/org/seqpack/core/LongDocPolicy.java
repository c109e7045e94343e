package org.seqpack.core;

import java.util.Locale;

/** What happens to a document longer than the sequence length L (sentinels included). */
public enum LongDocPolicy {
  /** Consecutive chunks of exactly L tokens plus a remainder; no token dropped. */
  SPLIT;

  /** The policy named {@code value} as written in configuration ({@code split}, ...). */
  public static LongDocPolicy fromName(String value) {
    return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
