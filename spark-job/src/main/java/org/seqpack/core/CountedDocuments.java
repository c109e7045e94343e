package org.seqpack.core;

import java.util.Iterator;

/**
 * Passes a partition's records through unchanged while counting, into {@link PackStats}, those
 * whose text decoding repaired something and those whose text contains a literal special-token
 * string (which the sanitized tokenizer encodes as ordinary text).
 */
public final class CountedDocuments implements Iterator<SourceDocument> {
  private final Iterator<SourceDocument> documents;
  private final SpecialStrings specialStrings;
  private final PackStats stats;

  public CountedDocuments(
      Iterator<SourceDocument> documents, SpecialStrings specialStrings, PackStats stats) {
    this.documents = documents;
    this.specialStrings = specialStrings;
    this.stats = stats;
  }

  @Override
  public boolean hasNext() {
    return documents.hasNext();
  }

  @Override
  public SourceDocument next() {
    SourceDocument document = documents.next();
    if ((document.repairs() & SourceDocument.INVALID_UTF8_REPLACED) != 0) {
      stats.documentsWithInvalidUtf8++;
    }
    if ((document.repairs() & SourceDocument.LONE_SURROGATES_REPLACED) != 0) {
      stats.documentsWithLoneSurrogates++;
    }
    if (document.text() != null && specialStrings.foundIn(document.text())) {
      stats.documentsWithSpecialStrings++;
    }
    return document;
  }
}
