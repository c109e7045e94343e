package org.seqpack.tokenizer.bpe;

import java.util.Arrays;

/**
 * An open-addressing map from long to long (no boxing), for the merge table; read-only once built.
 */
final class LongLongMap {
  private static final long EMPTY = Long.MIN_VALUE;
  private final long[] keys;
  private final long[] values;
  private final int mask;
  private int size;

  LongLongMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new long[capacity];
    values = new long[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  /** Puts {@code key}, replacing an earlier value. */
  void put(long key, long value) {
    int slot = slot(key);
    while (keys[slot] != EMPTY) {
      if (keys[slot] == key) {
        values[slot] = value;
        return;
      }
      slot = (slot + 1) & mask;
    }
    if (size + 1 > keys.length * 3 / 4) {
      throw new IllegalStateException("map sized for fewer entries");
    }
    keys[slot] = key;
    values[slot] = value;
    size++;
  }

  /** The value of {@code key}, or {@code missing}. */
  long get(long key, long missing) {
    int slot = slot(key);
    while (true) {
      long found = keys[slot];
      if (found == key) {
        return values[slot];
      }
      if (found == EMPTY) {
        return missing;
      }
      slot = (slot + 1) & mask;
    }
  }

  private int slot(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
