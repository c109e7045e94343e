package org.seqpack.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.seqpack.core.Chunk;
import org.seqpack.core.ChunkedDocument;
import org.seqpack.core.DocumentChunker;
import org.seqpack.core.LongDocPolicy;
import org.seqpack.core.SeqpackException;

/** The flat writers against readers written from the formats' specifications. */
class FlatWritersTest {

  /** Files written into memory, in creation order. */
  static final class MemorySink implements TokenFileSink {
    final Map<String, ByteArrayOutputStream> files = new LinkedHashMap<>();

    @Override
    public ByteArrayOutputStream create(String name) {
      if (files.containsKey(name)) {
        throw new AssertionError(name + " created twice");
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      files.put(name, out);
      return out;
    }

    byte[] bytes(String name) {
      return files.get(name).toByteArray();
    }
  }

  static ChunkedDocument kept(int[] tokens, long document) {
    return new ChunkedDocument(List.of(Chunk.of(tokens, document)), 0, ChunkedDocument.Kind.KEPT);
  }

  static List<int[]> documents(Random random, int count, int maxLength, int vocabulary) {
    List<int[]> documents = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      documents.add(
          IntStream.range(0, 1 + random.nextInt(maxLength))
              .map(i -> random.nextInt(vocabulary))
              .toArray());
    }
    return documents;
  }

  @Test
  void aSmallMegatronDatasetIsByteForByteTheSpecification() throws IOException {
    MemorySink sink = new MemorySink();
    MegatronWriter writer = new MegatronWriter("part-00000", "", MegatronWriter.Dtype.UINT16, sink);
    DocumentChunker split = new DocumentChunker(2, LongDocPolicy.SPLIT, 0);
    writer.add(split.chunkDocument(new int[] {1, 2, 3}, 0)); // sequences [1, 2] and [3]
    writer.add(split.chunkDocument(new int[] {65535}, 1));
    List<FlatFile> files = writer.finish();
    assertEquals(
        List.of(
            new FlatFile("part-00000.bin", 8, 4, 2, 3),
            new FlatFile("part-00000.idx", 34 + 60, 0, 0, 0)),
        files);
    assertEquals("010002000300ffff", HexFormat.of().formatHex(sink.bytes("part-00000.bin")));
    String idx =
        "4d4d4944494458"
            + "0000" // MMIDIDX\0\0
            + "0100000000000000" // version 1
            + "08" // uint16
            + "0300000000000000" // 3 sequences
            + "0300000000000000" // 3 document indices (2 documents)
            + "02000000"
            + "01000000"
            + "01000000" // lengths
            + "0000000000000000"
            + "0400000000000000"
            + "0600000000000000" // byte pointers
            + "0000000000000000"
            + "0200000000000000"
            + "0300000000000000"; // document indices
    assertEquals(idx, HexFormat.of().formatHex(sink.bytes("part-00000.idx")));
  }

  @Test
  void aSmallLlmcShardIsByteForByteTheSpecification(@org.junit.jupiter.api.io.TempDir Path scratch)
      throws IOException {
    MemorySink sink = new MemorySink();
    LlmcWriter writer = new LlmcWriter("part-00003", "", LlmcWriter.Dtype.UINT16, 3, sink, scratch);
    writer.add(kept(new int[] {50256, 10, 11}, 0));
    writer.add(kept(new int[] {50256, 12}, 1));
    List<FlatFile> files = writer.finish();
    assertEquals(
        List.of(
            new FlatFile("part-00003-00000.bin", 1024 + 6, 3, 1, 0),
            new FlatFile("part-00003-00001.bin", 1024 + 4, 2, 1, 0)),
        files);
    byte[] first = sink.bytes("part-00003-00000.bin");
    assertEquals(
        "88d83401" + "01000000" + "03000000" + "00".repeat(1012) + "50c40a000b00",
        HexFormat.of().formatHex(first)); // 20240520 = 0x0134d888
    try (var scratchFiles = Files.list(scratch)) {
      assertEquals(0, scratchFiles.count(), "no scratch file is left behind");
    }
  }

