package org.seqpack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates java.io.tmpdir (the build folder's tmp/, set by surefire) before the first test:
 * zstd-jni, DJL and Spark unpack native libraries there, and a test run on its own must not depend
 * on an earlier test having created it.
 */
public final class TestTmpDir implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    try {
      Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
