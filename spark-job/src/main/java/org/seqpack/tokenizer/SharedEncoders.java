package org.seqpack.tokenizer;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One native tokenizer per JVM and tokenizer, shared by every task and thread of an executor. Never
 * closed: it lives as long as the executor.
 */
public final class SharedEncoders {
  private static final ConcurrentHashMap<String, TokenEncoder> ENCODERS = new ConcurrentHashMap<>();

  private SharedEncoders() {}

  public static TokenEncoder get(TokenizerSpec spec) {
    String key = spec.sha256() + (spec.specialTokensInText() ? "+special" : "");
    return ENCODERS.computeIfAbsent(key, k -> TokenEncoder.load(spec));
  }
}
