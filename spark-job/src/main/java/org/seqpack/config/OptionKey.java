package org.seqpack.config;

/**
 * One configuration option: its dotted key in a properties file, its command-line flag, its default
 * (null when required or absent), and a line of help.
 */
public record OptionKey(String key, String flag, String defaultValue, Kind kind, String help) {

  /** How the flag takes its value. */
  public enum Kind {
    /** {@code --flag VALUE}. */
    VALUE,
    /** {@code --flag VALUE}, repeatable; a comma-separated list in a properties file. */
    LIST,
    /** {@code --flag} alone means true. */
    SWITCH
  }
}
