package org.seqpack.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A Spark "distribution" laid out like an unpacked release, made from the Maven-resolved jars of
 * the test class path: {@code jars/} (Spark, Hadoop client, spark-yarn), {@code RELEASE} (which
 * tells Spark's launcher to use {@code jars/}), {@code conf/log4j2.properties} and a {@code
 * bin/spark-submit} that runs Spark's own launcher library the way the release's script does. The
 * job's own dependencies (DJL, Jinjava...) are left out, so that executors can only get them from
 * the cluster jar, as on a real cluster.
 */
final class SparkDistribution {
  /** Test-only artifacts that no Spark release carries. */
  private static final List<String> TEST_ONLY =
      List.of(
          "junit-",
          "opentest4j-",
          "apiguardian-",
          "jqwik-",
          "duckdb_jdbc-",
          "hadoop-client-minicluster-",
          "bcprov-",
          "bcpkix-",
          "bcutil-",
          "surefire",
          "junit5",
          "archunit");

  private static Path home;

  private SparkDistribution() {}

  /** SPARK_HOME of the distribution, made once per JVM under the build folder. */
  static synchronized Path home() throws IOException {
    if (home == null) {
      home = create(ClusterBuild.buildDir().resolve("cluster-tests/spark-home"));
    }
    return home;
  }

  /** The Scala binary version of the Spark on the class path (2.12 or 2.13). */
  static String scalaVersion() {
    String version = scala.util.Properties.versionNumberString();
    return version.substring(0, version.lastIndexOf('.'));
  }

  private static Path create(Path dir) throws IOException {
    Set<String> bundled = entriesOf(ClusterBuild.clusterJar());
    Path jars = Files.createDirectories(dir.resolve("jars"));
    try (var old = Files.list(jars)) {
      for (Path link : (Iterable<Path>) old::iterator) {
        Files.delete(link);
      }
    }
    int count = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Paths.get(entry);
      String name = jar.getFileName().toString();
      if (!name.endsWith(".jar")
          || !Files.isRegularFile(jar)
          || TEST_ONLY.stream().anyMatch(name::startsWith)
          || isBundled(jar, bundled)) {
        continue;
      }
      Path link = jars.resolve(name);
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
        count++;
      }
    }
    if (count < 50 || !Files.exists(jars.resolve(sparkCoreJar()))) {
      throw new IllegalStateException(
          "only " + count + " jars for " + jars + "; is Spark on the test class path?");
    }
    Files.writeString(
        dir.resolve("RELEASE"),
        "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + " (Maven-resolved jars)\n");
    Path conf = Files.createDirectories(dir.resolve("conf"));
    Files.copy(
        ClusterBuild.root().resolve("conf/log4j2.properties"),
        conf.resolve("log4j2.properties"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path submit = bin.resolve("spark-submit");
    Files.writeString(
        submit, SPARK_SUBMIT.replace("@SCALA@", scalaVersion()), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  private static String sparkCoreJar() {
    return "spark-core_"
        + scalaVersion()
        + "-"
        + org.apache.spark.package$.MODULE$.SPARK_VERSION()
        + ".jar";
  }

  /** True when the cluster jar carries this jar's classes (a dependency of the job). */
  private static boolean isBundled(Path jar, Set<String> bundled) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        String name = entries.nextElement().getName();
        if (name.endsWith(".class")
            && !name.contains("module-info")
            && !name.startsWith("META-INF")) {
          return bundled.contains(name);
        }
      }
    }
    return false;
  }

  private static Set<String> entriesOf(Path jar) throws IOException {
    Set<String> names = new HashSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      zip.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }

  /** What a release's bin/spark-submit does: Spark's launcher prints the command, bash runs it. */
  private static final String SPARK_SUBMIT =
      """
      #!/usr/bin/env bash
      # Test stand-in for a Spark release's bin/spark-submit (same launcher, same command).
      set -euo pipefail
      export SPARK_HOME="$(cd "$(dirname "$0")/.." && pwd)"
      # A release's bin/load-spark-env.sh sets this for the launcher.
      export SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-@SCALA@}"
      runner="${JAVA_HOME:+$JAVA_HOME/bin/}java"
      command=()
      # The launcher writes messages, a line with a NUL, then the command as NUL-terminated
      # arguments; the exit code comes last.
      delimiter=$'\n'
      started=false
      while IFS= read -d "$delimiter" -r argument; do
        if [ "$started" = true ]; then
          command+=("$argument")
        elif [ -z "$argument" ]; then
          delimiter=''
          started=true
        else
          echo "$argument"
        fi
      done < <("$runner" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \\
        org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\\0' $?)
      last=$((${#command[@]} - 1))
      if [ "${command[$last]}" != 0 ]; then
        exit "${command[$last]}"
      fi
      exec "${command[@]:0:$last}"
      """;
}
