package org.seqpack.bench;

import java.util.Map;

/** Command-line options of the benchmarks: {@code --name value} pairs over a map of defaults. */
final class BenchOptions {
  private BenchOptions() {}

  /**
   * Overrides {@code options} (name to default, in help order) from {@code args}; {@code --help}
   * prints the options and exits 0, an unknown option or one without a value exits 2.
   */
  static void parse(Map<String, String> options, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help")) {
        System.out.println("options (default):");
        options.forEach((key, value) -> System.out.println("  --" + key + " " + value));
        System.exit(0);
      }
      String key = arg.startsWith("--") ? arg.substring(2) : "";
      if (!options.containsKey(key) || i + 1 == args.length) {
        System.err.println(
            "option '" + arg + "' is unknown or has no value; must be one of " + options.keySet());
        System.exit(2);
      }
      options.put(key, args[++i]);
    }
  }
}
