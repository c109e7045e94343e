package org.seqpack.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Enum constants as configuration writes them: {@code TRUNCATE_TAIL} is {@code truncate-tail}. */
public final class ConfigNames {
  private ConfigNames() {}

  /** The configuration name of {@code value}. */
  public static String of(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The constant of {@code type} named {@code value}; case, surrounding space and {@code -}/{@code
   * _} do not matter.
   *
   * @param what what the value names, for the message ("packing strategy")
   * @throws IllegalArgumentException naming the valid names when {@code value} is none of them
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
    String key = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(key)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(what + " is '" + value + "'; must be one of " + names(type));
  }

  /** The configuration names of {@code type}'s constants, comma separated, for messages. */
  public static String names(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ConfigNames::of)
        .collect(Collectors.joining(", "));
  }
}
