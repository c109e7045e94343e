package org.seqpack.core;

/**
 * One input record: where it came from, and either its text or the reason it was rejected before
 * tokenization.
 *
 * @param source the input file
 * @param position byte offset of the line (text, JSONL) or row number (Parquet) within the file
 * @param text the document text, or null when rejected
 * @param rejection the rejection reason, or null when accepted
 * @param excerpt the start of the raw record, for rejected records (may be null)
 * @param repairs what decoding replaced in the text: a set of {@link #INVALID_UTF8_REPLACED} and
 *     {@link #LONE_SURROGATES_REPLACED}
 * @param group the value of a grouping field read beside the text (analyze's {@code
 *     --source-field}; empty when the record lacks it as a string), or null when none was asked
 */
public record SourceDocument(
    String source,
    long position,
    String text,
    String rejection,
    String excerpt,
    int repairs,
    String group)
    implements java.io.Serializable {

  /** A record read without a grouping field. */
  public SourceDocument(
      String source, long position, String text, String rejection, String excerpt, int repairs) {
    this(source, position, text, rejection, excerpt, repairs, null);
  }

  /** Invalid UTF-8 byte sequences of the record were replaced by U+FFFD. */
  public static final int INVALID_UTF8_REPLACED = 1;

  /** Lone UTF-16 surrogates from JSON {@code \\u} escapes were replaced by U+FFFD. */
  public static final int LONE_SURROGATES_REPLACED = 2;

  public static SourceDocument accepted(String source, long position, String text) {
    return new SourceDocument(source, position, text, null, null, 0);
  }

  /** An accepted record whose text was repaired while decoding ({@code repairs} as above). */
  public static SourceDocument accepted(String source, long position, String text, int repairs) {
    return new SourceDocument(source, position, text, null, null, repairs);
  }

  public static SourceDocument rejected(
      String source, long position, String reason, String excerpt) {
    return new SourceDocument(source, position, null, reason, excerpt, 0);
  }

  /** Characters of an accepted document's text kept as the excerpt when it is rejected later. */
  public static final int EXCERPT_CHARS = 1024;

  /**
   * This record rejected for {@code reason} after it was read (blank, no tokens, …): itself when
   * already rejected, else a rejected record whose excerpt is the start of its text.
   */
  public SourceDocument rejectedFor(String reason) {
    if (isRejected()) {
      return this;
    }
    String start = text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS);
    return rejected(source, position, reason, start);
  }

  public boolean isRejected() {
    return rejection != null;
  }
}
