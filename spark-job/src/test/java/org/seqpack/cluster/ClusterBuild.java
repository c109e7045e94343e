package org.seqpack.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.seqpack.spark.PrepareJob;
import org.seqpack.tokenizer.TestPaths;

/** Where the build under test lives: the module's build folder and the cluster jar made there. */
final class ClusterBuild {
  private ClusterBuild() {}

  /** The repository root (holds submit/, conf/, test-data/). */
  static Path root() {
    return TestPaths.projectRoot();
  }

  /** spark-job/&lt;build folder&gt;, found from where the job's classes were loaded. */
  static Path buildDir() {
    try {
      Path classes =
          Paths.get(PrepareJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return classes.getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The shaded jar of `mvn package`: the one Failsafe names in seqpack.cluster.jar (made by the
   * same build), else the one in the build folder; fails when absent or older than the compiled
   * classes.
   */
  static Path clusterJar() throws IOException {
    Path build = buildDir();
    String named = System.getProperty("seqpack.cluster.jar");
    Path jar = named == null ? findClusterJar(build) : Paths.get(named);
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no cluster jar " + jar + ": run `mvn package` before these tests");
    }
    long jarTime = Files.getLastModifiedTime(jar).toMillis();
    try (Stream<Path> classes = Files.walk(build.resolve("classes"))) {
      Path newer =
          classes
              .filter(Files::isRegularFile)
              .filter(p -> modified(p) > jarTime)
              .findFirst()
              .orElse(null);
      if (newer != null) {
        throw new AssertionError(
            newer + " is newer than " + jar + ": run `mvn package` before these tests");
      }
    }
    return jar;
  }

  private static Path findClusterJar(Path build) throws IOException {
    try (Stream<Path> files = Files.list(build)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-cluster.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new AssertionError(
                      "no cluster jar in " + build + ": run `mvn package` before these tests"));
    }
  }

  /** A folder for one test's files, emptied first, under the build folder. */
  static Path workDir(String name) throws IOException {
    Path dir = buildDir().resolve("cluster-tests").resolve(name);
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
      }
    }
    return Files.createDirectories(dir);
  }

  /** A TCP port free on loopback right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This JVM's --add-opens flags (Spark's list, from Surefire's argLine), for child JVMs. */
  static List<String> jvmOpens() {
    List<String> opens = new ArrayList<>();
    for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (argument.startsWith("--add-opens") || argument.startsWith("-Djdk.reflect")) {
        opens.add(argument);
      }
    }
    return opens;
  }

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static long modified(Path path) {
    try {
      return Files.getLastModifiedTime(path).toMillis();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
