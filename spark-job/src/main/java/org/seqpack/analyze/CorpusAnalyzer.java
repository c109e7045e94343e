package org.seqpack.analyze;

import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.seqpack.core.EncodedDocuments;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.TextEncoder;

/**
 * Analyses documents into an {@link Analysis}: each accepted document's language is detected once,
 * its text measured once ({@link Words}) and encoded once per tokenizer. Rejections are those of
 * the job: the reader's (invalid JSON, missing field, …), {@code empty} for blank text, and {@code
 * no_tokens} when a tokenizer gives no id for the text. Reads the iterator lazily and keeps nothing
 * per document.
 */
public final class CorpusAnalyzer {
  private final List<String> names;
  private final List<TextEncoder> encoders;
  private final List<Vocabulary> vocabularies;
  private final int[] sentinels;
  private final int[] seqLens;
  private final LanguageDetector detector;
  private final Consumer<SourceDocument> rejects;

  /**
   * @param encoders one per tokenizer, text to ids without special tokens
   * @param vocabularies in the same order
   * @param sentinels per tokenizer, the BOS/EOS tokens the job adds to each document (0, 1 or 2)
   * @param seqLens the sequence lengths L to simulate
   * @param rejects receives every rejected record, with its reason (the job's {@code _rejected/})
   */
  public CorpusAnalyzer(
      List<TextEncoder> encoders,
      List<Vocabulary> vocabularies,
      int[] sentinels,
      int[] seqLens,
      LanguageDetector detector,
      Consumer<SourceDocument> rejects) {
    if (encoders.size() != vocabularies.size() || encoders.size() != sentinels.length) {
      throw new IllegalArgumentException(
          "one encoder, vocabulary and sentinel count per tokenizer");
    }
    this.names = vocabularies.stream().map(Vocabulary::name).toList();
    this.encoders = List.copyOf(encoders);
    this.vocabularies = List.copyOf(vocabularies);
    this.sentinels = sentinels.clone();
    this.seqLens = seqLens.clone();
    this.detector = detector;
    this.rejects = rejects;
  }

  /** An analyzer that keeps rejected records only as counts and examples. */
  public CorpusAnalyzer(
      List<TextEncoder> encoders,
      List<Vocabulary> vocabularies,
      int[] sentinels,
      int[] seqLens,
      LanguageDetector detector) {
    this(encoders, vocabularies, sentinels, seqLens, detector, rejected -> {});
  }

  /** A new empty analysis of these tokenizers and lengths. */
  public Analysis empty() {
    return new Analysis(names, seqLens);
  }

  public Analysis analyze(Iterator<SourceDocument> documents) {
    Analysis analysis = empty();
    while (documents.hasNext()) {
      add(analysis, documents.next());
    }
    return analysis;
  }

  /** Adds one record to {@code analysis}. */
  public void add(Analysis analysis, SourceDocument document) {
    analysis.documentsRead++;
    if (document.isRejected()) {
      reject(analysis, document);
      return;
    }
    String text = document.text();
    if (text.isBlank()) {
      reject(analysis, document, EncodedDocuments.EMPTY);
      return;
    }
    int[][] ids = new int[encoders.size()][];
    for (int t = 0; t < encoders.size(); t++) {
      ids[t] = encoders.get(t).encode(text);
    }
    boolean none = false;
    for (int[] encoded : ids) {
      none |= encoded.length == 0;
    }
    if (none) {
      reject(analysis, document, EncodedDocuments.NO_TOKENS);
      return;
    }
    analysis.documentsAnalyzed++;
    if (document.repairs() != 0) {
      analysis.documentsRepaired++;
    }
    Words.Counts counts = Words.count(text);
    Analysis.Group group = new Analysis.Group(detector.detect(text), source(document));
    for (int t = 0; t < encoders.size(); t++) {
      analysis.group(t, group).add(counts, ids[t], vocabularies.get(t));
      analysis.lengths.get(t).add(ids[t].length + sentinels[t]);
    }
  }

  private void reject(Analysis analysis, SourceDocument document, String reason) {
    reject(analysis, document.rejectedFor(reason));
  }

  private void reject(Analysis analysis, SourceDocument rejected) {
    analysis.reject(
        rejected.source(), rejected.position(), rejected.rejection(), rejected.excerpt());
    rejects.accept(rejected);
  }

  /**
   * The document's group value when a source field was read (its value, {@link #MISSING_SOURCE}
   * when the record lacks it), else its file's name.
   */
  static String source(SourceDocument document) {
    if (document.group() != null) {
      return document.group().isEmpty() ? MISSING_SOURCE : document.group();
    }
    return sourceName(document.source());
  }

  /** The source of documents whose record lacks the source field (or holds no string there). */
  public static final String MISSING_SOURCE = "(none)";

  /** A file's name without its folders: text input is grouped by file. */
  static String sourceName(String source) {
    if (source == null) {
      return "";
    }
    int slash = source.lastIndexOf('/');
    return slash >= 0 ? source.substring(slash + 1) : source;
  }
}
