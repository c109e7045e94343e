package org.seqpack.tokenizer.bpe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word cache stays within its bound and never changes an id. */
class BpeModelCacheTest {
  private static BpeModel model(int cacheLimit) {
    Map<String, Integer> vocab = new HashMap<>();
    for (int b = 0; b < 256; b++) {
      vocab.put(String.valueOf(ByteLevel.CHARS[b]), b);
    }
    vocab.put("ab", 256);
    vocab.put("abc", 257);
    vocab.put("ca", 258);
    String[][] merges = {{"a", "b"}, {"ab", "c"}, {"c", "a"}};
    return new BpeModel(vocab, merges, false, cacheLimit);
  }

  @Test
  void mergesAsDerivedByHand() {
    BpeModel model = model(8);
    assertArrayEquals(new int[] {257}, model.encode("abc"));
    assertArrayEquals(new int[] {256, 256}, model.encode("abab"));
    // "cab": (a, b) ranks before (c, a), so c + ab, then no merge of (c, ab).
    assertArrayEquals(new int[] {'c', 256}, model.encode("cab"));
    assertArrayEquals(new int[] {258, 'c'}, model.encode("cac"));
  }

  @Test
  void aFullCacheStartsAgainAndGivesTheSameIds() {
    BpeModel small = model(4);
    BpeModel large = model(1 << 20);
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder word = new StringBuilder();
      int length = 1 + random.nextInt(8);
      for (int c = 0; c < length; c++) {
        word.append("abcx".charAt(random.nextInt(4)));
      }
      String text = word.toString();
      int[] expected = large.encode(text);
      assertArrayEquals(expected, small.encode(text), text);
      assertArrayEquals(expected, small.encode(text), text + " (again)");
      assertTrue(small.cachedWords() <= 4, "cached " + small.cachedWords());
    }
    assertTrue(small.cachedWords() > 0, "the cache was never used");
    assertTrue(large.cachedWords() > 4, "too few distinct words to fill the small cache");
  }
}
