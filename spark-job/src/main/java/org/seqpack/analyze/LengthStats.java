package org.seqpack.analyze;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The token lengths of one tokenizer's documents (text tokens plus the BOS/EOS the job adds), kept
 * in bounded form for each sequence length L: the lengths of documents of at most L tokens exactly,
 * and for longer ones their count, their tokens beyond L, the chunks of exactly L that {@code
 * split} cuts and the remainders it leaves. From these, rows under best-fit decreasing ({@link
 * PackingSimulation}) need no per-document list. Also a log-scale histogram (four buckets per
 * doubling) for the report's chart. Mergeable; not thread-safe.
 */
public final class LengthStats implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Buckets per doubling of the log histogram. */
  public static final int BUCKETS_PER_OCTAVE = 4;

  private static final int LOG_BUCKETS = 32 * BUCKETS_PER_OCTAVE;

  private final int[] seqLens;
  long documents;
  long tokens;
  long maxLength;
  final long[] logHistogram = new long[LOG_BUCKETS];

  /** Per L (index as in {@code seqLens}): counts of documents of length 1..L, by length. */
  final long[][] shortLengths;

  /** Per L: counts of the last chunk left by split (n mod L, 1..L-1) of documents over L. */
  final long[][] remainders;

  final long[] documentsOver;
  final long[] tokensOver;
  final long[] tokensInDocumentsOver;
  final long[] fullChunks;

  public LengthStats(int[] seqLens) {
    this.seqLens = seqLens.clone();
    int n = seqLens.length;
    shortLengths = new long[n][];
    remainders = new long[n][];
    for (int i = 0; i < n; i++) {
      shortLengths[i] = new long[seqLens[i] + 1];
      remainders[i] = new long[seqLens[i]];
    }
    documentsOver = new long[n];
    tokensOver = new long[n];
    tokensInDocumentsOver = new long[n];
    fullChunks = new long[n];
  }

  /** Adds one document of {@code length} tokens (at least 1). */
  public void add(int length) {
    if (length < 1) {
      throw new IllegalArgumentException("'length' is " + length + "; must be at least 1");
    }
    documents++;
    tokens += length;
    maxLength = Math.max(maxLength, length);
    logHistogram[bucket(length)]++;
    for (int i = 0; i < seqLens.length; i++) {
      int seqLen = seqLens[i];
      if (length <= seqLen) {
        shortLengths[i][length]++;
      } else {
        documentsOver[i]++;
        tokensOver[i] += length - seqLen;
        tokensInDocumentsOver[i] += length;
        fullChunks[i] += length / seqLen;
        remainders[i][length % seqLen]++;
      }
    }
  }

  public void merge(LengthStats other) {
    if (!Arrays.equals(seqLens, other.seqLens)) {
      throw new IllegalArgumentException(
          "cannot merge lengths for L = "
              + Arrays.toString(other.seqLens)
              + " into lengths for L = "
              + Arrays.toString(seqLens));
    }
    documents += other.documents;
    tokens += other.tokens;
    maxLength = Math.max(maxLength, other.maxLength);
    for (int b = 0; b < LOG_BUCKETS; b++) {
      logHistogram[b] += other.logHistogram[b];
    }
    for (int i = 0; i < seqLens.length; i++) {
      addInto(shortLengths[i], other.shortLengths[i]);
      addInto(remainders[i], other.remainders[i]);
      documentsOver[i] += other.documentsOver[i];
      tokensOver[i] += other.tokensOver[i];
      tokensInDocumentsOver[i] += other.tokensInDocumentsOver[i];
      fullChunks[i] += other.fullChunks[i];
    }
  }

  private static void addInto(long[] into, long[] from) {
    for (int i = 0; i < into.length; i++) {
      into[i] += from[i];
    }
  }

  /**
   * The log bucket of a length: ⌊4 · log2(length)⌋, found by comparing with the buckets' integer
   * starts (no rounding of a logarithm at powers of two).
   */
  static int bucket(long length) {
    int octave = 63 - Long.numberOfLeadingZeros(length);
    int bucket = octave * BUCKETS_PER_OCTAVE;
    while (bucket + 1 < LOG_BUCKETS && bucketStart(bucket + 1) <= length) {
      bucket++;
    }
    return Math.min(bucket, LOG_BUCKETS - 1);
  }

  /** The smallest length in log bucket {@code b}. */
  public static long bucketStart(int b) {
    return (long) Math.ceil(Math.pow(2, (double) b / BUCKETS_PER_OCTAVE) - 1e-9);
  }

  public int[] seqLens() {
    return seqLens.clone();
  }

  public long documents() {
    return documents;
  }

  public long tokens() {
    return tokens;
  }

  public long maxLength() {
    return maxLength;
  }

  public long[] logHistogram() {
    return logHistogram.clone();
  }

  public long documentsOver(int index) {
    return documentsOver[index];
  }

  /** Σ (n − L) over documents longer than L: what each truncation policy loses. */
  public long tokensOver(int index) {
    return tokensOver[index];
  }

  /** Σ n over documents longer than L: what {@code drop} loses. */
  public long tokensInDocumentsOver(int index) {
    return tokensInDocumentsOver[index];
  }

  /**
   * Chunks {@code split} makes beyond one per document: each later chunk's first token is not a
   * target, so this is also the targets split loses.
   */
  public long splitCuts(int index) {
    // A document of n > L tokens makes ⌊n/L⌋ chunks, plus one when L does not divide n: ⌈n/L⌉ − 1
    // cuts, so ⌊n/L⌋ − 1 when L divides n and ⌊n/L⌋ otherwise.
    return fullChunks[index] - remainders[index][0];
  }

  /** Chunk lengths (index = length, 0..L) of the documents cut by {@code split}. */
  public long[] splitChunks(int index) {
    long[] chunks = shortLengths[index].clone();
    long[] rest = remainders[index];
    for (int r = 1; r < rest.length; r++) {
      chunks[r] += rest[r];
    }
    chunks[seqLens[index]] += fullChunks[index];
    return chunks;
  }

  /** Chunk lengths (index = length, 0..L) under truncation: one chunk of L per long document. */
  public long[] truncatedChunks(int index) {
    long[] chunks = shortLengths[index].clone();
    chunks[seqLens[index]] += documentsOver[index];
    return chunks;
  }
}
