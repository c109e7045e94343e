package org.seqpack.tokenizer;

/**
 * Which tokenizer, and the sentinel tokens as written (strings or ids; empty = default).
 *
 * @param maxCharsPerCall longest text handed to the native tokenizer in one call
 * @param engine {@code auto}, {@code djl} or {@code java}
 */
public record TokenizerOptions(
    String path,
    String eosToken,
    String bosToken,
    String padToken,
    boolean specialTokensInText,
    int maxCharsPerCall,
    String engine)
    implements java.io.Serializable {}
