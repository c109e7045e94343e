package org.seqpack.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How an option's text becomes a typed value and back. A bad value adds one problem naming the key,
 * the value and the rule, and gives a placeholder so that every problem is reported at once.
 *
 * @param <T> the parsed value
 */
public interface ValueType<T> {

  /** Parses {@code raw} (may be null when the option has no default). */
  T parse(OptionKey<?> option, String raw, List<String> problems);

  /** The value as text that {@link #parse} reads back to the same value. */
  String render(T value);

  /** Any text, as given (possibly empty). */
  static ValueType<String> text() {
    return of((option, raw, problems) -> raw == null ? "" : raw, Function.identity());
  }

  /** Any text, trimmed (possibly empty). */
  static ValueType<String> trimmedText() {
    return of((option, raw, problems) -> raw == null ? "" : raw.trim(), Function.identity());
  }

  /** Text that must be given and not blank; as given. */
  static ValueType<String> requiredText() {
    return of(ValueType::required, Function.identity());
  }

  /** A non-empty comma-separated list; items trimmed, blank items dropped. */
  static ValueType<List<String>> list() {
    return of(
        (option, raw, problems) -> {
          List<String> items = new ArrayList<>();
          for (String item : required(option, raw, problems).split(",")) {
            if (!item.isBlank()) {
              items.add(item.trim());
            }
          }
          return List.copyOf(items);
        },
        items -> String.join(",", items));
  }

  /** A whole number from {@code min} to {@code max}. */
  static ValueType<Integer> integer(int min, int max) {
    return of(
        (option, raw, problems) -> (int) wholeNumber(option, raw, min, max, problems),
        value -> Integer.toString(value));
  }

  /**
   * A non-empty comma-separated list of distinct whole numbers from {@code min} to {@code max}, in
   * the order given.
   */
  static ValueType<List<Integer>> integers(int min, int max) {
    return of(
        (option, raw, problems) -> {
          List<Integer> values = new ArrayList<>();
          for (String item : required(option, raw, problems).split(",", -1)) {
            int value = (int) wholeNumber(option, item, min, max, problems);
            if (values.contains(value)) {
              problems.add(
                  "'"
                      + option.key()
                      + "' is '"
                      + raw.trim()
                      + "'; must not name "
                      + value
                      + " twice");
            }
            values.add(value);
          }
          return List.copyOf(values);
        },
        values -> String.join(",", values.stream().map(String::valueOf).toList()));
  }

  /** A whole number from {@code min} to {@code max}. */
  static ValueType<Long> longInteger(long min, long max) {
    return of(
        (option, raw, problems) -> wholeNumber(option, raw, min, max, problems),
        value -> Long.toString(value));
  }

  /** A number from 0 to 1 ("0.05", "5e-2"); percentages are not accepted. */
  static ValueType<Double> fraction() {
    return of(
        (option, raw, problems) -> {
          try {
            double parsed = Double.parseDouble(raw.trim());
            if (!(parsed >= 0 && parsed <= 1)) {
              problems.add("'" + option.key() + "' is " + raw.trim() + "; must be between 0 and 1");
            }
            return parsed;
          } catch (NumberFormatException | NullPointerException e) {
            problems.add(
                "'" + option.key() + "' is '" + raw + "'; must be a number between 0 and 1");
            return 1.0;
          }
        },
        value -> Double.toString(value));
  }

  /** true or false, in any case. */
  static ValueType<Boolean> bool() {
    return of(
        (option, raw, problems) -> {
          String value = raw.trim().toLowerCase(Locale.ROOT);
          if (!value.equals("true") && !value.equals("false")) {
            problems.add("'" + option.key() + "' is '" + value + "'; must be true or false");
          }
          return value.equals("true");
        },
        value -> Boolean.toString(value));
  }

  /** One of {@code names}, in any case. */
  static ValueType<String> oneOf(String... names) {
    return oneOf(names, Function.identity());
  }

  /** One of {@code values} by {@code nameOf}, in any case. */
  static <E> ValueType<E> oneOf(E[] values, Function<E, String> nameOf) {
    E[] choices = values.clone();
    return of(
        (option, raw, problems) -> {
          String value = raw.trim();
          for (E candidate : choices) {
            if (nameOf.apply(candidate).equalsIgnoreCase(value)) {
              return candidate;
            }
          }
          List<String> names = Arrays.stream(choices).map(nameOf).toList();
          problems.add(
              "'"
                  + option.key()
                  + "' is '"
                  + value
                  + "'; must be one of "
                  + String.join(", ", names)
                  + Settings.suggestion(value, names, Function.identity()));
          return choices[0];
        },
        nameOf);
  }

  /** Parses one option's text. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(OptionKey<?> option, String raw, List<String> problems);
  }

  private static <T> ValueType<T> of(Parser<T> parser, Function<T, String> renderer) {
    return new ValueType<>() {
      @Override
      public T parse(OptionKey<?> option, String raw, List<String> problems) {
        return parser.parse(option, raw, problems);
      }

      @Override
      public String render(T value) {
        return renderer.apply(value);
      }
    };
  }

  private static String required(OptionKey<?> option, String raw, List<String> problems) {
    if (raw == null || raw.isBlank()) {
      problems.add(
          "'"
              + option.key()
              + "' is not set; must be given ("
              + option.flag()
              + " on the command line)");
      return "";
    }
    return raw;
  }

  private static long wholeNumber(
      OptionKey<?> option, String raw, long min, long max, List<String> problems) {
    try {
      long parsed = Long.parseLong(raw.trim());
      if (parsed < min || parsed > max) {
        problems.add(
            "'" + option.key() + "' is " + parsed + "; must be between " + min + " and " + max);
      }
      return parsed;
    } catch (NumberFormatException | NullPointerException e) {
      problems.add("'" + option.key() + "' is '" + raw + "'; must be a whole number");
      return -1;
    }
  }
}
