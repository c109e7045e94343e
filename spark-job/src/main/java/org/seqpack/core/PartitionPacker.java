package org.seqpack.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Turns one partition's documents into laid-out rows, lazily and in bounded memory: documents are
 * tokenized and cut into chunks until a window holds {@code windowTokens} tokens, the window is
 * packed, and its rows are handed out before the next window is read.
 */
public final class PartitionPacker implements Iterator<RowArrays> {
  /** Reason recorded for documents that are empty or only white space. */
  public static final String EMPTY = "empty";

  /** Reason recorded for documents whose text encodes to no token at all. */
  public static final String NO_TOKENS = "no_tokens";

  private final Iterator<SourceDocument> documents;
  private final TextEncoder encoder;
  private final Sentinels sentinels;
  private final DocumentChunker chunker;
  private final Packer packer;
  private final RowLayout layout;
  private final int seqLen;
  private final int maxSegments;
  private final long windowTokens;
  private final PackStats stats;
  private final Consumer<SourceDocument> rejects;

  private final ArrayDeque<PackedRow> pending = new ArrayDeque<>();
  private long documentOrdinal;

  public PartitionPacker(
      Iterator<SourceDocument> documents,
      TextEncoder encoder,
      Sentinels sentinels,
      DocumentChunker chunker,
      Packer packer,
      int seqLen,
      int maxSegments,
      long windowTokens,
      PackStats stats,
      Consumer<SourceDocument> rejects) {
    this.documents = documents;
    this.encoder = encoder;
    this.sentinels = sentinels;
    this.chunker = chunker;
    this.packer = packer;
    this.layout = new RowLayout(seqLen, sentinels.pad());
    this.seqLen = seqLen;
    this.maxSegments = maxSegments;
    this.windowTokens = windowTokens;
    this.stats = stats;
    this.rejects = rejects;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (!fillAndPackWindow()) {
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
    PackedRow row = pending.poll();
    long start = System.nanoTime();
    RowArrays arrays = layout.layout(row);
    stats.layoutNanos += System.nanoTime() - start;
    stats.rows++;
    stats.segments += arrays.segments();
    stats.rowTokens += arrays.realTokens();
    stats.rowCapacity += arrays.inputIds().length;
    for (byte mask : arrays.lossMask()) {
      stats.targetTokens += mask;
    }
    return arrays;
  }

  /**
   * Reads documents until the window is full or input ends; returns false when nothing was read.
   */
  private boolean fillAndPackWindow() {
    List<Chunk> window = new ArrayList<>();
    long tokensInWindow = 0;
    while (tokensInWindow < windowTokens) {
      long readStart = System.nanoTime();
      if (!documents.hasNext()) {
        stats.readNanos += System.nanoTime() - readStart;
        break;
      }
      SourceDocument document = documents.next();
      stats.readNanos += System.nanoTime() - readStart;
      stats.documentsRead++;
      if (document.isRejected()) {
        reject(document, document.rejection());
        continue;
      }
      String text = document.text();
      if (text.isBlank()) {
        reject(document, EMPTY);
        continue;
      }
      long tokenizeStart = System.nanoTime();
      int[] ids;
      try {
        ids = encoder.encode(text);
      } catch (RuntimeException e) {
        throw new SeqpackException(
            "cannot tokenize the record at "
                + document.position()
                + " of "
                + document.source()
                + ": "
                + e.getMessage(),
            e);
      }
      stats.tokenizeNanos += System.nanoTime() - tokenizeStart;
      if (ids.length == 0) {
        reject(document, NO_TOKENS);
        continue;
      }
      int[] tokens = sentinels.wrap(ids);
      List<Chunk> chunks = chunker.chunk(tokens, documentOrdinal++);
      stats.documentsPacked++;
      if (chunks.size() > 1) {
        stats.documentsSplit++;
        stats.chunksFromSplitting += chunks.size() - 1;
      }
      for (Chunk chunk : chunks) {
        window.add(chunk);
        tokensInWindow += chunk.length();
        stats.tokens += chunk.length();
      }
    }
    if (window.isEmpty()) {
      return documents.hasNext();
    }
    long packStart = System.nanoTime();
    pending.addAll(packer.pack(window, seqLen, maxSegments));
    stats.packNanos += System.nanoTime() - packStart;
    return true;
  }

  private void reject(SourceDocument document, String reason) {
    stats.reject(reason);
    if (rejects != null) {
      rejects.accept(
          document.isRejected()
              ? document
              : SourceDocument.rejected(
                  document.source(), document.position(), reason, excerpt(document.text())));
    }
  }

  private static String excerpt(String text) {
    return text.length() <= 1024 ? text : text.substring(0, 1024);
  }
}
