package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FirstAtLeastTest {

  /** One step: set or clear {@code value}, then ask for the first member at least {@code query}. */
  record Step(boolean set, int value, int query) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Step> step =
        Combinators.combine(
                Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16))
            .as(Step::new);
    return step.list().ofMaxSize(400);
  }

  @Property(tries = 300)
  void agreesWithTreeSet(
      @ForAll @IntRange(min = 1, max = 300) int size, @ForAll("steps") List<Step> steps) {
    FirstAtLeast tree = new FirstAtLeast(size);
    TreeSet<Integer> oracle = new TreeSet<>();
    for (Step step : steps) {
      int value = step.value() % size;
      if (step.set()) {
        tree.set(value);
        oracle.add(value);
      } else {
        tree.clear(value);
        oracle.remove(value);
      }
      // Queries range past size to cover the padding leaves and beyond.
      int query = step.query() % (size + 3);
      Integer expected = oracle.ceiling(query);
      assertEquals(expected == null ? -1 : expected, tree.firstAtLeast(query), "query " + query);
      assertEquals(oracle.contains(value), tree.contains(value));
    }
  }

  @Test
  void sizeOne() {
    FirstAtLeast tree = new FirstAtLeast(1);
    assertEquals(-1, tree.firstAtLeast(0));
    tree.set(0);
    assertEquals(0, tree.firstAtLeast(0));
    assertEquals(-1, tree.firstAtLeast(1));
    tree.clear(0);
    assertEquals(-1, tree.firstAtLeast(0));
  }

  @Test
  void clearingAnAbsentValueKeepsTheOthers() {
    FirstAtLeast tree = new FirstAtLeast(8);
    tree.set(5);
    tree.clear(4);
    tree.clear(4);
    assertEquals(5, tree.firstAtLeast(0));
    tree.set(5);
    tree.clear(5);
    assertEquals(-1, tree.firstAtLeast(0));
  }
}
