package org.seqpack.flat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.seqpack.core.Chunk;
import org.seqpack.core.ChunkedDocument;
import org.seqpack.core.SeqpackException;

/**
 * One partition as a Megatron-LM indexed dataset, {@code <prefix>.bin} + {@code <prefix>.idx}, byte
 * for byte as {@code megatron/core/datasets/indexed_dataset.py} writes it (docs/FORMAT.md,
 * "Megatron indexed dataset"): every chunk of a document is a sequence, and the document index
 * marks where each document's sequences start.
 *
 * <p>The .bin is streamed; the .idx, written at {@link #finish}, needs 12 bytes per sequence and 8
 * per document in memory until then.
 */
public final class MegatronWriter {
  /** {@code _INDEX_HEADER}: "MMIDIDX" and two zero bytes. */
  static final byte[] INDEX_HEADER = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};

  static final long VERSION = 1;

  /** Megatron's {@code DType} codes of the two token types it writes. */
  public enum Dtype {
    UINT16(8, 2, 65535),
    INT32(4, 4, Integer.MAX_VALUE);

    private final int code;
    private final int size;
    private final long maxId;

    Dtype(int code, int size, long maxId) {
      this.code = code;
      this.size = size;
      this.maxId = maxId;
    }

    public int code() {
      return code;
    }

    public int size() {
      return size;
    }

    /** {@code DType.optimal_dtype(vocab_size)}, as {@code tools/preprocess_data.py} chooses. */
    public static Dtype forVocabulary(int vocabularySize) {
      return vocabularySize < 65500 ? UINT16 : INT32;
    }
  }

  private final String binName;
  private final String idxName;
  private final Dtype dtype;
  private final TokenFileSink sink;
  private CountingStream bin;
  private int[] lengths = new int[1024];
  private int sequences;
  private long[] documentStarts = new long[1024];
  private int documents;
  private long tokens;

  /**
   * @param prefix the files' name without extension, e.g. {@code part-00000}
   */
  public MegatronWriter(String prefix, String suffix, Dtype dtype, TokenFileSink sink) {
    this.binName = prefix + suffix + ".bin";
    this.idxName = prefix + suffix + ".idx";
    this.dtype = dtype;
    this.sink = sink;
  }

  /** Appends one document: each chunk becomes a sequence. */
  public void add(ChunkedDocument document) throws IOException {
    if (document.chunks().isEmpty()) {
      return;
    }
    if (bin == null) {
      bin = new CountingStream(sink.create(binName));
    }
    if (documents == documentStarts.length) {
      documentStarts = Arrays.copyOf(documentStarts, documents * 2);
    }
    documentStarts[documents++] = sequences;
    for (Chunk chunk : document.chunks()) {
      for (int i = 0; i < chunk.length(); i++) {
        int id = chunk.token(i);
        if (id < 0 || id > dtype.maxId) {
          throw new SeqpackException(
              "token id " + id + " does not fit Megatron's " + dtype + " (0.." + dtype.maxId + ")");
        }
        if (dtype == Dtype.UINT16) {
          bin.writeShort(id);
        } else {
          bin.writeInt(id);
        }
      }
      if (sequences == lengths.length) {
        lengths = Arrays.copyOf(lengths, sequences * 2);
      }
      lengths[sequences++] = chunk.length();
      tokens += chunk.length();
    }
  }

  /** Closes the .bin and writes the .idx; no file at all when no document was added. */
  public List<FlatFile> finish() throws IOException {
    List<FlatFile> files = new ArrayList<>();
    if (bin == null) {
      return files;
    }
    bin.close();
    files.add(new FlatFile(binName, bin.bytes(), tokens, documents, sequences));
    CountingStream idx = new CountingStream(sink.create(idxName));
    try (idx) {
      idx.write(INDEX_HEADER, 0, INDEX_HEADER.length);
      idx.writeLong(VERSION);
      idx.writeByte(dtype.code);
      idx.writeLong(sequences);
      idx.writeLong(documents + 1L); // the document indices, with the closing one
      for (int i = 0; i < sequences; i++) {
        idx.writeInt(lengths[i]);
      }
      long pointer = 0;
      for (int i = 0; i < sequences; i++) {
        idx.writeLong(pointer);
        pointer += (long) lengths[i] * dtype.size;
      }
      for (int i = 0; i < documents; i++) {
        idx.writeLong(documentStarts[i]);
      }
      idx.writeLong(sequences);
    }
    files.add(new FlatFile(idxName, idx.bytes(), 0, 0, 0));
    return files;
  }
}
