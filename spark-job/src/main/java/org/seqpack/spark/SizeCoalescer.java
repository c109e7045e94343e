package org.seqpack.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.Partition;
import org.apache.spark.rdd.NewHadoopPartition;
import org.apache.spark.rdd.PartitionCoalescer;
import org.apache.spark.rdd.PartitionGroup;
import org.apache.spark.rdd.RDD;
import scala.Option;

/**
 * Reads consecutive input splits together, without a shuffle: the splits, in their order, are cut
 * into {@link #groups} contiguous runs of about equal weight (a split weighs its bytes, a
 * compressed file {@link #COMPRESSED_WEIGHT} times its size, as its text is larger), so many small
 * files make as many partitions as one large file of the same bytes is split into. A split heavier
 * than a group's share stays alone. Deterministic: the groups depend only on the splits and their
 * order.
 */
final class SizeCoalescer implements PartitionCoalescer, ScalaSerializable {
  private static final long serialVersionUID = 1L;

  /** The assumed ratio of text to compressed bytes, for sizing only. */
  static final int COMPRESSED_WEIGHT = 4;

  private final int partitions;
  private final long targetPartitionBytes;

  /**
   * @param partitions groups at least (fewer only when the splits are too few or too uneven)
   * @param targetPartitionBytes a group's weight at most, about, when that gives more groups
   */
  SizeCoalescer(int partitions, long targetPartitionBytes) {
    this.partitions = partitions;
    this.targetPartitionBytes = targetPartitionBytes;
  }

  /**
   * How many groups splits weighing {@code totalBytes} in all make: enough for partitions of at
   * most about {@code targetPartitionBytes}, and at least {@code partitions}.
   */
  static int groups(long totalBytes, int partitions, long targetPartitionBytes) {
    long bySize = (totalBytes + targetPartitionBytes - 1) / Math.max(1, targetPartitionBytes);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(Math.max(1, partitions), bySize));
  }

  @Override
  public PartitionGroup[] coalesce(int maxPartitions, RDD<?> parent) {
    Partition[] splits = parent.partitions();
    long total = 0;
    for (Partition partition : splits) {
      total += weight(partition);
    }
    int groups = groups(total, partitions, targetPartitionBytes);
    List<PartitionGroup> result = new ArrayList<>();
    PartitionGroup group = null;
    int groupIndex = -1;
    long before = 0;
    for (Partition partition : splits) {
      long weight = weight(partition);
      // The group whose share of the total holds this split's middle.
      int index =
          (int)
              Math.min(groups - 1, (long) ((before + weight / 2.0) * groups / Math.max(1, total)));
      if (group == null || index > groupIndex) {
        group = new PartitionGroup(Option.empty());
        result.add(group);
        groupIndex = index;
      }
      group.partitions().$plus$eq(partition);
      before += weight;
    }
    return result.toArray(new PartitionGroup[0]);
  }

  /** The weight of one input split: its bytes, or more for a compressed file. */
  private static long weight(InputSplit split) {
    if (!(split instanceof FileSplit file)) {
      return 1;
    }
    String name = file.getPath().getName();
    boolean compressed =
        InputCodecs.SUPPORTED.stream().anyMatch(extension -> name.endsWith(extension));
    return Math.max(1, file.getLength()) * (compressed ? COMPRESSED_WEIGHT : 1);
  }

  /** Whether a partition of Hadoop input is a split of a file Hadoop can split. */
  static boolean splittable(Partition partition) {
    return !(partition instanceof NewHadoopPartition hadoop
            && hadoop.serializableHadoopSplit().value() instanceof FileSplit file)
        || InputCodecs.splittable(file.getPath().getName());
  }

  /** The weight of a partition of Hadoop input (1 for any other). */
  private static long weight(Partition partition) {
    return partition instanceof NewHadoopPartition hadoop
        ? weight(hadoop.serializableHadoopSplit().value())
        : 1;
  }
}
