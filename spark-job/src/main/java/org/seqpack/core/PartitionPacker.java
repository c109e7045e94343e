package org.seqpack.core;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Turns one partition's documents into laid-out rows, lazily and in bounded memory: documents are
 * tokenized and cut into chunks until a window holds {@code windowTokens} tokens, the window is
 * packed (see {@link RowWindows}), and its rows are handed out before the next window is read.
 */
public final class PartitionPacker implements Iterator<RowArrays> {
  private final EncodedDocuments documents;
  private final RowWindows windows;

  /**
   * @param encoder turns each accepted record into chunks (pretraining text or SFT examples)
   * @param padId the id written after a row's last segment
   * @param partition the partition index, mixed into the shuffle seed
   * @param rejects receives every rejected record (may be null)
   */
  public PartitionPacker(
      Iterator<SourceDocument> documents,
      DocumentEncoder encoder,
      PackingConfig packing,
      int padId,
      int partition,
      PackStats stats,
      Consumer<SourceDocument> rejects) {
    this.documents = new EncodedDocuments(documents, encoder, stats, rejects);
    this.windows = new RowWindows(packing, padId, partition, stats);
  }

  @Override
  public boolean hasNext() {
    while (!windows.hasRow()) {
      while (!windows.full() && documents.hasNext()) {
        windows.add(documents.next());
      }
      if (!windows.pack()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public RowArrays next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return windows.nextRow();
  }
}
