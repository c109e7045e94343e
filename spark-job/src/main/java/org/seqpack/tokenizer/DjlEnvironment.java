package org.seqpack.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings DJL reads before its first native call: no tracking call home, no downloads, and a
 * writable folder for the extracted native library when the home folder is read-only.
 */
public final class DjlEnvironment {
  private static volatile boolean prepared;

  private DjlEnvironment() {}

  public static synchronized void prepare() {
    if (prepared) {
      return;
    }
    setIfAbsent("OPT_OUT_TRACKING", "true");
    setIfAbsent("ai.djl.offline", "true");
    if (!isSet("ENGINE_CACHE_DIR") && !isSet("DJL_CACHE_DIR")) {
      Path home = Paths.get(System.getProperty("user.home", "/"), ".djl.ai");
      if (!writable(home)) {
        Path fallback =
            Paths.get(
                System.getProperty("java.io.tmpdir"),
                "seqpack-djl-" + System.getProperty("user.name", "user"));
        System.setProperty("ENGINE_CACHE_DIR", fallback.toString());
      }
    }
    prepared = true;
  }

  private static boolean isSet(String key) {
    return System.getenv(key) != null || System.getProperty(key) != null;
  }

  private static void setIfAbsent(String key, String value) {
    if (!isSet(key)) {
      System.setProperty(key, value);
    }
  }

  private static boolean writable(Path dir) {
    try {
      Files.createDirectories(dir);
      return Files.isWritable(dir);
    } catch (Exception e) {
      return false;
    }
  }
}
