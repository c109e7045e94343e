package org.seqpack.tokenizer;

import java.util.concurrent.ConcurrentHashMap;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * One native tokenizer per JVM and tokenizer, shared by every task and thread of an executor. Never
 * closed: it lives as long as the executor.
 */
public final class SharedEncoders {
  private static final ConcurrentHashMap<String, TokenEncoder> ENCODERS = new ConcurrentHashMap<>();

  private SharedEncoders() {}

  private static final ConcurrentHashMap<String, JavaBpeTokenizer> JAVA = new ConcurrentHashMap<>();

  public static TokenEncoder get(TokenizerSpec spec) {
    return ENCODERS.computeIfAbsent(key(spec), k -> TokenEncoder.load(spec));
  }

  /** The Java engine of {@code spec}, one per JVM (its word cache is shared by every task). */
  public static JavaBpeTokenizer java(TokenizerSpec spec) {
    return JAVA.computeIfAbsent(key(spec), k -> JavaEngine.load(spec));
  }

  private static String key(TokenizerSpec spec) {
    return spec.sha256() + (spec.specialTokensInText() ? "+special" : "");
  }
}
