package org.seqpack.core;

/** Text to token ids, without any special tokens of the tokenizer's own. */
@FunctionalInterface
public interface TextEncoder {
  int[] encode(String text);
}
