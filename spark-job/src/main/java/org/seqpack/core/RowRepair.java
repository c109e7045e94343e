package org.seqpack.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A post-pass that empties rows a packer left partly filled: large-neighbourhood search that
 * repeatedly pools the chunks of a few rows and repacks them.
 *
 * <p>Each round pools the two rows with the most free space and eight other rows drawn with a
 * seeded generator. The pool is repacked by minimum bin slack (each new row takes the longest chunk
 * left plus the subset of the others that fills it most: an exact subset sum on bit sets) and,
 * unless that already meets the pool's lower bound, by a branch and bound for fewer rows, capped at
 * {@code nodeLimit} nodes. The new rows replace the old ones if they are fewer, or as many with a
 * larger sum of squared row fills: that gathers the free space into fewer rows so that a later
 * round can empty one. The search stops at the lower bound max(⌈tokens / capacity⌉, ⌈chunks /
 * maxSegments⌉), or after {@code roundsPerRow} rounds per input row. A round costs at most {@code
 * nodeLimit} search nodes plus one subset sum per new row, O(pool chunks · capacity / 64), and
 * nothing proportional to the window, so a window of r rows costs O(r) for a given capacity.
 *
 * <p>Output order: new rows take the places of the rows they replace (a round that turns ten rows
 * into nine writes them at the first nine of those places, in input order, and drops the tenth), so
 * untouched rows keep their input order; they are the input's {@link PackedRow} objects. Chunks in
 * a new row are longest first, equal lengths in input order, as best-fit decreasing writes them.
 * The output holds the same {@link Chunk} objects, each once, and depends only on the seed and the
 * input's chunk lengths and order. Immutable and thread-safe.
 */
public final class RowRepair {
  /** Default rounds per input row; the Europarl windows gain little beyond it (see the tests). */
  public static final int DEFAULT_ROUNDS_PER_ROW = 4;

  /** Default branch-and-bound nodes per round; most pools need far fewer. */
  public static final int DEFAULT_NODE_LIMIT = 2_000;

  /** Rows with the most free space that every round pools. */
  static final int EMPTIEST = 2;

  /** Other rows, drawn at random, that every round pools. */
  static final int RANDOM = 8;

  /** Pools with more chunks than this skip the branch and bound (its recursion depth). */
  static final int MAX_EXACT_POOL = 256;

  private final int roundsPerRow;
  private final int nodeLimit;

  /** A repair with {@link #DEFAULT_ROUNDS_PER_ROW} and {@link #DEFAULT_NODE_LIMIT}. */
  public RowRepair() {
    this(DEFAULT_ROUNDS_PER_ROW, DEFAULT_NODE_LIMIT);
  }

  public RowRepair(int roundsPerRow, int nodeLimit) {
    if (roundsPerRow < 0) {
      throw new IllegalArgumentException(
          "'roundsPerRow' is " + roundsPerRow + "; must be at least 0");
    }
    if (nodeLimit < 1) {
      throw new IllegalArgumentException("'nodeLimit' is " + nodeLimit + "; must be at least 1");
    }
    this.roundsPerRow = roundsPerRow;
    this.nodeLimit = nodeLimit;
  }

  /**
   * Repacks one window's rows into as few as the budget finds, never more than given.
   *
   * @param rows rows of one window, each within {@code capacity} and {@code maxSegments}
   * @param capacity tokens per row
   * @param maxSegments segments per row at most ({@link Integer#MAX_VALUE} for no limit)
   * @param seed seeds the choice of random rows
   * @return {@code rows} itself when it is already at the lower bound, else the repaired rows
   */
  public List<PackedRow> repair(List<PackedRow> rows, int capacity, int maxSegments, long seed) {
    return repair(rows, capacity, maxSegments, seed, new Work());
  }

  /** As {@link #repair(List, int, int, long)}, adding the work done to {@code work}. */
  List<PackedRow> repair(
      List<PackedRow> rows, int capacity, int maxSegments, long seed, Work work) {
    FirstFit.checkLimits(capacity, maxSegments);
    long tokens = 0;
    long chunks = 0;
    for (PackedRow row : rows) {
      if (row.length() > capacity || row.segments().size() > maxSegments) {
        throw new IllegalArgumentException(
            "a row holds "
                + row.length()
                + " tokens in "
                + row.segments().size()
                + " segments; must be at most "
                + capacity
                + " tokens and "
                + maxSegments
                + " segments");
      }
      tokens += row.length();
      chunks += row.segments().size();
    }
    long bound = lowerBound(tokens, chunks, capacity, maxSegments);
    if (rows.size() <= bound || roundsPerRow == 0) {
      return rows;
    }
    Search search = new Search(rows, capacity, maxSegments, seed, bound, nodeLimit, work);
    return search.run((long) roundsPerRow * rows.size());
  }

