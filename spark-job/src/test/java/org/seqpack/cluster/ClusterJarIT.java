package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The cluster artifact: one jar with the job and DJL (its native libraries included, ai.djl at its
 * own package names, which JNI binds to), and neither Spark, Scala nor Hadoop, which every cluster
 * provides.
 */
class ClusterJarIT {
  @Test
  void holdsTheJobAndDjlButNoSparkOrHadoop() throws Exception {
    Path jar = ClusterBuild.clusterJar();
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(e -> e.getName()).collect(Collectors.toList());
      for (String needed :
          List.of(
              "org/seqpack/cli/Main.class",
              "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
              "ai/djl/huggingface/tokenizers/jni/TokenizersLibrary.class",
              "native/lib/linux-x86_64/cpu/libtokenizers.so",
              "native/lib/tokenizers.properties")) {
        assertTrue(names.contains(needed), jar + " lacks " + needed);
      }
      for (String provided : List.of("org/apache/spark/", "org/apache/hadoop/", "scala/")) {
        List<String> found = names.stream().filter(n -> n.startsWith(provided)).limit(3).toList();
        assertEquals(List.of(), found, jar + " bundles what the cluster provides");
      }
      assertEquals(
          "org.seqpack.cli.Main", file.getManifest().getMainAttributes().getValue("Main-Class"));
    }
    System.out.printf("cluster jar: %s, %,d bytes%n", jar.getFileName(), Files.size(jar));
  }
}
