package org.seqpack.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Turns one partition's documents into laid-out rows, lazily and in bounded memory: documents are
 * tokenized and cut into chunks until a window holds {@code windowTokens} tokens, the window is
 * packed, its rows are shuffled (seeded by the run's seed, the partition and the window), and they
 * are handed out before the next window is read.
 */
public final class PartitionPacker implements Iterator<RowArrays> {
  /** Reason recorded for documents that are empty or only white space. */
  public static final String EMPTY = "empty";

  /** Reason recorded for documents whose text encodes to no token at all. */
  public static final String NO_TOKENS = "no_tokens";

  /** Reason recorded for documents with fewer text tokens than the configured minimum. */
  public static final String TOO_SHORT = "too_short";

  /** Reason recorded for documents the long-document policy dropped. */
  public static final String TOO_LONG = "too_long";

  private final Iterator<SourceDocument> documents;
  private final DocumentEncoder encoder;
  private final PackingConfig packing;
  private final Packer packer;
  private final RowRepair repair;
  private final RowLayout layout;
  private final long shuffleSeed;
  private final PackStats stats;
  private final Consumer<SourceDocument> rejects;

  private final ArrayDeque<PackedRow> pending = new ArrayDeque<>();
  private long documentOrdinal;
  private long windowIndex;

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
    this.documents = documents;
    this.encoder = encoder;
    this.packing = packing;
    this.packer = packing.strategy().packer();
    boolean decreasing =
        packing.strategy() == PackingStrategy.BFD || packing.strategy() == PackingStrategy.FFD;
    this.repair = packing.repair() && decreasing ? new RowRepair() : null;
    this.layout =
        new RowLayout(
            packing.seqLen(),
            padId,
            packing.continuousPositions(),
            packing.variableRows(),
            packing.padToMultipleOf());
    this.shuffleSeed = packing.seed() * 0x9E3779B97F4A7C15L + partition;
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
    while (tokensInWindow < packing.windowTokens()) {
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
      DocumentEncoder.Result result = encode(document);
      if (result.rejection() != null) {
        reject(document, result.rejection());
        continue;
      }
      ChunkedDocument chunked = result.chunked();
      stats.tokensLost += chunked.tokensLost();
      switch (chunked.kind()) {
        case DROPPED:
          stats.documentsDropped++;
          reject(document, TOO_LONG);
          continue;
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
        window.add(chunk);
        tokensInWindow += chunk.length();
        stats.tokens += chunk.length();
      }
    }
    if (window.isEmpty()) {
      return false;
    }
    long packStart = System.nanoTime();
    List<PackedRow> rows = packer.pack(window, packing.seqLen(), packing.maxSegments());
    if (repair != null) {
      rows =
          repair.repair(rows, packing.seqLen(), packing.maxSegments(), shuffleSeed + windowIndex);
    }
    rows = new ArrayList<>(rows);
    shuffle(rows, new Random(shuffleSeed + 0x632BE59BD9B4E019L * windowIndex++));
    pending.addAll(rows);
    stats.packNanos += System.nanoTime() - packStart;
    return true;
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

  // Fisher–Yates with the given generator: the same seed always gives the same order.
  private static void shuffle(List<PackedRow> rows, Random random) {
    for (int i = rows.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      PackedRow swap = rows.get(i);
      rows.set(i, rows.get(j));
      rows.set(j, swap);
    }
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
