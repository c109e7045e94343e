package org.seqpack.spark;

import java.util.Iterator;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.seqpack.core.SourceDocument;
import scala.Tuple2;

/**
 * Spreads documents read by too few tasks (one large {@code .gz}, {@code .zst} or {@code .xz} is
 * one split) over {@code partitions} partitions, so that tokenizing and packing use every core: the
 * d-th document of source partition s goes to partition (s + d) mod n, and each partition holds its
 * documents sorted by (s, d), so the result does not depend on task timing. Costs one shuffle of
 * the decoded records (written to and read from local disk once); reading each file stays
 * single-task.
 */
final class SpreadDocuments {
  private static final int ORDINAL_BITS = 40;
  private static final long ORDINAL_MASK = (1L << ORDINAL_BITS) - 1;

  private SpreadDocuments() {}

  static JavaRDD<SourceDocument> over(JavaRDD<SourceDocument> documents, int partitions) {
    return JavaPairRDD.fromJavaRDD(documents.mapPartitionsWithIndex(new Keyed(), true))
        .repartitionAndSortWithinPartitions(new RoundRobin(partitions))
        .values();
  }

  /** Keys each document by (source partition, ordinal), packed in one long. */
  private static final class Keyed
      implements Function2<
          Integer, Iterator<SourceDocument>, Iterator<Tuple2<Long, SourceDocument>>> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<Tuple2<Long, SourceDocument>> call(
        Integer partition, Iterator<SourceDocument> documents) {
      long base = (long) partition << ORDINAL_BITS;
      return new Iterator<>() {
        private long ordinal;

        @Override
        public boolean hasNext() {
          return documents.hasNext();
        }

        @Override
        public Tuple2<Long, SourceDocument> next() {
          return new Tuple2<>(base | (ordinal++ & ORDINAL_MASK), documents.next());
        }
      };
    }
  }

  /** Partition (source partition + ordinal) mod n of a {@link Keyed} key. */
  private static final class RoundRobin extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    RoundRobin(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      long value = (Long) key;
      return (int) (((value >>> ORDINAL_BITS) + (value & ORDINAL_MASK)) % partitions);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RoundRobin that && that.partitions == partitions;
    }

    @Override
    public int hashCode() {
      return partitions;
    }
  }
}
