package org.seqpack.core;

/**
 * What happens to a document longer than the sequence length L (sentinels included); shorter
 * documents are always kept whole. {@link DocumentChunker} documents exactly which tokens each
 * policy keeps.
 */
public enum LongDocPolicy {
  /** Consecutive chunks of exactly L tokens plus a remainder; no token dropped. */
  SPLIT,
  /** Keep the first L tokens (the BOS if any); the EOS is lost and not put back. */
  TRUNCATE_TAIL,
  /** Keep the last L tokens (the EOS); the BOS is lost and not put back. */
  TRUNCATE_HEAD,
  /** Keep the first ⌈L/2⌉ and the last ⌊L/2⌋ tokens joined as one chunk (BOS and EOS kept). */
  TRUNCATE_MIDDLE,
  /** Keep nothing. */
  DROP,
  /** Overlapping chunks of L every stride S tokens; repeated tokens are context, not targets. */
  WINDOW;

  /**
   * The policy named {@code value} as written in configuration ({@code split}, {@code
   * truncate-tail}, {@code truncate-head}, {@code truncate-middle}, {@code drop}, {@code window});
   * case and {@code -}/{@code _} do not matter.
   *
   * @throws IllegalArgumentException naming the valid names when {@code value} is none of them
   */
  public static LongDocPolicy fromName(String value) {
    return ConfigNames.parse(LongDocPolicy.class, value, "long-document policy");
  }

  public String configName() {
    return ConfigNames.of(this);
  }
}
