package org.seqpack.core;

/**
 * A set of small non-negative integers answering "smallest member at least x" in O(log n): a
 * complete binary tree of "any member below" flags over the range [0, size).
 */
final class FirstAtLeast {
  private final int leaves;
  private final boolean[] any;

  FirstAtLeast(int size) {
    int n = 1;
    while (n < size) {
      n <<= 1;
    }
    leaves = n;
    any = new boolean[2 * n];
  }

  void set(int value) {
    for (int node = value + leaves; node >= 1 && !any[node]; node >>= 1) {
      any[node] = true;
    }
  }

  void clear(int value) {
    int node = value + leaves;
    any[node] = false;
    for (node >>= 1; node >= 1; node >>= 1) {
      boolean below = any[2 * node] || any[2 * node + 1];
      if (any[node] == below) {
        break;
      }
      any[node] = below;
    }
  }

  boolean contains(int value) {
    return any[value + leaves];
  }

  /** The smallest member ≥ {@code value}, or -1 when there is none. */
  int firstAtLeast(int value) {
    if (value >= leaves) {
      return -1;
    }
    int node = value + leaves;
    if (any[node]) {
      return value;
    }
    // Climb until a right sibling subtree holds a member, then descend to its leftmost member.
    while (node > 1) {
      if ((node & 1) == 0 && any[node + 1]) {
        node = node + 1;
        while (node < leaves) {
          node = any[2 * node] ? 2 * node : 2 * node + 1;
        }
        return node - leaves;
      }
      node >>= 1;
    }
    return -1;
  }
}