  @Property(tries = 300)
  void megatronSequencesAndDocumentsReadBackAsWritten(
      @ForAll @IntRange(min = 0, max = 40) int count,
      @ForAll @IntRange(min = 2, max = 50) int seqLen,
      @ForAll boolean wide,
      @ForAll long seed) {
    int vocabulary = wide ? 128_256 : 50_257;
    MegatronWriter.Dtype dtype = MegatronWriter.Dtype.forVocabulary(vocabulary);
    List<int[]> documents = documents(new Random(seed), count, 120, vocabulary);
    MemorySink sink = new MemorySink();
    MegatronWriter writer = new MegatronWriter("part-00001", "-run-7", dtype, sink);
    DocumentChunker chunker = new DocumentChunker(seqLen, LongDocPolicy.SPLIT, 0);
    List<int[]> expectedSequences = new ArrayList<>();
    List<Long> expectedStarts = new ArrayList<>();
    try {
      for (int d = 0; d < documents.size(); d++) {
        ChunkedDocument chunked = chunker.chunkDocument(documents.get(d), d);
        expectedStarts.add((long) expectedSequences.size());
        chunked
            .chunks()
            .forEach(
                c ->
                    expectedSequences.add(
                        Arrays.copyOfRange(c.tokens(), c.offset(), c.offset() + c.length())));
        writer.add(chunked);
      }
      List<FlatFile> files = writer.finish();
      if (count == 0) {
        assertEquals(List.of(), files);
        assertTrue(sink.files.isEmpty());
        return;
      }
      expectedStarts.add((long) expectedSequences.size());
      SpecReaders.Megatron read =
          SpecReaders.readMegatron(
              sink.bytes("part-00001-run-7.idx"), sink.bytes("part-00001-run-7.bin"));
      assertEquals(wide ? 4 : 8, read.dtypeCode());
      assertEquals(expectedSequences.size(), read.sequences().size());
      for (int s = 0; s < expectedSequences.size(); s++) {
        assertArrayEquals(expectedSequences.get(s), read.sequences().get(s), "sequence " + s);
      }
      assertArrayEquals(
          expectedStarts.stream().mapToLong(Long::longValue).toArray(), read.documentIndices());
      long tokens = documents.stream().mapToLong(d -> d.length).sum();
      assertEquals(tokens, files.get(0).tokens());
      assertEquals(count, files.get(0).documents());
      assertEquals(expectedSequences.size(), files.get(0).sequences());
      assertEquals(sink.bytes("part-00001-run-7.bin").length, files.get(0).bytes());
      assertEquals(sink.bytes("part-00001-run-7.idx").length, files.get(1).bytes());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Property(tries = 300)
  void llmcShardsHoldTheStreamInOrderAndAtMostTheirSize(
      @ForAll @IntRange(min = 0, max = 40) int count,
      @ForAll @IntRange(min = 1, max = 300) int shardTokens,
      @ForAll boolean wide,
      @ForAll long seed)
      throws IOException {
    int vocabulary = wide ? 151_669 : 50_257;
    LlmcWriter.Dtype dtype = LlmcWriter.Dtype.forVocabulary(vocabulary);
    List<int[]> documents = documents(new Random(seed), count, 120, vocabulary);
    MemorySink sink = new MemorySink();
    Path scratch = Files.createTempDirectory("llmc-test");
    try {
      LlmcWriter writer = new LlmcWriter("part-00002", "", dtype, shardTokens, sink, scratch);
      for (int d = 0; d < documents.size(); d++) {
        writer.add(kept(documents.get(d), d));
      }
      List<FlatFile> files = writer.finish();
      int[] expected = documents.stream().flatMapToInt(Arrays::stream).toArray();
      List<int[]> shards = new ArrayList<>();
      for (FlatFile file : files) {
        shards.add(
            SpecReaders.readLlmc(
                sink.bytes(file.name()), wide ? 20240801 : 20240520, wide ? 7 : 1, wide ? 4 : 2));
      }
      assertArrayEquals(expected, shards.stream().flatMapToInt(Arrays::stream).toArray());
      for (int s = 0; s < shards.size(); s++) {
        assertEquals(String.format("part-00002-%05d.bin", s), files.get(s).name());
        assertEquals(shards.get(s).length, files.get(s).tokens());
        if (s < shards.size() - 1) {
          assertEquals(shardTokens, shards.get(s).length, "every shard but the last is full");
        } else {
          assertTrue(shards.get(s).length >= 1 && shards.get(s).length <= shardTokens);
        }
      }
      assertEquals(count, files.stream().mapToLong(FlatFile::documents).sum());
      try (var left = Files.list(scratch)) {
        assertEquals(0, left.count());
      }
    } finally {
      try (var left = Files.list(scratch)) {
        left.forEach(p -> p.toFile().delete());
      }
      Files.delete(scratch);
    }
  }

  @Test
  void anIdThatDoesNotFitTheTokenTypeIsRefused() {
    MegatronWriter writer =
        new MegatronWriter("part-00000", "", MegatronWriter.Dtype.UINT16, new MemorySink());
    SeqpackException e =
        assertThrows(SeqpackException.class, () -> writer.add(kept(new int[] {65536}, 0)));
    assertEquals("token id 65536 does not fit Megatron's UINT16 (0..65535)", e.getMessage());
  }

  @Test
  void theTokenTypeFollowsTheVocabularyAsTheReferenceScriptsChoose() {
    assertEquals(MegatronWriter.Dtype.UINT16, MegatronWriter.Dtype.forVocabulary(50_257));
    assertEquals(MegatronWriter.Dtype.UINT16, MegatronWriter.Dtype.forVocabulary(65_499));
    assertEquals(MegatronWriter.Dtype.INT32, MegatronWriter.Dtype.forVocabulary(65_500));
    assertEquals(MegatronWriter.Dtype.INT32, MegatronWriter.Dtype.forVocabulary(128_256));
    assertEquals(LlmcWriter.Dtype.UINT16, LlmcWriter.Dtype.forVocabulary(65_536));
    assertEquals(LlmcWriter.Dtype.UINT32, LlmcWriter.Dtype.forVocabulary(65_537));
  }
}
