package org.seqpack.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The local filesystem under the scheme {@code slowcommit:}, which stops the driver at one point of
 * the output commit so that a test can kill it there: system property {@code seqpack.test.pause} is
 * {@code after-aside} (right after the previous output was renamed aside, before staging is renamed
 * into its place) or {@code before-success} (right before _SUCCESS is created in staging). On
 * reaching it, the file named by {@code seqpack.test.pause-marker} is written and the thread
 * sleeps. Used in a child JVM with {@code -Dspark.hadoop.fs.slowcommit.impl=} this class.
 */
public class SlowCommitFileSystem extends RawLocalFileSystem {
  static final String SCHEME = "slowcommit";
  static final String PAUSE = "seqpack.test.pause";
  static final String MARKER = "seqpack.test.pause-marker";
  static final String AFTER_ASIDE = "after-aside";
  static final String BEFORE_SUCCESS = "before-success";
  private static final URI NAME = URI.create(SCHEME + ":///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    boolean renamed = super.rename(src, dst);
    if (renamed
        && dst.getName().startsWith("_replaced-")
        && AFTER_ASIDE.equals(System.getProperty(PAUSE))) {
      pause("moved the previous output aside to " + dst);
    }
    return renamed;
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    beforeCreate(f);
    return super.create(f, overwrite, bufferSize, replication, blockSize, progress);
  }

  @Override
  public FSDataOutputStream create(
      Path f,
      FsPermission permission,
      boolean overwrite,
      int bufferSize,
      short replication,
      long blockSize,
      Progressable progress)
      throws IOException {
    beforeCreate(f);
    return super.create(f, permission, overwrite, bufferSize, replication, blockSize, progress);
  }

  private static void beforeCreate(Path f) {
    if (f.getName().equals("_SUCCESS") && BEFORE_SUCCESS.equals(System.getProperty(PAUSE))) {
      pause("creating " + f);
    }
  }

  private static void pause(String what) {
    try {
      Files.writeString(Paths.get(System.getProperty(MARKER)), what);
      Thread.sleep(600_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
