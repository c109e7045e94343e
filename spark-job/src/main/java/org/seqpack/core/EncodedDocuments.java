package org.seqpack.core;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * One partition's records as encoded documents, in input order, lazily: each record is read,
 * counted, and either encoded into chunks or rejected with its reason (handed to {@code rejects}).
 * Every format starts here: {@link PartitionPacker} packs the chunks into rows, the flat token
 * formats write them as they come. The counters in {@link PackStats} are the same for all of them.
 */
public final class EncodedDocuments implements Iterator<ChunkedDocument> {
  /** Reason recorded for documents that are empty or only white space. */
  public static final String EMPTY = "empty";

  /** Reason recorded for documents whose text encodes to no token at all. */
  public static final String NO_TOKENS = "no_tokens";

  /** Reason recorded for documents with fewer text tokens than the configured minimum. */
  public static final String TOO_SHORT = "too_short";

  /** Reason recorded for documents the long-document policy dropped. */
  public static final String TOO_LONG = "too_long";

  private final Iterator<SourceDocument> documents;
  private final Intake intake;
  private final PackStats stats;
  private ChunkedDocument next;

  /**
   * @param encoder turns each accepted record into chunks (pretraining text or SFT examples)
   * @param rejects receives every rejected record (may be null)
   */
  public EncodedDocuments(
      Iterator<SourceDocument> documents,
      DocumentEncoder encoder,
      PackStats stats,
      Consumer<SourceDocument> rejects) {
    this.documents = documents;
    this.intake = new Intake(encoder, stats, rejects);
    this.stats = stats;
  }

  /** Reads records until one is kept (at least one chunk) or the input ends. */
  @Override
  public boolean hasNext() {
    while (next == null) {
      long readStart = System.nanoTime();
      if (!documents.hasNext()) {
        stats.readNanos += System.nanoTime() - readStart;
        return false;
      }
      SourceDocument document = documents.next();
      stats.readNanos += System.nanoTime() - readStart;
      next = intake.take(document);
    }
    return true;
  }

  /** The next kept document; its chunks' tokens are already counted in {@link PackStats#tokens}. */
  @Override
  public ChunkedDocument next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    ChunkedDocument document = next;
    next = null;
    return document;
  }

  /**
   * Takes one record at a time: counts it, encodes it, and either keeps its chunks or hands it to
   * the rejects with its reason. The numbering of encoded documents (a chunk's identity) is the
   * intake's, so two intakes given the same records number them alike.
   */
  public static final class Intake {
    private final DocumentEncoder encoder;
    private final PackStats stats;
    private final Consumer<SourceDocument> rejects;
    private long documentOrdinal;

    /**
     * @param rejects receives every rejected record (may be null)
     */
    public Intake(DocumentEncoder encoder, PackStats stats, Consumer<SourceDocument> rejects) {
      this.encoder = encoder;
      this.stats = stats;
      this.rejects = rejects;
    }

    /** The record's chunks, or null when it is rejected (then counted and handed on). */
    public ChunkedDocument take(SourceDocument document) {
      stats.documentsRead++;
      if (document.isRejected()) {
        reject(document, document.rejection());
        return null;
      }
      DocumentEncoder.Result result = encode(document);
      if (result.rejection() != null) {
        reject(document, result.rejection());
        return null;
      }
      ChunkedDocument chunked = result.chunked();
      stats.tokensLost += chunked.tokensLost();
      switch (chunked.kind()) {
        case DROPPED:
          stats.documentsDropped++;
          reject(document, TOO_LONG);
          return null;
        case TRUNCATED:
          stats.documentsTruncated++;
          break;
        case SPLIT:
          stats.documentsSplit++;
          stats.chunksFromSplitting += chunked.chunks().size() - 1;
          break;
        default:
          break;
      }
      stats.documentsPacked++;
      for (Chunk chunk : chunked.chunks()) {
        stats.tokens += chunk.length();
      }
      return chunked;
    }

    private DocumentEncoder.Result encode(SourceDocument document) {
      long start = System.nanoTime();
      try {
        return encoder.encode(document, documentOrdinal++);
      } catch (RuntimeException e) {
        throw new SeqpackException(
            "cannot tokenize the record at "
                + document.position()
                + " of "
                + document.source()
                + ": "
                + e.getMessage(),
            e);
      } finally {
        stats.tokenizeNanos += System.nanoTime() - start;
      }
    }

    private void reject(SourceDocument document, String reason) {
      stats.reject(reason);
      if (rejects != null) {
        rejects.accept(document.rejectedFor(reason));
      }
    }
  }
}
