package org.seqpack.tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates the project root from tests, wherever Maven runs them. */
public final class TestPaths {
  private TestPaths() {}

  public static Path projectRoot() {
    String root = System.getProperty("seqpack.project.root");
    Path start = Paths.get(root != null ? root : ".").toAbsolutePath().normalize();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("test-data")) && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no project root with test-data/ above " + start);
  }
}
