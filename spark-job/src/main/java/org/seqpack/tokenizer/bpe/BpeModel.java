package org.seqpack.tokenizer.bpe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A byte-level BPE model as Hugging Face {@code tokenizers} applies it to one pre-token (its {@code
 * models/bpe} module): the pre-token's UTF-8 bytes start as one symbol each, and the adjacent pair
 * of lowest merge rank (leftmost among equals) is merged until no pair has a merge; with {@code
 * ignore_merges} a pre-token that is itself in the vocabulary is that token. Thread-safe; results
 * are cached per pre-token.
 */
final class BpeModel {
  private static final long MISSING = -1;
  private static final int SCAN_LIMIT = 48; // shorter words: repeated scans beat a heap
  private static final int CACHED_CHARS = 64;
  // About 130 bytes a word on Europarl (317 k distinct words, 42 MB): at most ~70 MB of heap per
  // JVM, shared by its tasks.
  private static final int CACHE_LIMIT = 1 << 19;

  private final Map<String, Integer> vocab;
  private final int[] byteIds = new int[256];
  private final LongLongMap merges;
  private final int[] mergeResult;
  private final boolean ignoreMerges;
  private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>(1 << 16);
  private final int cacheLimit;

  /**
   * @param merges each merge as its two parts, in rank order
   * @throws IllegalArgumentException when a byte has no token, or a merge names a token that is not
   *     in the vocabulary
   */
  BpeModel(Map<String, Integer> vocab, String[][] merges, boolean ignoreMerges) {
    this(vocab, merges, ignoreMerges, CACHE_LIMIT);
  }

  BpeModel(Map<String, Integer> vocab, String[][] merges, boolean ignoreMerges, int cacheLimit) {
    this.cacheLimit = cacheLimit;
    this.vocab = vocab;
    this.ignoreMerges = ignoreMerges;
    for (int b = 0; b < 256; b++) {
      Integer id = vocab.get(String.valueOf(ByteLevel.CHARS[b]));
      if (id == null) {
        throw new IllegalArgumentException(
            "byte " + b + " ('" + ByteLevel.CHARS[b] + "') has no token in the vocabulary");
      }
      byteIds[b] = id;
    }
    this.merges = new LongLongMap(merges.length);
    this.mergeResult = new int[merges.length];
    for (int rank = 0; rank < merges.length; rank++) {
      String left = merges[rank][0];
      String right = merges[rank][1];
      Integer a = vocab.get(left);
      Integer b = vocab.get(right);
      Integer merged = vocab.get(left + right);
      if (a == null || b == null || merged == null) {
        throw new IllegalArgumentException(
            "merge " + rank + " '" + left + " " + right + "' names a token not in the vocabulary");
      }
      mergeResult[rank] = merged;
      // As a map built from the list in order: a repeated pair keeps its last rank.
      this.merges.put(key(a, b), rank);
    }
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | (b & 0xffffffffL);
  }

  /** The ids of one pre-token. */
  int[] encode(String word) {
    int[] cached = cache.get(word);
    if (cached != null) {
      return cached;
    }
    int[] ids = encodeUncached(word.getBytes(StandardCharsets.UTF_8));
    if (word.length() <= CACHED_CHARS) {
      if (cache.size() >= cacheLimit) {
        // Start again rather than stop filling: the frequent words of the text now being read
        // come back at once, where a full cache would keep the first partition's words forever.
        cache.clear();
      }
      cache.put(word, ids);
    }
    return ids;
  }

  /** Words in the cache now (at most the limit). */
  int cachedWords() {
    return cache.size();
  }

  private int[] encodeUncached(byte[] bytes) {
    if (ignoreMerges) {
      Integer whole = vocab.get(ByteLevel.of(bytes, 0, bytes.length));
      if (whole != null) {
        return new int[] {whole};
      }
    }
    int[] ids = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      ids[i] = byteIds[bytes[i] & 0xff];
    }
    return ids.length <= SCAN_LIMIT ? mergeByScans(ids) : mergeByHeap(ids);
  }

  private int rank(int a, int b) {
    return (int) merges.get(key(a, b), MISSING);
  }

  /** Merges the lowest-ranked (then leftmost) pair until none is left; O(n²), for short words. */
  private int[] mergeByScans(int[] ids) {
    int n = ids.length;
    while (n > 1) {
      int best = Integer.MAX_VALUE;
      int at = -1;
      for (int i = 0; i + 1 < n; i++) {
        int rank = rank(ids[i], ids[i + 1]);
        if (rank >= 0 && rank < best) {
          best = rank;
          at = i;
        }
      }
      if (at < 0) {
        break;
      }
      ids[at] = mergeResult[best];
      System.arraycopy(ids, at + 2, ids, at + 1, n - at - 2);
      n--;
    }
    return n == ids.length ? ids : Arrays.copyOf(ids, n);
  }

  /**
   * The same merges with a heap of (rank, position) entries, as {@code Word::merge_all} does: an
   * entry whose pair has changed since it was pushed is skipped.
   */
  private int[] mergeByHeap(int[] ids) {
    int n = ids.length;
    int[] next = new int[n];
    int[] prev = new int[n];
    boolean[] gone = new boolean[n];
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    for (int i = 0; i + 1 < n; i++) {
      push(heap, ids[i], ids[i + 1], i);
    }
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int rank = (int) (top >>> 32);
      int pos = (int) top;
      int right = next[pos];
      if (gone[pos] || right < 0) {
        continue;
      }
      int current = rank(ids[pos], ids[right]);
      if (current < 0 || mergeResult[current] != mergeResult[rank]) {
        continue; // stale
      }
      ids[pos] = mergeResult[rank];
      gone[right] = true;
      next[pos] = next[right];
      if (next[pos] >= 0) {
        prev[next[pos]] = pos;
      }
      if (prev[pos] >= 0) {
        push(heap, ids[prev[pos]], ids[pos], prev[pos]);
      }
      if (next[pos] >= 0) {
        push(heap, ids[pos], ids[next[pos]], pos);
      }
    }
    int count = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      ids[count++] = ids[i];
    }
    return Arrays.copyOf(ids, count);
  }

  private void push(LongHeap heap, int a, int b, int pos) {
    int rank = rank(a, b);
    if (rank >= 0) {
      heap.push(((long) rank << 32) | pos);
    }
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    private long[] values;
    private int size;

    LongHeap(int capacity) {
      values = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (values[parent] <= value) {
          break;
        }
        values[i] = values[parent];
        i = parent;
      }
      values[i] = value;
    }

    long pop() {
      long top = values[0];
      long last = values[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && values[child + 1] < values[child]) {
          child++;
        }
        if (values[child] >= last) {
          break;
        }
        values[i] = values[child];
        i = child;
      }
      if (size > 0) {
        values[i] = last;
      }
      return top;
    }
  }
}
