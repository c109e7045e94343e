package org.seqpack.analyze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mergeable partial result of an analysis: what one partition (or, merged, the whole corpus)
 * holds. Documents read and rejected by reason (with the first few rejected records), and per
 * tokenizer the {@link GroupStats} of each language × source and the {@link LengthStats}. Its size
 * is bounded by tokenizers × groups × vocabulary and tokenizers × Σ L, never by the documents.
 */
public final class Analysis implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Rejected records kept as examples, at most. */
  public static final int MAX_EXAMPLES = 10;

  /** One language × source. */
  public record Group(String language, String source) implements Serializable, Comparable<Group> {
    @Override
    public int compareTo(Group other) {
      int byLanguage = language.compareTo(other.language);
      return byLanguage != 0 ? byLanguage : source.compareTo(other.source);
    }
  }

  /** A rejected record: where it is, why, and its first bytes. */
  public record Rejected(String source, long position, String reason, String excerpt)
      implements Serializable {}

  private final List<String> tokenizers;
  private final int[] seqLens;
  long documentsRead;
  long documentsAnalyzed;
  long documentsRepaired;
  final TreeMap<String, Long> rejected = new TreeMap<>();
  final List<Rejected> examples = new ArrayList<>();
  final TreeMap<String, Long> rejectedFiles = new TreeMap<>();
  final List<TreeMap<Group, GroupStats>> groups = new ArrayList<>();
  final List<LengthStats> lengths = new ArrayList<>();

  public Analysis(List<String> tokenizers, int[] seqLens) {
    this.tokenizers = List.copyOf(tokenizers);
    this.seqLens = seqLens.clone();
    for (int t = 0; t < tokenizers.size(); t++) {
      groups.add(new TreeMap<>());
      lengths.add(new LengthStats(seqLens));
    }
  }

  void reject(String source, long position, String reason, String excerpt) {
    rejected.merge(reason, 1L, Long::sum);
    if (examples.size() < MAX_EXAMPLES) {
      examples.add(new Rejected(source, position, reason, excerpt));
    }
  }

  /**
   * Records the file of {@code _rejected/} a partition wrote its rejected records to, and how many.
   */
  public void rejectedFile(String name, long records) {
    rejectedFiles.merge(name, records, Long::sum);
  }

  GroupStats group(int tokenizer, Group group) {
    return groups.get(tokenizer).computeIfAbsent(group, g -> new GroupStats());
  }

  /** Adds {@code other} into this one; both must be of the same tokenizers and lengths. */
  public Analysis merge(Analysis other) {
    if (!tokenizers.equals(other.tokenizers) || !Arrays.equals(seqLens, other.seqLens)) {
      throw new IllegalArgumentException("cannot merge analyses of different tokenizers or L");
    }
    documentsRead += other.documentsRead;
    documentsAnalyzed += other.documentsAnalyzed;
    documentsRepaired += other.documentsRepaired;
    other.rejected.forEach((reason, count) -> rejected.merge(reason, count, Long::sum));
    other.rejectedFiles.forEach((name, count) -> rejectedFiles.merge(name, count, Long::sum));
    for (Rejected example : other.examples) {
      if (examples.size() < MAX_EXAMPLES) {
        examples.add(example);
      }
    }
    for (int t = 0; t < tokenizers.size(); t++) {
      TreeMap<Group, GroupStats> into = groups.get(t);
      other
          .groups
          .get(t)
          .forEach((group, stats) -> into.merge(group, stats, GroupStats::mergedWith));
      lengths.get(t).merge(other.lengths.get(t));
    }
    return this;
  }

  public List<String> tokenizers() {
    return tokenizers;
  }

  public int[] seqLens() {
    return seqLens.clone();
  }

  public long documentsRead() {
    return documentsRead;
  }

  public long documentsAnalyzed() {
    return documentsAnalyzed;
  }

  /** Documents whose invalid UTF-8 or lone surrogates were replaced by U+FFFD while reading. */
  public long documentsRepaired() {
    return documentsRepaired;
  }

  public long rejectedTotal() {
    long total = 0;
    for (long count : rejected.values()) {
      total += count;
    }
    return total;
  }

  public Map<String, Long> rejected() {
    return Collections.unmodifiableMap(rejected);
  }

  /** The files of {@code _rejected/}, with their records (empty when none were written). */
  public Map<String, Long> rejectedFiles() {
    return Collections.unmodifiableMap(rejectedFiles);
  }

  public List<Rejected> examples() {
    return Collections.unmodifiableList(examples);
  }

  public Map<Group, GroupStats> groups(int tokenizer) {
    return Collections.unmodifiableMap(groups.get(tokenizer));
  }

  public LengthStats lengths(int tokenizer) {
    return lengths.get(tokenizer);
  }

  /**
   * Every document read is analysed or rejected, and every tokenizer saw every analysed document.
   *
   * @throws org.seqpack.core.SeqpackException naming the counts that disagree
   */
  public void checkAccounting() {
    if (documentsRead != documentsAnalyzed + rejectedTotal()) {
      throw new org.seqpack.core.SeqpackException(
          "accounting failed: "
              + documentsRead
              + " documents read != "
              + documentsAnalyzed
              + " analysed + "
              + rejectedTotal()
              + " rejected");
    }
    for (int t = 0; t < tokenizers.size(); t++) {
      long documents = 0;
      for (GroupStats stats : groups.get(t).values()) {
        documents += stats.documents;
      }
      if (documents != documentsAnalyzed || lengths.get(t).documents() != documentsAnalyzed) {
        throw new org.seqpack.core.SeqpackException(
            "accounting failed: tokenizer "
                + tokenizers.get(t)
                + " counted "
                + documents
                + " documents; "
                + documentsAnalyzed
                + " were analysed");
      }
    }
  }
}
