package org.seqpack.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Merges derived by hand on tiny word counts (byte-level words of ASCII letters are the words). */
class BpeTrainerTest {
  private static final int FIRST = TrainerConfig.ALPHABET;

  private static TrainedBpe train(int merges, long minFrequency, Map<String, Long> words) {
    return new BpeTrainer(new TrainerConfig(FIRST + 1 + merges, minFrequency, List.of("<s>")))
        .train(words);
  }

  private static List<String> merged(TrainedBpe bpe) {
    List<String> out = new ArrayList<>();
    for (int[] merge : bpe.merges()) {
      out.add(bpe.tokens().get(merge[0]) + " " + bpe.tokens().get(merge[1]));
    }
    return out;
  }

  @Test
  void specialTokensFirstThenTheBytesByCodePoint() {
    TrainedBpe bpe = train(1, 0, Map.of("ab", 1L));
    assertEquals("<s>", bpe.tokens().get(0));
    assertEquals("!", bpe.tokens().get(1)); // '!' (33) is the smallest byte-level character
    assertEquals("a", bpe.tokens().get(1 + 'a' - '!'));
    assertEquals("Ā", bpe.tokens().get(1 + 188)); // byte 0 is U+0100, after the 188 printable
    assertEquals(FIRST + 2, bpe.vocabSize());
    assertEquals("ab", bpe.tokens().get(FIRST + 1));
  }

  @Test
  void mostFrequentPairFirstAndMergedPairsBuildOnEachOther() {
    // (a,b) 5 + 3 = 8 beats (b,c) 3 + 1 = 4; then "abc" has (ab,c) 3 against (b,c) 1.
    TrainedBpe bpe = train(2, 0, Map.of("ab", 5L, "abc", 3L, "bc", 1L));
    assertEquals(List.of("a b", "ab c"), merged(bpe));
    assertArrayEquals(new int[] {1 + 'a' - '!', 1 + 'b' - '!', FIRST + 1}, bpe.merges().get(0));
  }

  @Test
  void equalCountsGoToTheSmallerPair() {
    assertEquals(List.of("a b", "c d"), merged(train(2, 0, Map.of("cd", 2L, "ab", 2L))));
    assertEquals(List.of("b a", "b c"), merged(train(2, 0, Map.of("bc", 2L, "ba", 2L))));
  }

  @Test
  void overlappingPairsMergeLeftToRight() {
    // "aaaa": (a,a) counts 3; merged left to right it becomes [aa, aa], whose pair counts 1.
    assertEquals(List.of("a a", "aa aa"), merged(train(2, 0, Map.of("aaaa", 1L))));
    // "aaa": [aa, a] leaves (aa,a) once.
    assertEquals(List.of("a a", "aa a"), merged(train(2, 0, Map.of("aaa", 1L))));
  }

  @Test
  void stopsWhenTheBestPairIsBelowTheMinimumFrequency() {
    TrainedBpe bpe = train(10, 2, Map.of("ab", 1L, "cd", 3L));
    assertEquals(List.of("c d"), merged(bpe));
    assertEquals(FIRST + 2, bpe.vocabSize());
  }

  @Test
  void huggingFaceTrainerExample() {
    // The word counts of Hugging Face's BpeTrainer unit test (test_train) with min_frequency 2:
    // it learns 're' (r,e: 3), 'are' (a,re: 2, before i,s: 2 by the smaller pair), then 'is'.
    Map<String, Long> words = new HashMap<>();
    for (String word : List.of("roses", "red", "voilets", "blue", "BERT", "big", "and", "so")) {
      words.put(word, 1L);
    }
    words.put("GPT-2", 1L);
    words.put("are", 2L);
    words.put("is", 2L);
    TrainedBpe bpe = new BpeTrainer(new TrainerConfig(30_000, 2, List.of())).train(words);
    assertEquals(List.of("r e", "a re", "i s"), merged(bpe));
    assertEquals(List.of("re", "are", "is"), bpe.tokens().subList(FIRST, FIRST + 3));
  }

  @Test
  void truncationIsThePrefixOfMerges() {
    TrainedBpe bpe = train(3, 0, Map.of("abcd", 10L, "abc", 5L, "ab", 1L));
    TrainedBpe smaller = bpe.truncate(FIRST + 2);
    assertEquals(FIRST + 2, smaller.vocabSize());
    assertEquals(merged(bpe).subList(0, 1), merged(smaller));
    assertThrows(IllegalArgumentException.class, () -> bpe.truncate(FIRST));
    assertThrows(IllegalArgumentException.class, () -> bpe.truncate(bpe.vocabSize() + 1));
  }

  @Test
  void configurationProblemsNameKeyValueAndRule() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TrainerConfig(100, -1, List.of("<s>", "<s>")));
    assertEquals(
        "'--vocab-size' is 100; must be at least 259 (the 256 byte characters, 2 special tokens"
            + " and one merge)\n"
            + "'--min-frequency' is -1; must be >= 0\n"
            + "'--special-token' is '<s>' twice; must be given once",
        e.getMessage());
  }

  /** The incremental counts give the merges a full recount before every merge gives. */
  @Property(tries = 60)
  void sameMergesAsRecountingEveryTime(
      @ForAll @IntRange(min = 1, max = 40) int wordCount, @ForAll long seed) {
    Random random = new Random(seed);
    Map<String, Long> words = new HashMap<>();
    for (int i = 0; i < wordCount; i++) {
      StringBuilder word = new StringBuilder();
      int length = 1 + random.nextInt(8);
      for (int j = 0; j < length; j++) {
        word.append((char) ('a' + random.nextInt(3)));
      }
      words.merge(word.toString(), 1L + random.nextInt(5), Long::sum);
    }
    TrainedBpe bpe = train(30, 1, words);
    assertEquals(NaiveBpe.merges(words, 30, 1), merged(bpe));
    assertTrue(bpe.vocabSize() <= FIRST + 31);
  }
}
