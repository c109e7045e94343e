package org.seqpack.analyze;

import java.io.Serializable;

/**
 * Sums over the documents of one tokenizer × language × source: documents, UTF-8 bytes, code
 * points, words ({@link Words}), text tokens (no BOS/EOS), documents holding an unknown or a
 * byte-fallback token, and the count of every token id. Mergeable; not thread-safe.
 */
public final class GroupStats implements Serializable {
  private static final long serialVersionUID = 1L;

  long documents;
  long bytes;
  long chars;
  long words;
  long tokens;
  long documentsWithUnknown;
  long documentsWithByteFallback;
  final TokenCounts tokenCounts = new TokenCounts();

  /** Adds one document's measures and ids. */
  public void add(Words.Counts text, int[] ids, Vocabulary vocabulary) {
    documents++;
    bytes += text.bytes();
    chars += text.chars();
    words += text.words();
    tokens += ids.length;
    boolean unknown = false;
    boolean byteFallback = false;
    int unknownId = vocabulary.unknownId();
    for (int id : ids) {
      unknown |= id == unknownId;
      byteFallback |= vocabulary.isByteFallback(id);
    }
    if (unknown) {
      documentsWithUnknown++;
    }
    if (byteFallback) {
      documentsWithByteFallback++;
    }
    tokenCounts.addAll(ids);
  }

  public void merge(GroupStats other) {
    documents += other.documents;
    bytes += other.bytes;
    chars += other.chars;
    words += other.words;
    tokens += other.tokens;
    documentsWithUnknown += other.documentsWithUnknown;
    documentsWithByteFallback += other.documentsWithByteFallback;
    tokenCounts.merge(other.tokenCounts);
  }

  /** {@code this} with {@code other} added, for {@link java.util.Map#merge}. */
  GroupStats mergedWith(GroupStats other) {
    merge(other);
    return this;
  }

  public long documents() {
    return documents;
  }

  public long bytes() {
    return bytes;
  }

  public long chars() {
    return chars;
  }

  public long words() {
    return words;
  }

  public long tokens() {
    return tokens;
  }

  public long documentsWithUnknown() {
    return documentsWithUnknown;
  }

  public long documentsWithByteFallback() {
    return documentsWithByteFallback;
  }

  public TokenCounts tokenCounts() {
    return tokenCounts;
  }
}
