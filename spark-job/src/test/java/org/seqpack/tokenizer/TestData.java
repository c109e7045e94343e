package org.seqpack.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Tokenizer folders bundled in {@code test-data/tokenizers}. Those stored gzipped (Llama 3, Qwen3)
 * are unpacked once per JVM into java.io.tmpdir (the build folder's tmp/ under Surefire).
 */
public final class TestData {
  private static final Map<String, Path> TOKENIZERS = new ConcurrentHashMap<>();

  private TestData() {}

  /** The folder of tokenizer {@code name} ({@code gpt2}, {@code llama3}, {@code qwen3}). */
  public static Path tokenizer(String name) {
    return TOKENIZERS.computeIfAbsent(name, TestData::unpack);
  }

  private static Path unpack(String name) {
    Path source = TestPaths.projectRoot().resolve("test-data/tokenizers").resolve(name);
    try (Stream<Path> listing = Files.list(source)) {
      Path[] files = listing.sorted().toArray(Path[]::new);
      if (Stream.of(files).noneMatch(TestData::gzipped)) {
        return source;
      }
      Path target =
          Files.createDirectories(
              Path.of(System.getProperty("java.io.tmpdir"), "seqpack-test-data", name));
      for (Path file : files) {
        String fileName = file.getFileName().toString();
        if (gzipped(file)) {
          try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            install(in, target.resolve(fileName.substring(0, fileName.length() - 3)));
          }
        } else {
          try (InputStream in = Files.newInputStream(file)) {
            install(in, target.resolve(fileName));
          }
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack tokenizer " + name + " from " + source, e);
    }
  }

  private static boolean gzipped(Path file) {
    return file.getFileName().toString().endsWith(".gz");
  }

  /**
   * Writes a temporary file beside {@code target}, then renames it into place in one step, so
   * another JVM unpacking the same file never reads a half-written one.
   */
  private static void install(InputStream in, Path target) throws IOException {
    Path partial = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".partial");
    try {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
