package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.seqpack.config.JobOptions;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TestPaths;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * Compressed inputs read transparently and give the rows of the same documents uncompressed; an
 * extension there is no codec for is named as a missing codec before Spark starts.
 */
class CompressedInputTest {
  private static final int SEQ_LEN = 512;
  private static final int DOCUMENTS = 300;

  @TempDir static Path shared;
  @TempDir Path tmp;

  private static byte[] text;
  private static byte[] jsonl;
  private static List<String> textRows;
  private static List<String> jsonlRows;

  @BeforeAll
  static void uncompressedReference() throws Exception {
    text = firstLines("test-data/europarl-1k.txt");
    jsonl = firstLines("test-data/europarl-1k.jsonl");
    textRows = rowsOf(write(shared.resolve("plain/docs.txt"), text), "text");
    jsonlRows = rowsOf(write(shared.resolve("plain/docs.jsonl"), jsonl), "jsonl");
    assertTrue(textRows.size() > 10, textRows.size() + " rows");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {".gz", ".bz2", ".zst", ".zstd", ".xz"})
  void compressedTextGivesTheRowsOfThePlainText(String extension) throws Exception {
    Path file = shared.resolve("in" + extension + "/docs.txt" + extension);
    write(file, compress(extension, text));
    assertEquals(textRows, rowsOf(file, "text"));
  }

  /** The Pile, SlimPajama, RedPajama and Dolma ship zstd JSONL. */
  @Test
  void zstdJsonlGivesTheRowsOfThePlainJsonl() throws Exception {
    Path file = write(shared.resolve("in-jsonl-zst/docs.jsonl.zst"), compress(".zst", jsonl));
    assertEquals(jsonlRows, rowsOf(file, "jsonl"));
  }

  @Test
  void concatenatedZstdFramesAreReadToTheEnd() throws Exception {
    int half = middleLineEnd(text);
    byte[] first = compress(".zst", Arrays.copyOfRange(text, 0, half));
    byte[] second = compress(".zst", Arrays.copyOfRange(text, half, text.length));
    byte[] both = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, both, first.length, second.length);
    Path file = write(shared.resolve("in-frames/docs.txt.zst"), both);
    assertEquals(textRows, rowsOf(file, "text"));
  }

  @Test
  void aTruncatedZstdIsCorruptionNamingTheFileOrOneCountedRejection() throws Exception {
    byte[] whole = compress(".zst", text);
    Path file = write(tmp.resolve("in/damaged.txt.zst"), Arrays.copyOf(whole, whole.length / 2));
    SeqpackException failure =
        assertThrows(
            SeqpackException.class, () -> job(file, "text", tmp.resolve("out-fail")).run());
    assertTrue(failure.getMessage().contains("damaged.txt.zst"), failure.getMessage());
    assertTrue(failure.getMessage().contains("truncated or corrupt"), failure.getMessage());

    Path output = tmp.resolve("out-skip");
    job(file, "text", output).with(JobOptions.CORRUPT_FILES, "skip").run();
    JsonNode documents = JSON.readTree(output.resolve("stats.json").toFile()).get("documents");
    assertEquals(1, documents.get("rejected").get("corrupt_file").asLong());
    long packed = documents.get("packed").asLong();
    assertTrue(packed > 0 && packed < DOCUMENTS, packed + " packed");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {".lz4", ".snappy", ".br", ".7z"})
  void anExtensionWithoutCodecIsAMissingCodecBeforeSpark(String extension) throws Exception {
    Path input = tmp.resolve("in-missing");
    write(input.resolve("ok.txt"), text);
    write(input.resolve("docs.jsonl" + extension), new byte[] {1, 2, 3});
    Path output = tmp.resolve("out-missing");
    SeqpackException failure =
        assertThrows(
            SeqpackException.class,
            () -> PrepareJob.prepare(job(input, "jsonl", output).config(), new SparkConf()));
    String message = failure.getMessage();
    assertFalse(message.contains("corrupt"), message);
    assertTrue(
        message.contains(
            "docs.jsonl"
                + extension
                + "'; there is no codec for its extension '"
                + extension
                + "' here"),
        message);
    assertTrue(message.contains(".gz, .bz2, .zst, .zstd, .xz"), message);
    assertFalse(Files.exists(output));
  }

  private static JobRunner job(Path input, String format, Path output) {
    return new JobRunner(input, format, output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.PARTITIONS, 1); // a compressed file is one split: so is the plain one
  }

  /** The output's rows, read back by DuckDB, each as its file's name and its columns. */
  private static List<String> rowsOf(Path input, String format) throws Exception {
    Path output = input.resolveSibling("out-" + input.getFileName());
    job(input, format, output).run();
    return OutputReader.rows(output).stream()
        .map(
            row ->
                String.join(
                    " ",
                    Path.of(row.file()).getFileName().toString(),
                    Arrays.toString(row.inputIds()),
                    Arrays.toString(row.segmentIds()),
                    Arrays.toString(row.positionIds()),
                    Arrays.toString(row.lossMask()),
                    row.numTokens() + "/" + row.numSegments()))
        .toList();
  }

  private static byte[] firstLines(String file) throws IOException {
    List<String> lines =
        Files.readAllLines(TestPaths.projectRoot().resolve(file), StandardCharsets.UTF_8);
    return (String.join("\n", lines.subList(0, DOCUMENTS)) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static int middleLineEnd(byte[] bytes) {
    int at = bytes.length / 2;
    while (bytes[at - 1] != '\n') {
      at++;
    }
    return at;
  }

  private static Path write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, bytes);
  }

  private static byte[] compress(String extension, byte[] bytes) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (OutputStream out =
        switch (extension) {
          case ".gz" -> new GZIPOutputStream(buffer);
          case ".bz2" -> new BZip2CompressorOutputStream(buffer);
          case ".zst", ".zstd" -> new ZstdOutputStream(buffer, 3);
          case ".xz" -> new XZOutputStream(buffer, new LZMA2Options());
          default -> throw new IllegalArgumentException(extension);
        }) {
      out.write(bytes);
    }
    return buffer.toByteArray();
  }
}
