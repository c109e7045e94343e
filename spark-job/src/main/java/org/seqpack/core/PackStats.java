package org.seqpack.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counters of one partition, merged on the driver into the run's totals. Every document read is
 * either packed or rejected with a reason.
 */
public final class PackStats implements Serializable {
  private static final long serialVersionUID = 1L;

  public long documentsRead;
  public long documentsPacked;
  public final Map<String, Long> rejected = new TreeMap<>();

  /** Tokens of packed documents, sentinels included, as placed into rows. */
  public long tokens;

  /** Chunks beyond the first of documents cut by the long-document policy. */
  public long chunksFromSplitting;

  public long documentsSplit;
  public long documentsTruncated;

  /** Documents the long-document policy dropped; also counted as rejected {@code too_long}. */
  public long documentsDropped;

  /** Tokens of packed or dropped documents that no row holds (truncation, drop). */
  public long tokensLost;

  /** Records in which invalid UTF-8 was replaced by U+FFFD (packed or not). */
  public long documentsWithInvalidUtf8;

  /** Records in which lone surrogates from JSON escapes were replaced by U+FFFD. */
  public long documentsWithLoneSurrogates;

  /** Accepted records whose text contains a literal special-token string. */
  public long documentsWithSpecialStrings;

  /** Texts longer than the tokenizer's per-call limit, tokenized in pieces. */
  public long textsInPieces;

  /**
   * Cuts between pieces inside a "word" (no white space or punctuation within the limit), where ids
   * may differ from a single call's.
   */
  public long cutsInsideWords;

  /**
   * Texts (or pieces of long ones) the Java engine left to DJL: code points this JVM's Unicode
   * tables do not assign, lone surrogates, text an NFC normalizer would change.
   */
  public long textsOnDjl;

  /** Rejected records written to the partition's file under {@code _rejected/}. */
  public long rejectedRecordsWritten;

  /** The first few rejected records, as "source at position: reason", for error messages. */
  public final List<String> rejectedExamples = new ArrayList<>();

  /** How many {@link #rejectedExamples} are kept. */
  public static final int REJECTED_EXAMPLES = 3;

  public long rows;
  public long segments;

  /** Real (non-padding) tokens across all rows. */
  public long rowTokens;

  /** Rows' capacity, Σ row length; equals rows × L for fixed-length rows. */
  public long rowCapacity;

  /** Tokens with loss mask 1 across all rows. */
  public long targetTokens;

  public long readNanos;
  public long tokenizeNanos;
  public long packNanos;
  public long layoutNanos;
  public long writeNanos;
  public long outputBytes;

  public void reject(String reason) {
    rejected.merge(reason, 1L, Long::sum);
  }

  /** Rejected ÷ read, 0 when nothing was read. */
  public double rejectedFraction() {
    return documentsRead == 0 ? 0.0 : (double) rejectedTotal() / documentsRead;
  }

  public long rejectedTotal() {
    long sum = 0;
    for (long count : rejected.values()) {
      sum += count;
    }
    return sum;
  }

  /**
   * Adds what reading and tokenizing counted in {@code input}, shared by the lanes of several
   * lengths: the documents' text anomalies, the pieces of long texts, and the reading time.
   */
  public void addInputCounts(PackStats input) {
    documentsWithInvalidUtf8 += input.documentsWithInvalidUtf8;
    documentsWithLoneSurrogates += input.documentsWithLoneSurrogates;
    documentsWithSpecialStrings += input.documentsWithSpecialStrings;
    textsInPieces += input.textsInPieces;
    cutsInsideWords += input.cutsInsideWords;
    textsOnDjl += input.textsOnDjl;
    readNanos += input.readNanos;
  }

  public PackStats merge(PackStats other) {
    documentsRead += other.documentsRead;
    documentsPacked += other.documentsPacked;
    other.rejected.forEach((reason, count) -> rejected.merge(reason, count, Long::sum));
    tokens += other.tokens;
    chunksFromSplitting += other.chunksFromSplitting;
    documentsSplit += other.documentsSplit;
    documentsTruncated += other.documentsTruncated;
    documentsDropped += other.documentsDropped;
    tokensLost += other.tokensLost;
    documentsWithInvalidUtf8 += other.documentsWithInvalidUtf8;
    documentsWithLoneSurrogates += other.documentsWithLoneSurrogates;
    documentsWithSpecialStrings += other.documentsWithSpecialStrings;
    rejectedRecordsWritten += other.rejectedRecordsWritten;
    for (String example : other.rejectedExamples) {
      if (rejectedExamples.size() < REJECTED_EXAMPLES) {
        rejectedExamples.add(example);
      }
    }
    textsInPieces += other.textsInPieces;
    cutsInsideWords += other.cutsInsideWords;
    textsOnDjl += other.textsOnDjl;
    rows += other.rows;
    segments += other.segments;
    rowTokens += other.rowTokens;
    rowCapacity += other.rowCapacity;
    targetTokens += other.targetTokens;
    readNanos += other.readNanos;
    tokenizeNanos += other.tokenizeNanos;
    packNanos += other.packNanos;
    layoutNanos += other.layoutNanos;
    writeNanos += other.writeNanos;
    outputBytes += other.outputBytes;
    return this;
  }
}
