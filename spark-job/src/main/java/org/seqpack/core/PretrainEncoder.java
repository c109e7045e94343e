package org.seqpack.core;

/**
 * Pretraining documents: the text's ids with the job's BOS/EOS around them, cut by the
 * long-document policy. Blank texts, texts without tokens and texts shorter than the minimum are
 * rejected with their reason.
 */
public final class PretrainEncoder implements DocumentEncoder {
  private final TextEncoder encoder;
  private final Sentinels sentinels;
  private final DocumentChunker chunker;
  private final int minDocTokens;

  public PretrainEncoder(
      TextEncoder encoder, Sentinels sentinels, DocumentChunker chunker, int minDocTokens) {
    this.encoder = encoder;
    this.sentinels = sentinels;
    this.chunker = chunker;
    this.minDocTokens = minDocTokens;
  }

  @Override
  public Result encode(SourceDocument document, long ordinal) {
    String text = document.text();
    if (text.isBlank()) {
      return Result.rejected(EncodedDocuments.EMPTY);
    }
    int[] ids = encoder.encode(text);
    if (ids.length == 0) {
      return Result.rejected(EncodedDocuments.NO_TOKENS);
    }
    if (ids.length < minDocTokens) {
      return Result.rejected(EncodedDocuments.TOO_SHORT);
    }
    return Result.of(chunker.chunkDocument(sentinels.wrap(ids), ordinal));
  }
}
