package org.seqpack.tokenizer.bpe;

/**
 * Splits a piece of text into pre-tokens, as one of the regular expressions byte-level BPE
 * tokenizers use would (leftmost match, alternatives in order, greedy runs with the backtracking
 * those patterns need), written out by hand: the patterns are fixed, and a scanner is several times
 * faster than a regex engine.
 */
public interface PreTokenizer {
  /** Receives one pre-token, {@code text[start, end)}. */
  @FunctionalInterface
  interface Sink {
    void accept(int start, int end);
  }

  /** Calls {@code sink} for each pre-token of {@code text[from, to)}, in order, covering it. */
  void split(String text, int from, int to, Sink sink);

  /** GPT-2's {@code ByteLevel} pattern. */
  String GPT2 =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** cl100k's pattern as Llama 3 writes it: digits in runs of up to three. */
  String LLAMA3 =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** The same with single digits, as Qwen2 and Qwen3 write it. */
  String QWEN =
      "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}|"
          + " ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

  /** The scanner of {@code pattern}, or null when there is none for it. */
  static PreTokenizer forPattern(String pattern) {
    if (pattern.equals(GPT2)) {
      return new Gpt2Scanner();
    }
    if (pattern.equals(LLAMA3)) {
      return new Cl100kScanner(3);
    }
    if (pattern.equals(QWEN)) {
      return new Cl100kScanner(1);
    }
    return null;
  }
}
