package org.seqpack.tokenizer;

/**
 * Which tokenizer, and the sentinel tokens as written (strings or ids; empty = default).
 *
 * @param maxCharsPerCall longest text handed to the native tokenizer in one call
 */
public record TokenizerOptions(
    String path,
    String eosToken,
    String bosToken,
    String padToken,
    boolean specialTokensInText,
    int maxCharsPerCall)
    implements java.io.Serializable {}