  /** Rows needed at least for {@code tokens} tokens in {@code chunks} chunks. */
  static long lowerBound(long tokens, long chunks, int capacity, int maxSegments) {
    return Math.max((tokens + capacity - 1) / capacity, (chunks + maxSegments - 1) / maxSegments);
  }

  /** Counters of the work one or more repairs did, for tests and benchmarks. */
  static final class Work {
    long rounds;
    long accepted;
    long rowsSaved;
    long nodes;
  }

  /** The state of one repair: rows as slots of chunk indices, in input order. */
  private static final class Search {
    private final Chunk[] chunks;
    private final int[] length;
    private final int capacity;
    private final long bound;
    private final int nodeLimit;
    private final Work work;
    private final SplittableRandom random;
    private final BranchAndBound exact;
    private final MinimumSlack fill;

    /** members[s] = chunk indices of the row in slot s, null once that row is gone. */
    private final int[][] members;

    /** The input row of slot s while the slot is untouched, else null. */
    private final PackedRow[] untouched;

    private final int[] used;

    // Live slots in no order, for drawing at random; place[s] = index of s in live.
    private final int[] live;
    private final int[] place;
    private int liveCount;

    // Live slots bucketed by used tokens (doubly linked), to find the emptiest rows.
    private final int[] bucketHead;
    private final int[] nextInBucket;
    private final int[] previousInBucket;
    private final FirstAtLeast nonEmpty;

    Search(
        List<PackedRow> rows,
        int capacity,
        int maxSegments,
        long seed,
        long bound,
        int nodeLimit,
        Work work) {
      this.capacity = capacity;
      this.bound = bound;
      this.nodeLimit = nodeLimit;
      this.work = work;
      this.random = new SplittableRandom(seed);
      this.exact = new BranchAndBound(capacity, maxSegments);
      this.fill = new MinimumSlack(capacity, maxSegments);
      int slots = rows.size();
      int n = 0;
      for (PackedRow row : rows) {
        n += row.segments().size();
      }
      chunks = new Chunk[n];
      length = new int[n];
      members = new int[slots][];
      untouched = rows.toArray(new PackedRow[0]);
      used = new int[slots];
      live = new int[slots];
      place = new int[slots];
      bucketHead = new int[capacity + 1];
      Arrays.fill(bucketHead, -1);
      nextInBucket = new int[slots];
      previousInBucket = new int[slots];
      nonEmpty = new FirstAtLeast(capacity + 1);
      int c = 0;
      for (int s = 0; s < slots; s++) {
        List<Chunk> segments = rows.get(s).segments();
        int[] ids = new int[segments.size()];
        for (int j = 0; j < ids.length; j++) {
          chunks[c] = segments.get(j);
          length[c] = chunks[c].length();
          ids[j] = c++;
        }
        members[s] = ids;
        used[s] = rows.get(s).length();
        live[s] = s;
        place[s] = s;
        link(s);
      }
      liveCount = slots;
    }

    List<PackedRow> run(long rounds) {
      int[] picked = new int[EMPTIEST + RANDOM];
      for (long round = 0; round < rounds && liveCount > bound; round++) {
        work.rounds++;
        int count = pick(picked);
        if (!repack(picked, count) && count == liveCount) {
          break; // The pool is every row and could not be improved: later rounds would repeat it.
        }
      }
      List<PackedRow> out = new ArrayList<>(liveCount);
      for (int s = 0; s < members.length; s++) {
        if (untouched[s] != null) {
          out.add(untouched[s]);
        } else if (members[s] != null) {
          Chunk[] segments = new Chunk[members[s].length];
          for (int j = 0; j < segments.length; j++) {
            segments[j] = chunks[members[s][j]];
          }
          out.add(new PackedRow(List.of(segments), used[s]));
        }
      }
      return out;
    }

    /** Puts the emptiest rows and random others into {@code picked}; returns how many. */
    private int pick(int[] picked) {
      if (liveCount <= picked.length) {
        System.arraycopy(live, 0, picked, 0, liveCount);
        return liveCount;
      }
      int count = 0;
      for (int bucket = nonEmpty.firstAtLeast(0); count < EMPTIEST; ) {
        for (int s = bucketHead[bucket]; s >= 0 && count < EMPTIEST; s = nextInBucket[s]) {
          picked[count++] = s;
        }
        bucket = nonEmpty.firstAtLeast(bucket + 1);
      }
      while (count < picked.length) {
        int s = live[random.nextInt(liveCount)];
        boolean fresh = true;
        for (int i = 0; i < count; i++) {
          fresh &= picked[i] != s;
        }
        if (fresh) {
          picked[count++] = s;
        }
      }
      return count;
    }

