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
 */
public record SourceDocument(
    String source, long position, String text, String rejection, String excerpt) {

  public static SourceDocument accepted(String source, long position, String text) {
    return new SourceDocument(source, position, text, null, null);
  }

  public static SourceDocument rejected(
      String source, long position, String reason, String excerpt) {
    return new SourceDocument(source, position, null, reason, excerpt);
  }

  public boolean isRejected() {
    return rejection != null;
  }
}
