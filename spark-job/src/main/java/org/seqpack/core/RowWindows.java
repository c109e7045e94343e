package org.seqpack.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Packs one partition's chunks a window at a time, in bounded memory: chunks are added until the
 * window holds {@code windowTokens} tokens, then the window is packed, repaired and its rows
 * shuffled (seeded by the run's seed, the partition and the window), and its rows are laid out one
 * by one. The caller decides when to pack ({@link PartitionPacker} pulls documents into it).
 */
public final class RowWindows {
  private final PackingConfig packing;
  private final Packer packer;
  private final RowRepair repair;
  private final RowLayout layout;
  private final long shuffleSeed;
  private final PackStats stats;
  private final ArrayDeque<PackedRow> pending = new ArrayDeque<>();
  private List<Chunk> window = new ArrayList<>();
  private long tokensInWindow;
  private long windowIndex;

  /**
   * @param padId the id written after a row's last segment
   * @param partition the partition index, mixed into the shuffle seed
   */
  public RowWindows(PackingConfig packing, int padId, int partition, PackStats stats) {
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
  }

  /** Adds a document's chunks to the window. */
  public void add(ChunkedDocument document) {
    for (Chunk chunk : document.chunks()) {
      window.add(chunk);
      tokensInWindow += chunk.length();
    }
  }

  /** Whether the window holds its tokens: time to {@link #pack}. */
  public boolean full() {
    return tokensInWindow >= packing.windowTokens();
  }

  /** Packs the window into rows waiting for {@link #nextRow}; returns false when it was empty. */
  public boolean pack() {
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
    window = new ArrayList<>();
    tokensInWindow = 0;
    stats.packNanos += System.nanoTime() - packStart;
    return true;
  }

  /** Whether a packed row waits to be laid out. */
  public boolean hasRow() {
    return !pending.isEmpty();
  }

  /** The next packed row, laid out as aligned columns and counted. */
  public RowArrays nextRow() {
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

  // Fisher–Yates with the given generator: the same seed always gives the same order.
  private static void shuffle(List<PackedRow> rows, Random random) {
    for (int i = rows.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      PackedRow swap = rows.get(i);
      rows.set(i, rows.get(j));
      rows.set(j, swap);
    }
  }
}