    /** Repacks the chunks of the picked rows; returns whether the new rows replaced them. */
    private boolean repack(int[] picked, int count) {
      Arrays.sort(picked, 0, count);
      int items = 0;
      long oldScore = 0;
      for (int i = 0; i < count; i++) {
        items += members[picked[i]].length;
        oldScore += (long) used[picked[i]] * used[picked[i]];
      }
      // The pool longest first, ties by chunk index: keys (capacity - length, chunk) in one long.
      long[] keys = new long[items];
      int k = 0;
      for (int i = 0; i < count; i++) {
        for (int id : members[picked[i]]) {
          keys[k++] = ((long) (capacity - length[id]) << 32) | id;
        }
      }
      Arrays.sort(keys);
      int[] ids = new int[items];
      int[] sizes = new int[items];
      long total = 0;
      for (int i = 0; i < items; i++) {
        ids[i] = (int) keys[i];
        sizes[i] = length[ids[i]];
        total += sizes[i];
      }

      int[] binOf = fill.pack(sizes);
      int bins = binCount(binOf);
      long poolBound = lowerBound(total, items, capacity, exact.maxSegments);
      if (bins > poolBound && items <= MAX_EXACT_POOL) {
        int[] fewer = exact.solve(sizes, Math.min(bins, count) - 1, nodeLimit);
        work.nodes += exact.nodes;
        if (fewer != null) {
          binOf = fewer;
          bins = binCount(fewer);
        }
      }
      if (bins > count || (bins == count && score(sizes, binOf, bins) <= oldScore)) {
        return false;
      }
      work.accepted++;
      work.rowsSaved += count - bins;
      replace(picked, count, ids, binOf, bins);
      return true;
    }

    /** Writes the new rows into the first {@code bins} picked slots and drops the others. */
    private void replace(int[] picked, int count, int[] ids, int[] binOf, int bins) {
      int[] sizeOf = new int[bins];
      for (int b : binOf) {
        sizeOf[b]++;
      }
      int[][] rows = new int[bins][];
      for (int b = 0; b < bins; b++) {
        rows[b] = new int[sizeOf[b]];
      }
      int[] filled = new int[bins];
      int[] tokens = new int[bins];
      // ids are longest first, so each new row lists its chunks longest first.
      for (int i = 0; i < ids.length; i++) {
        int b = binOf[i];
        rows[b][filled[b]++] = ids[i];
        tokens[b] += length[ids[i]];
      }
      for (int i = 0; i < count; i++) {
        unlink(picked[i]);
        untouched[picked[i]] = null;
      }
      for (int i = 0; i < count; i++) {
        int s = picked[i];
        if (i < bins) {
          members[s] = rows[i];
          used[s] = tokens[i];
          link(s);
        } else {
          members[s] = null;
          int last = live[--liveCount];
          live[place[s]] = last;
          place[last] = place[s];
        }
      }
    }

    private void link(int s) {
      int bucket = used[s];
      int head = bucketHead[bucket];
      nextInBucket[s] = head;
      previousInBucket[s] = -1;
      if (head >= 0) {
        previousInBucket[head] = s;
      } else {
        nonEmpty.set(bucket);
      }
      bucketHead[bucket] = s;
    }

    private void unlink(int s) {
      int next = nextInBucket[s];
      int previous = previousInBucket[s];
      if (previous >= 0) {
        nextInBucket[previous] = next;
      } else {
        bucketHead[used[s]] = next;
        if (next < 0) {
          nonEmpty.clear(used[s]);
        }
      }
      if (next >= 0) {
        previousInBucket[next] = previous;
      }
    }

    private static int binCount(int[] binOf) {
      int bins = 0;
      for (int b : binOf) {
        bins = Math.max(bins, b + 1);
      }
      return bins;
    }

    private static long score(int[] sizes, int[] binOf, int bins) {
      long[] tokens = new long[bins];
      for (int i = 0; i < sizes.length; i++) {
        tokens[binOf[i]] += sizes[i];
      }
      long score = 0;
      for (long t : tokens) {
        score += t * t;
      }
      return score;
    }
  }

