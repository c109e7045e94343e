package org.seqpack.core;

import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds whether a text contains any of a tokenizer's special-token strings ({@code <|endoftext|>},
 * {@code <|im_start|>}, ...), in one pass: a bit set of first characters skips almost every
 * position, and a character trie checks the few that start a candidate, so the cost does not grow
 * with the number of special tokens (Llama 3 has 256). Immutable and thread-safe.
 */
public final class SpecialStrings {
  private static final SpecialStrings NONE = new SpecialStrings(new Node(), new BitSet());

  private final Node root;
  private final BitSet firstChars;

  private SpecialStrings(Node root, BitSet firstChars) {
    this.root = root;
    this.firstChars = firstChars;
  }

  /** A scanner for {@code strings}; empty strings are ignored. */
  public static SpecialStrings of(Collection<String> strings) {
    Node root = new Node();
    BitSet firstChars = new BitSet(1 << 16);
    boolean any = false;
    for (String string : strings) {
      if (string.isEmpty()) {
        continue;
      }
      any = true;
      firstChars.set(string.charAt(0));
      Node node = root;
      for (int i = 0; i < string.length(); i++) {
        node = node.children.computeIfAbsent(string.charAt(i), c -> new Node());
      }
      node.terminal = true;
    }
    return any ? new SpecialStrings(root, firstChars) : NONE;
  }

  /** Whether {@code text} contains at least one of the strings. */
  public boolean foundIn(CharSequence text) {
    if (root.children.isEmpty()) {
      return false;
    }
    int length = text.length();
    for (int i = 0; i < length; i++) {
      if (!firstChars.get(text.charAt(i))) {
        continue;
      }
      Node node = root;
      for (int j = i; j < length; j++) {
        node = node.children.get(text.charAt(j));
        if (node == null) {
          break;
        }
        if (node.terminal) {
          return true;
        }
      }
    }
    return false;
  }

  private static final class Node {
    final Map<Character, Node> children = new HashMap<>(4);
    boolean terminal;
  }
}
