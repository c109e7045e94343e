package org.seqpack.spark;

import com.github.luben.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionInputStream;
import org.apache.hadoop.io.compress.CompressionOutputStream;
import org.apache.hadoop.io.compress.Compressor;
import org.apache.hadoop.io.compress.Decompressor;
import org.tukaani.xz.XZInputStream;

/**
 * Decompression, without native libhadoop, for input files whose Hadoop codec needs it ({@code
 * .zst}: Hadoop's {@code ZStandardCodec} fails without it) or which Hadoop lacks ({@code .xz}):
 * zstd through zstd-jni (its native library is inside its jar; Spark itself uses it), xz through XZ
 * for Java. Registered on the reading job's configuration ({@link #register}) after Hadoop's own
 * codecs, so they take these extensions; {@code .gz} and {@code .bz2} stay with Hadoop's pure-Java
 * codecs. Read only: none of them splits, so each such file is read by one task.
 */
public final class InputCodecs {
  /** Compressed extensions Hadoop cannot split: each such file is read by one task. */
  private static final List<String> UNSPLITTABLE = List.of(".gz", ".zst", ".zstd", ".xz");

  /** Extensions read transparently, in messages (.bz2 is split by Hadoop). */
  static final List<String> SUPPORTED = List.of(".gz", ".bz2", ".zst", ".zstd", ".xz");

  /**
   * Extensions of compressed formats there is no codec for here: named as a missing codec before
   * Spark starts, instead of being read as garbage or reported as corruption later. ({@code .lz4}
   * and {@code .snappy} files written by the usual tools are not Hadoop's framing of them.)
   */
  static final List<String> UNSUPPORTED =
      List.of(".lz4", ".snappy", ".sz", ".lzo", ".br", ".lzma", ".7z", ".zip", ".z");

  private InputCodecs() {}

  /** Adds the codecs to {@code conf}'s {@code io.compression.codecs}. */
  static void register(Configuration conf) {
    String existing = conf.get(CODECS_KEY, "");
    StringBuilder codecs = new StringBuilder(existing);
    for (Class<?> codec : List.of(Zstd.class, ZstdLong.class, Xz.class)) {
      if (!existing.contains(codec.getName())) {
        codecs.append(codecs.length() == 0 ? "" : ",").append(codec.getName());
      }
    }
    conf.set(CODECS_KEY, codecs.toString());
  }

  /** Whether Hadoop can split a file of this name (plain or .bz2); the other codecs cannot. */
  static boolean splittable(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return UNSPLITTABLE.stream().noneMatch(name::endsWith);
  }

  /** The unsupported compression extension {@code fileName} ends with, or null. */
  static String unsupportedExtension(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    return UNSUPPORTED.stream().filter(name::endsWith).findFirst().orElse(null);
  }

  private static final String CODECS_KEY = "io.compression.codecs";

  /** zstd frames ({@code .zst}), concatenated frames included. */
  public static class Zstd extends ReadOnlyCodec {
    public Zstd() {
      super(".zst");
    }

    @Override
    InputStream decompress(InputStream in) throws IOException {
      return new ZstdInputStream(in);
    }
  }

  /** zstd under its long extension ({@code .zstd}). */
  public static final class ZstdLong extends Zstd {
    @Override
    public String getDefaultExtension() {
      return ".zstd";
    }
  }

  /** xz streams ({@code .xz}), concatenated streams included. */
  public static final class Xz extends ReadOnlyCodec {
    public Xz() {
      super(".xz");
    }

    @Override
    InputStream decompress(InputStream in) throws IOException {
      return new XZInputStream(in);
    }
  }

  /** A codec that only reads, through a plain decompressing {@link InputStream}. */
  abstract static class ReadOnlyCodec implements CompressionCodec {
    private final String extension;

    ReadOnlyCodec(String extension) {
      this.extension = extension;
    }

    abstract InputStream decompress(InputStream in) throws IOException;

    @Override
    public String getDefaultExtension() {
      return extension;
    }

    // No pooled (de)compressors: each stream decompresses by itself.
    @Override
    public Class<? extends Decompressor> getDecompressorType() {
      return null;
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in) throws IOException {
      return new Decompressing(in, decompress(in));
    }

    @Override
    public Decompressor createDecompressor() {
      return null;
    }

    @Override
    public CompressionInputStream createInputStream(InputStream in, Decompressor decompressor)
        throws IOException {
      return createInputStream(in);
    }

    @Override
    public Class<? extends Compressor> getCompressorType() {
      return null;
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out) {
      return createOutputStream(out, null);
    }

    @Override
    public Compressor createCompressor() {
      return null;
    }

    @Override
    public CompressionOutputStream createOutputStream(OutputStream out, Compressor compressor) {
      throw new UnsupportedOperationException(getClass().getName() + " only reads");
    }
  }

  /** Hadoop's stream type over a decompressing stream; positions are the raw stream's. */
  private static final class Decompressing extends CompressionInputStream {
    private final InputStream decompressed;

    Decompressing(InputStream raw, InputStream decompressed) throws IOException {
      super(raw);
      this.decompressed = decompressed;
    }

    @Override
    public int read() throws IOException {
      return decompressed.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return decompressed.read(buffer, offset, length);
    }

    @Override
    public void resetState() {
      throw new UnsupportedOperationException("not splittable");
    }

    @Override
    public void close() throws IOException {
      try {
        decompressed.close();
      } finally {
        super.close();
      }
    }
  }
}
