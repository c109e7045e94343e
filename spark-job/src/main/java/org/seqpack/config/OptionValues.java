package org.seqpack.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** Typed values of options, each parsed by its own declaration, in declaration order. */
public final class OptionValues {
  private final Map<OptionKey<?>, Object> values;

  private OptionValues(Map<OptionKey<?>, Object> values) {
    this.values = values;
  }

  /**
   * Parses each of {@code options} from {@code raw} (the text of an option, or null for its
   * default); every problem is added to {@code problems}.
   */
  static OptionValues parse(
      List<OptionKey<?>> options, Function<OptionKey<?>, String> raw, List<String> problems) {
    Map<OptionKey<?>, Object> values = new LinkedHashMap<>();
    for (OptionKey<?> option : options) {
      values.put(option, option.parse(raw.apply(option), problems));
    }
    return new OptionValues(values);
  }

  /** The value of {@code option}; it must be one of the options parsed. */
  @SuppressWarnings("unchecked")
  public <T> T get(OptionKey<T> option) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException("'" + option.key() + "' was not read");
    }
    return (T) values.get(option);
  }

  /** These values with {@code option} set to {@code value}. */
  <T> OptionValues with(OptionKey<T> option, T value) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException("'" + option.key() + "' was not read");
    }
    Map<OptionKey<?>, Object> copy = new LinkedHashMap<>(values);
    copy.put(option, value);
    return new OptionValues(copy);
  }

  /** The values of the options {@code which} accepts, rendered by their declarations, by key. */
  Map<String, String> render(Predicate<OptionKey<?>> which) {
    Map<String, String> rendered = new LinkedHashMap<>();
    values.forEach(
        (option, value) -> {
          if (which.test(option)) {
            rendered.put(option.key(), renderOne(option, value));
          }
        });
    return rendered;
  }

  @SuppressWarnings("unchecked")
  private static <T> String renderOne(OptionKey<T> option, Object value) {
    return option.render((T) value);
  }
}
