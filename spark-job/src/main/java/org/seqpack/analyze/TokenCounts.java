package org.seqpack.analyze;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Occurrences per token id, stored sparsely (open addressing): its size is bounded by the ids a
 * group actually uses, at most the vocabulary. Mergeable; not thread-safe.
 */
public final class TokenCounts implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int EMPTY = -1;

  private int[] keys;
  private long[] values;
  private int size;

  public TokenCounts() {
    keys = new int[64];
    Arrays.fill(keys, EMPTY);
    values = new long[64];
  }

  /** One id and its count. */
  public record Entry(int id, long count) {}

  public void add(int id, long count) {
    if (id < 0) {
      throw new IllegalArgumentException("'id' is " + id + "; must be at least 0");
    }
    if ((size + 1) * 2 > keys.length) {
      grow();
    }
    int slot = slot(keys, id);
    if (keys[slot] == EMPTY) {
      keys[slot] = id;
      size++;
    }
    values[slot] += count;
  }

  public void addAll(int[] ids) {
    for (int id : ids) {
      add(id, 1);
    }
  }

  public void merge(TokenCounts other) {
    for (int i = 0; i < other.keys.length; i++) {
      if (other.keys[i] != EMPTY) {
        add(other.keys[i], other.values[i]);
      }
    }
  }

  public long count(int id) {
    int slot = slot(keys, id);
    return keys[slot] == EMPTY ? 0 : values[slot];
  }

  /** Distinct ids seen. */
  public int distinct() {
    return size;
  }

  /** The {@code k} most frequent ids, most frequent first, ties by smaller id. */
  public List<Entry> top(int k) {
    List<Entry> all = new ArrayList<>(size);
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != EMPTY) {
        all.add(new Entry(keys[i], values[i]));
      }
    }
    all.sort(Comparator.comparingLong(Entry::count).reversed().thenComparingInt(Entry::id));
    return all.subList(0, Math.min(k, all.size()));
  }

  private void grow() {
    int[] oldKeys = keys;
    long[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    values = new long[oldKeys.length * 2];
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = slot(keys, oldKeys[i]);
        keys[slot] = oldKeys[i];
        values[slot] = oldValues[i];
      }
    }
  }

  private static int slot(int[] keys, int id) {
    int mask = keys.length - 1;
    int slot = (id * 0x9E3779B9) >>> 7 & mask;
    while (keys[slot] != EMPTY && keys[slot] != id) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }
}
