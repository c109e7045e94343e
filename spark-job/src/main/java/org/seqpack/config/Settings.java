package org.seqpack.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Raw option values by dotted key, merged from a properties file and then command-line flags.
 * Unknown keys and flags are problems, reported with the nearest known name.
 */
public final class Settings {
  private final Map<String, String> values;
  private final List<String> problems;

  private Settings(Map<String, String> values, List<String> problems) {
    this.values = values;
    this.problems = problems;
  }

  public static Settings empty() {
    return new Settings(new LinkedHashMap<>(), new ArrayList<>());
  }

  /** Adds every entry of a properties file; later calls and flags override. */
  public Settings withProperties(String source, Properties properties) {
    List<String> names = new ArrayList<>(properties.stringPropertyNames());
    names.sort(Comparator.naturalOrder());
    for (String key : names) {
      if (JobOptions.byKey(key).isEmpty()) {
        problems.add(
            "unknown key '"
                + key
                + "' in "
                + source
                + suggestion(key, JobOptions.ALL, OptionKey::key));
      } else {
        values.put(key, properties.getProperty(key).trim());
      }
    }
    return this;
  }

  /**
   * Sets one option from the command line; a LIST option given on the command line replaces the
   * file's list.
   */
  public Settings withFlag(OptionKey<?> option, String value, boolean firstOfList) {
    if (option.kind() == OptionKey.Kind.LIST && !firstOfList) {
      values.merge(option.key(), value, (a, b) -> a + "," + b);
    } else {
      values.put(option.key(), value);
    }
    return this;
  }

  public void addProblem(String problem) {
    problems.add(problem);
  }

  public List<String> problems() {
    return problems;
  }

  /** The value of {@code option}, or its default (null when it has none). */
  public String get(OptionKey<?> option) {
    String value = values.get(option.key());
    return value != null ? value : option.defaultValue();
  }

  /** " (did you mean 'x'?)" when a known name is close to {@code name}, else "". */
  public static <T> String suggestion(
      String name, Collection<T> known, Function<T, String> nameOf) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (T candidate : known) {
      String other = nameOf.apply(candidate);
      int distance = distance(name, other);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = other;
      }
    }
    return best != null && bestDistance <= Math.max(2, name.length() / 3)
        ? " (did you mean '" + best + "'?)"
        : "";
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] =
            Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
