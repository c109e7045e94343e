package org.seqpack.spark;

import java.io.Serializable;
import org.seqpack.core.PackStats;

/**
 * What one task wrote: its partition, its file in the staging folder (null if no rows), its
 * counters.
 */
record PartitionResult(int partition, String file, PackStats stats) implements Serializable {}