  /**
   * Minimum bin slack: each new bin takes the longest item left plus the subset of the other items
   * left that fills it most, by subset sum on bit sets. Reused across rounds; not thread-safe.
   */
  static final class MinimumSlack {
    /**
     * When the segment limit allows more items than this, subsets are drawn from that many longest
     * items instead of counted exactly (a cost of one bit set per allowed item).
     */
    static final int MAX_LAYERS = 32;

    private final int capacity;
    private final int maxSegments;
    private long[][] reach = new long[0][];
    private int[][] from = new int[0][];

    MinimumSlack(int capacity, int maxSegments) {
      this.capacity = capacity;
      this.maxSegments = maxSegments;
    }

    /** The bin of each item ({@code sizes} longest first), bins numbered from 0 fullest first. */
    int[] pack(int[] sizes) {
      int items = sizes.length;
      int[] binOf = new int[items];
      Arrays.fill(binOf, -1);
      int left = items;
      int first = 0;
      for (int bin = 0; left > 0; bin++) {
        while (binOf[first] >= 0) {
          first++;
        }
        binOf[first] = bin;
        left--;
        int room = capacity - sizes[first];
        int slots = (int) Math.min((long) maxSegments - 1, left);
        if (room > 0 && slots > 0) {
          boolean counted = slots < left && slots <= MAX_LAYERS;
          left -= choose(sizes, binOf, first + 1, room, counted ? slots : 0, slots, bin);
        }
      }
      return binOf;
    }

    /**
     * Marks with {@code bin} the free items from {@code start} on with the largest sum at most
     * {@code room}: at most {@code limit} of them when {@code limit > 0}, else any of the first
     * {@code candidates} free items. Returns how many.
     */
    private int choose(
        int[] sizes, int[] binOf, int start, int room, int limit, int candidates, int bin) {
      // Without a limit one bit set of reachable sums feeds itself; with one, set c holds the sums
      // of exactly c items. from[c][sum] = the item that first reached sum, for the way back.
      int layers = Math.max(limit, 0) + 1;
      int words = (room >> 6) + 1;
      if (reach.length < layers) {
        reach = Arrays.copyOf(reach, layers);
        from = Arrays.copyOf(from, layers);
      }
      for (int c = 0; c < layers; c++) {
        if (reach[c] == null || reach[c].length < words) {
          reach[c] = new long[(capacity >> 6) + 1];
          from[c] = new int[capacity + 1];
        }
        Arrays.fill(reach[c], 0, words, 0L);
      }
      reach[0][0] = 1L;
      long topMask = -1L >>> (63 - (room & 63));
      int seen = 0;
      for (int j = start; j < sizes.length && (limit > 0 || seen < candidates); j++) {
        int x = sizes[j];
        if (binOf[j] >= 0) {
          continue;
        }
        seen++;
        if (x > room) {
          continue;
        }
        for (int c = limit > 0 ? limit : 1; c >= 1; c--) {
          long[] source = reach[limit > 0 ? c - 1 : 0];
          long[] target = reach[limit > 0 ? c : 0];
          int[] origin = from[limit > 0 ? c : 0];
          shiftIn(source, target, origin, x, words, topMask, j);
        }
        if (limit == 0 && (reach[0][words - 1] >>> (room & 63)) != 0) {
          break; // The room is filled exactly.
        }
      }
      int bestSum = 0;
      int bestLayer = 0;
      for (int c = limit > 0 ? 1 : 0; c < layers; c++) {
        for (int w = words - 1; w >= 0; w--) {
          if (reach[c][w] != 0) {
            int sum = (w << 6) + 63 - Long.numberOfLeadingZeros(reach[c][w]);
            if (sum > bestSum) {
              bestSum = sum;
              bestLayer = c;
            }
            break;
          }
        }
      }
      int chosen = 0;
      for (int sum = bestSum, c = bestLayer; sum > 0; chosen++) {
        int j = from[c][sum];
        binOf[j] = bin;
        sum -= sizes[j];
        c = limit > 0 ? c - 1 : c;
      }
      return chosen;
    }

    /** target |= source << x (sums ≤ room), recording item j for each newly reached sum. */
    private static void shiftIn(
        long[] source, long[] target, int[] origin, int x, int words, long topMask, int j) {
      int shiftWords = x >> 6;
      int shiftBits = x & 63;
      // High words first, so that when source == target every word is read before it is written.
      for (int w = words - 1; w >= shiftWords; w--) {
        int low = w - shiftWords;
        long shifted = source[low] << shiftBits;
        if (shiftBits != 0 && low > 0) {
          shifted |= source[low - 1] >>> (64 - shiftBits);
        }
        if (w == words - 1) {
          shifted &= topMask;
        }
        long fresh = shifted & ~target[w];
        target[w] |= fresh;
        for (; fresh != 0; fresh &= fresh - 1) {
          origin[(w << 6) + Long.numberOfTrailingZeros(fresh)] = j;
        }
      }
    }
  }

