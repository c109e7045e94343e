package org.seqpack.flat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Readers written from the formats' own specifications, not from our writers: Megatron-LM's {@code
 * _IndexReader} and {@code _MMapBinReader} (megatron/core/datasets/indexed_dataset.py) and llm.c's
 * {@code write_datafile} (dev/data/data_common.py) with the checks of its C loader.
 */
public final class SpecReaders {
  private SpecReaders() {}

  /** A Megatron indexed dataset read back: its sequences and document indices. */
  public record Megatron(int dtypeCode, List<int[]> sequences, long[] documentIndices) {}

  public static Megatron readMegatron(byte[] idx, byte[] bin) {
    ByteBuffer in = ByteBuffer.wrap(idx).order(ByteOrder.LITTLE_ENDIAN);
    byte[] header = new byte[9];
    in.get(header);
    assertArrayEquals("MMIDIDX\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), header);
    assertEquals(1L, in.getLong(), "version");
    int code = in.get() & 0xff;
    int itemSize =
        switch (code) {
          case 1, 2 -> 1;
          case 3, 8 -> 2;
          case 4, 7 -> 4;
          case 5, 6 -> 8;
          default -> throw new AssertionError("unknown dtype code " + code);
        };
    long sequenceCount = in.getLong();
    long documentCount = in.getLong();
    assertEquals(34, in.position(), "header of 34 bytes");
    int[] lengths = new int[(int) sequenceCount];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = in.getInt();
    }
    long[] pointers = new long[(int) sequenceCount];
    for (int i = 0; i < pointers.length; i++) {
      pointers[i] = in.getLong();
    }
    long[] documents = new long[(int) documentCount];
    for (int i = 0; i < documents.length; i++) {
      documents[i] = in.getLong();
    }
    assertEquals(idx.length, in.position(), "nothing after the document indices");
    ByteBuffer data = ByteBuffer.wrap(bin).order(ByteOrder.LITTLE_ENDIAN);
    List<int[]> sequences = new ArrayList<>();
    for (int s = 0; s < sequenceCount; s++) {
      int[] tokens = new int[lengths[s]];
      for (int t = 0; t < tokens.length; t++) {
        int at = (int) (pointers[s] + (long) t * itemSize);
        tokens[t] =
            switch (code) {
              case 8 -> data.getShort(at) & 0xffff;
              case 4 -> data.getInt(at);
              default -> throw new AssertionError("token dtype code " + code);
            };
      }
      sequences.add(tokens);
    }
    return new Megatron(code, sequences, documents);
  }

  /** One llm.c shard read back: its tokens, checked as llm.c's loader checks the header. */
  public static int[] readLlmc(byte[] shard, int magic, int version, int tokenBytes) {
    ByteBuffer in = ByteBuffer.wrap(shard).order(ByteOrder.LITTLE_ENDIAN);
    int[] header = new int[256];
    for (int i = 0; i < 256; i++) {
      header[i] = in.getInt();
    }
    assertEquals(magic, header[0], "magic");
    assertEquals(version, header[1], "version");
    int count = header[2];
    assertTrue(Arrays.stream(header, 3, 256).allMatch(v -> v == 0), "reserved header ints are 0");
    assertEquals(1024L + (long) count * tokenBytes, shard.length, "file size from the count");
    int[] tokens = new int[count];
    for (int i = 0; i < count; i++) {
      tokens[i] = tokenBytes == 2 ? in.getShort() & 0xffff : in.getInt();
    }
    return tokens;
  }
}
