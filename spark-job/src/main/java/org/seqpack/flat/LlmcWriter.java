package org.seqpack.flat;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.seqpack.core.Chunk;
import org.seqpack.core.ChunkedDocument;
import org.seqpack.core.SeqpackException;

/**
 * One partition as llm.c token shards, {@code <prefix>-NNNNN.bin}, in the format of llm.c's {@code
 * dev/data/data_common.py} (docs/FORMAT.md, "llm.c shards"): a header of 256 little-endian int32
 * (magic, version, token count, zeros), then the tokens, 2 or 4 bytes each. Documents follow each
 * other in input order; a shard holds at most {@code shardTokens} tokens, and a document that does
 * not fit continues in the next shard, as llm.c's own scripts cut them.
 *
 * <p>The header holds the shard's token count, known only when the shard ends, so the tokens go to
 * a local scratch file first and are copied behind the header then: memory stays small, at the
 * price of writing each shard twice (once locally).
 */
public final class LlmcWriter {
  static final int HEADER_INTS = 256;

  /** The two token types llm.c reads, with their magic numbers and versions. */
  public enum Dtype {
    /** {@code "gpt-2"} in llm.c: uint16 tokens. */
    UINT16(20240520, 1, 2, 65535),
    /** {@code "llama-3"} in llm.c: uint32 tokens. */
    UINT32(20240801, 7, 4, Integer.MAX_VALUE);

    private final int magic;
    private final int version;
    private final int size;
    private final long maxId;

    Dtype(int magic, int version, int size, long maxId) {
      this.magic = magic;
      this.version = version;
      this.size = size;
      this.maxId = maxId;
    }

    public int magic() {
      return magic;
    }

    public int version() {
      return version;
    }

    public int size() {
      return size;
    }

    /** 2-byte tokens when every id of the vocabulary fits, else 4. */
    public static Dtype forVocabulary(int vocabularySize) {
      return vocabularySize <= 65536 ? UINT16 : UINT32;
    }
  }

  private final String prefix;
  private final String suffix;
  private final Dtype dtype;
  private final long shardTokens;
  private final TokenFileSink sink;
  private final Path scratchFolder;
  private final List<FlatFile> files = new ArrayList<>();
  private Path scratch;
  private DataOutputStream shard;
  private long shardCount;
  private long shardDocuments;

  /**
   * @param prefix the shards' name before their number, e.g. {@code part-00000}
   * @param suffix what follows the number, before {@code .bin} (e.g. the run and attempt)
   * @param shardTokens at most this many tokens per shard
   * @param scratchFolder a local folder for the shard being written
   */
  public LlmcWriter(
      String prefix,
      String suffix,
      Dtype dtype,
      long shardTokens,
      TokenFileSink sink,
      Path scratchFolder) {
    if (shardTokens < 1 || shardTokens > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "shardTokens is " + shardTokens + "; must be between 1 and " + Integer.MAX_VALUE);
    }
    this.prefix = prefix;
    this.suffix = suffix;
    this.dtype = dtype;
    this.shardTokens = shardTokens;
    this.sink = sink;
    this.scratchFolder = scratchFolder;
  }

  /** Appends one document's chunks to the stream. */
  public void add(ChunkedDocument document) throws IOException {
    boolean first = true;
    for (Chunk chunk : document.chunks()) {
      for (int i = 0; i < chunk.length(); i++) {
        if (shard == null) {
          startShard();
        }
        if (first) {
          shardDocuments++;
          first = false;
        }
        int id = chunk.token(i);
        if (id < 0 || id > dtype.maxId) {
          throw new SeqpackException(
              "token id " + id + " does not fit llm.c's " + dtype + " (0.." + dtype.maxId + ")");
        }
        if (dtype == Dtype.UINT16) {
          shard.writeShort(Short.reverseBytes((short) id));
        } else {
          shard.writeInt(Integer.reverseBytes(id));
        }
        if (++shardCount == shardTokens) {
          endShard();
        }
      }
    }
  }

  /** Writes the last shard; the shards written, in order (none when no token was added). */
  public List<FlatFile> finish() throws IOException {
    if (shard != null) {
      endShard();
    }
    return List.copyOf(files);
  }

  /** Removes the scratch file of an unfinished shard (after a failure). */
  public void abort() {
    try {
      if (shard != null) {
        shard.close();
      }
      if (scratch != null) {
        Files.deleteIfExists(scratch);
      }
    } catch (IOException e) {
      // The failure that led here is the one to report.
    }
  }

  private void startShard() throws IOException {
    scratch = Files.createTempFile(scratchFolder, "seqpack-llmc-", ".tokens");
    shard = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 16));
    shardCount = 0;
    shardDocuments = 0;
  }

  private void endShard() throws IOException {
    shard.close();
    shard = null;
    String name = String.format("%s-%05d%s.bin", prefix, files.size(), suffix);
    CountingStream out = new CountingStream(sink.create(name));
    try (out;
        InputStream tokens = Files.newInputStream(scratch)) {
      out.writeInt(dtype.magic);
      out.writeInt(dtype.version);
      out.writeInt((int) shardCount);
      for (int i = 3; i < HEADER_INTS; i++) {
        out.writeInt(0);
      }
      byte[] buffer = new byte[1 << 16];
      for (int n = tokens.read(buffer); n >= 0; n = tokens.read(buffer)) {
        out.write(buffer, 0, n);
      }
    } finally {
      Files.deleteIfExists(scratch);
      scratch = null;
    }
    files.add(new FlatFile(name, out.bytes(), shardCount, shardDocuments, 0));
  }
}