  /**
   * Branch and bound for a packing into fewer bins, on int arrays only: items longest first, each
   * into an open bin (best fit first, one bin per distinct state) or a new one; a branch is cut
   * when the open bins plus ⌈overflow / capacity⌉ reach the best found. Reused; not thread-safe.
   */
  static final class BranchAndBound {
    final int capacity;
    final int maxSegments;

    /** Nodes the last {@link #solve} visited. */
    long nodes;

    private int[] sizes;
    private int items;
    private int nodeLimit;
    private int width;
    private int[] suffix = new int[1];
    private int[] rem = new int[0];
    private int[] segments = new int[0];
    private int[] binOf = new int[0];
    private int[] bestBinOf = new int[0];
    private int[] tried = new int[0];
    private int open;
    private int best;
    private int target;

    BranchAndBound(int capacity, int maxSegments) {
      this.capacity = capacity;
      this.maxSegments = maxSegments;
    }

    /**
     * The bin of each item ({@code sizes} longest first) in a packing into at most {@code maxBins}
     * bins, the fewest found within {@code nodeLimit} nodes; null when none is found.
     */
    int[] solve(int[] sizes, int maxBins, int nodeLimit) {
      nodes = 0;
      this.sizes = sizes;
      this.nodeLimit = nodeLimit;
      items = sizes.length;
      if (maxBins < 1 || items == 0) {
        return null;
      }
      if (suffix.length < items + 1) {
        suffix = new int[items + 1];
        binOf = new int[items];
        bestBinOf = new int[items];
      }
      width = maxBins;
      if (rem.length < maxBins) {
        rem = new int[maxBins];
        segments = new int[maxBins];
      }
      if (tried.length < items * width) {
        tried = new int[items * width];
      }
      suffix[items] = 0;
      for (int i = items - 1; i >= 0; i--) {
        suffix[i] = suffix[i + 1] + sizes[i];
      }
      long lower = lowerBound(suffix[0], items, capacity, maxSegments);
      if (lower > maxBins) {
        return null;
      }
      target = (int) lower;
      best = maxBins + 1;
      open = 0;
      place(0, 0);
      return best <= maxBins ? Arrays.copyOf(bestBinOf, items) : null;
    }

    /** Places items i onwards; {@code free} is the room left in open bins that can take more. */
    private void place(int i, long free) {
      if (++nodes > nodeLimit) {
        return;
      }
      long overflow = suffix[i] - free;
      long needed = open + (overflow > 0 ? (overflow + capacity - 1) / capacity : 0);
      if (needed >= best) {
        return;
      }
      if (i == items) {
        best = open;
        System.arraycopy(binOf, 0, bestBinOf, 0, items);
        return;
      }
      int x = sizes[i];
      // Open bins that take x, sorted by room left; bins in the same state are tried once.
      int base = i * width;
      int count = 0;
      for (int b = 0; b < open; b++) {
        if (rem[b] < x || segments[b] >= maxSegments) {
          continue;
        }
        boolean same = false;
        for (int j = 0; j < count && !same; j++) {
          int other = tried[base + j];
          same = rem[other] == rem[b] && segments[other] == segments[b];
        }
        if (!same) {
          int j = count++;
          for (; j > 0 && rem[tried[base + j - 1]] > rem[b]; j--) {
            tried[base + j] = tried[base + j - 1];
          }
          tried[base + j] = b;
        }
      }
      for (int j = 0; j < count; j++) {
        int b = tried[base + j];
        rem[b] -= x;
        segments[b]++;
        binOf[i] = b;
        // The bin's free room shrinks by x, or vanishes when it reaches the segment limit.
        place(i + 1, free - x - (segments[b] == maxSegments ? rem[b] : 0));
        rem[b] += x;
        segments[b]--;
        if (best <= target || nodes > nodeLimit) {
          return;
        }
      }
      if (open + 1 < best) {
        int b = open++;
        rem[b] = capacity - x;
        segments[b] = 1;
        binOf[i] = b;
        place(i + 1, free + (maxSegments > 1 ? rem[b] : 0));
        open--;
      }
    }
  }
}
