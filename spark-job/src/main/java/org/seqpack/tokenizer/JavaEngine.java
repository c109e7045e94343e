package org.seqpack.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.seqpack.core.Json;
import org.seqpack.core.PackStats;
import org.seqpack.core.TextEncoder;
import org.seqpack.tokenizer.bpe.JavaBpeTokenizer;

/**
 * The Java engine as the job runs it: texts the Java encoder handles go to it, the others (code
 * points this JVM's Unicode tables do not assign, lone surrogates, text an NFC normalizer would
 * change) to the reference engine, DJL; each of those is counted in {@link PackStats#textsOnDjl}.
 */
public final class JavaEngine implements TextEncoder {
  private final JavaBpeTokenizer java;
  private final TextEncoder reference;
  private final PackStats stats;

  public JavaEngine(JavaBpeTokenizer java, TextEncoder reference, PackStats stats) {
    this.java = java;
    this.reference = reference;
    this.stats = stats;
  }

  @Override
  public int[] encode(String text) {
    if (java.handles(text)) {
      return java.encode(text);
    }
    stats.textsOnDjl++;
    return reference.encode(text);
  }

  /** The tokenizer.json the job loads (the sanitized copy), as JSON. */
  static JsonNode root(TokenizerSpec spec) {
    try {
      return Json.parse(spec.loadableJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code spec} is of the Java engine's family, and why not. */
  public static JavaBpeTokenizer.Support support(TokenizerSpec spec) {
    return JavaBpeTokenizer.support(root(spec));
  }

  /** See {@link JavaBpeTokenizer#splitsWhereTextIsCut}. */
  public static boolean splitsWhereTextIsCut(TokenizerSpec spec) {
    return JavaBpeTokenizer.splitsWhereTextIsCut(root(spec));
  }

  /** The Java encoder of {@code spec}; see {@link JavaBpeTokenizer#load}. */
  public static JavaBpeTokenizer load(TokenizerSpec spec) {
    return JavaBpeTokenizer.load(root(spec));
  }
}
