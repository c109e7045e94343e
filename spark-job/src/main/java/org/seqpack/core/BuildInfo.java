package org.seqpack.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The seqpack version and git commit this code was built from, read from the build's {@code
 * seqpack-build.properties} so that runs from target/classes know them as well as runs from a jar.
 */
public record BuildInfo(String version, String commit, String dirty) {
  /** The commit (or dirty flag) when the build had no git checkout, e.g. a source tarball. */
  public static final String UNKNOWN = "unknown";

  /** The version when the resource is absent or was copied unfiltered (e.g. by an IDE). */
  public static final String DEV = "dev";

  static final String RESOURCE = "/seqpack-build.properties";

  private static final BuildInfo CURRENT = read();

  /** What the build recorded for the classes running now. */
  public static BuildInfo current() {
    return CURRENT;
  }

  /** {@code "<version> <commit>"}, plus {@code " dirty"} when built from a modified tree. */
  public String describe() {
    return version + " " + commit + ("true".equals(dirty) ? " dirty" : "");
  }

  static BuildInfo parse(Properties properties) {
    return new BuildInfo(
        value(properties, "version", DEV),
        value(properties, "commit", UNKNOWN),
        value(properties, "dirty", UNKNOWN));
  }

  private static BuildInfo read() {
    Properties properties = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    return parse(properties);
  }

  // An unfiltered copy still holds the ${...} placeholders; those say nothing about the build.
  private static String value(Properties properties, String key, String fallback) {
    String value = properties.getProperty(key, "").trim();
    return value.isEmpty() || value.startsWith("${") ? fallback : value;
  }
}
