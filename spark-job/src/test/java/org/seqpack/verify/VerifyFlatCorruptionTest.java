package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.tokenizer.TestPaths;

/**
 * Each deliberate breakage of a Megatron or llm.c output is a violation that names it: verify reads
 * the files against their specifications, not against what the writer meant.
 */
class VerifyFlatCorruptionTest {
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path megatron;
  private static Path llmc;

  @BeforeAll
  static void writeGoodOutputs() throws IOException {
    List<String> lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), StandardCharsets.UTF_8);
    Path input = shared.resolve("europarl-200.txt");
    Files.write(input, lines.subList(0, 200), StandardCharsets.UTF_8);
    megatron = shared.resolve("megatron");
    llmc = shared.resolve("llmc");
    for (Path output : List.of(megatron, llmc)) {
      Map<OptionKey, Object> options = JobRuns.options(input, "text", output);
      options.put(JobOptions.OUTPUT_FORMAT, output == megatron ? "megatron" : "llmc");
      options.put(JobOptions.SHARD_TOKENS, 30_000);
      options.put(JobOptions.SEQ_LEN, 512);
      JobRuns.run(options);
      VerifyRuns.assertClean(output);
    }
  }

  private Path copy(Path good) throws IOException {
    Path copy = tmp.resolve(good.getFileName());
    try (Stream<Path> files = Files.walk(good)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Files.copy(from, copy.resolve(good.relativize(from).toString()));
      }
    }
    return copy;
  }

  /** The local filesystem's checksum beside a file we change on purpose would catch it first. */
  private static void dropChecksum(Path file) throws IOException {
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
  }

  private static void writeAt(Path file, long offset, byte... bytes) throws IOException {
    dropChecksum(file);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      out.seek(offset);
      out.write(bytes);
    }
  }

  private static void writeIntAt(Path file, long offset, int value) throws IOException {
    writeAt(
        file,
        offset,
        (byte) value,
        (byte) (value >>> 8),
        (byte) (value >>> 16),
        (byte) (value >>> 24));
  }

  private static VerifyRuns.Verification broken(Path output, String expected) {
    VerifyRuns.Verification result = VerifyRuns.verify(output);
    assertEquals(1, result.exit(), result.out() + result.err());
    result.assertHas(expected);
    return result;
  }

  @Test
  void aPointerThatDisagreesWithTheLengths() throws IOException {
    Path output = copy(megatron);
    // Sequence 1's pointer: after the 34-byte header and S int32 lengths.
    long sequences =
        JSON.readTree(output.resolve("_manifest.json").toFile())
            .at("/datasets/0/sequences")
            .asLong();
    writeAt(output.resolve("part-00000.idx"), 34 + sequences * 4 + 8, (byte) 0x7f);
    broken(output, "part-00000.idx: sequence 1 points at byte");
  }

  @Test
  void aDtypeThatIsNotTheVocabularysOwn() throws IOException {
    Path output = copy(megatron);
    writeAt(output.resolve("part-00000.idx"), 17, (byte) 4);
    broken(output, "has dtype code 4; must be 8 (uint16) for a vocabulary of 50257");
  }

  @Test
  void aBinShorterThanItsIndex() throws IOException {
    Path output = copy(megatron);
    Path bin = output.resolve("part-00000.bin");
    long size = Files.size(bin);
    dropChecksum(bin);
    try (RandomAccessFile out = new RandomAccessFile(bin.toFile(), "rw")) {
      out.setLength(size - 2);
    }
    broken(output, "part-00000.bin: is " + (size - 2) + " bytes; its index's lengths give " + size);
  }

  @Test
  void anIdBeyondTheVocabularyAndAMissingEod() throws IOException {
    Path output = copy(megatron);
    Path bin = output.resolve("part-00000.bin");
    writeAt(bin, 4, (byte) 0xff, (byte) 0xff); // a text token of document 0 becomes 65535
    // The first document's last token (its EOS): at the first document's end pointer.
    long sequences =
        JSON.readTree(output.resolve("_manifest.json").toFile())
            .at("/datasets/0/sequences")
            .asLong();
    Path idx = output.resolve("part-00000.idx");
    byte[] index = Files.readAllBytes(idx);
    java.nio.ByteBuffer buffer =
        java.nio.ByteBuffer.wrap(index).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    long secondDocument = buffer.getLong((int) (34 + sequences * 12 + 8));
    long end = buffer.getLong((int) (34 + sequences * 4 + secondDocument * 8));
    writeAt(bin, end - 2, (byte) 13, (byte) 0); // "." instead of the EOS 50256
    VerifyRuns.Verification result = broken(output, "holds id 65535; ids are 0..50256");
    result.assertHas("part-00000.bin document 0: ends with 13; documents end with the EOS 50256");
  }

  @Test
  void manifestCountsThatAreNotTheFiles() throws IOException {
    Path output = copy(megatron);
    Path manifestPath = output.resolve("_manifest.json");
    ObjectNode manifest = (ObjectNode) JSON.readTree(manifestPath.toFile());
    ((ObjectNode) manifest.get("files").get(0)).put("documents", 1);
    dropChecksum(manifestPath);
    Files.writeString(manifestPath, manifest.toPrettyString());
    broken(output, "documents is 1; the file holds");
  }

  @Test
  void anLlmcHeaderOfTheWrongMagic() throws IOException {
    Path output = copy(llmc);
    writeIntAt(output.resolve("part-00000-00000.bin"), 0, 20240801);
    broken(
        output, "part-00000-00000.bin: has magic 20240801 and version 1; must be 20240520 and 1");
  }

  @Test
  void anLlmcHeaderCountThatIsNotTheFileSize() throws IOException {
    Path output = copy(llmc);
    writeIntAt(output.resolve("part-00000-00001.bin"), 8, 7);
    broken(output, "part-00000-00001.bin: holds 7 tokens by its header");
  }

  @Test
  void anLlmcDocumentWithoutItsDelimiter() throws IOException {
    Path output = copy(llmc);
    writeAt(output.resolve("part-00000-00000.bin"), 1024, (byte) 13, (byte) 0);
    broken(
        output,
        "part-00000-00000.bin: starts with id 13; each document starts with the delimiter 50256");
  }

  @Test
  void anLlmcShardShortOfItsSizeBeforeTheLast() throws IOException {
    Path output = copy(llmc);
    Path first = output.resolve("part-00000-00000.bin");
    long size = Files.size(first);
    dropChecksum(first);
    try (RandomAccessFile out = new RandomAccessFile(first.toFile(), "rw")) {
      out.setLength(size - 200);
    }
    writeIntAt(first, 8, (int) ((size - 200 - 1024) / 2));
    broken(output, "every shard but a partition's last holds exactly output.shard-tokens (30000)");
  }
}
