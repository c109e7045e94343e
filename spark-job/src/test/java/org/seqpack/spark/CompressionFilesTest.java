package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.analyze.CompressionCurve;
import org.seqpack.core.SeqpackException;

/** analyze --compression PATH: a file or a folder holding one; every bad path named at once. */
class CompressionFilesTest {
  private static final String GOOD =
      "{\"points\": [{\"vocab_size\": 300, \"merges\": 43, \"bytes\": 10, \"tokens\": 4,"
          + " \"bytes_per_token\": 2.5}]}";

  @Test
  void readsAFileOrItsFolderNamedByTheFolder(@TempDir Path tmp) throws Exception {
    Path run = Files.createDirectories(tmp.resolve("bpe-32k"));
    Files.writeString(run.resolve("compression.json"), GOOD, StandardCharsets.UTF_8);
    Configuration conf = new Configuration();
    List<CompressionCurve> curves =
        CompressionFiles.readAll(
            List.of(run.toString(), run.resolve("compression.json").toString()), conf);
    assertEquals(List.of("bpe-32k", "bpe-32k-2"), curves.stream().map(c -> c.name()).toList());
    assertEquals(2.5, curves.get(0).points().get(0).bytesPerToken());
  }

  @Test
  void namesEveryMissingOrMalformedPath(@TempDir Path tmp) throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path broken = tmp.resolve("broken.json");
    Files.writeString(broken, "{\"points\": [}", StandardCharsets.UTF_8);
    String missing = tmp.resolve("absent").toString();
    String message =
        assertThrows(
                SeqpackException.class,
                () ->
                    CompressionFiles.readAll(
                        List.of(missing, empty.toString(), broken.toString()), new Configuration()))
            .getMessage();
    assertTrue(
        message.contains("'--compression' is '" + missing + "'; must be a compression.json"),
        message);
    assertTrue(message.contains("does not exist"), message);
    assertTrue(
        message.contains(
            "'--compression' is '" + empty + "'; the folder must hold a compression.json"),
        message);
    assertTrue(message.contains("'--compression' is '" + broken + "'; is not valid JSON"), message);
  }
}
