package org.seqpack.parquet;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Makes the file's bytes a function of its rows: parquet-java lists each column chunk's encodings
 * in the footer in the iteration order of a {@code HashSet} of enum constants, whose identity hash
 * codes differ from JVM to JVM, so the same rows gave files that differed in that order alone. The
 * stream passes everything through until {@link TailStream#captureTail()}; the tail (page indexes,
 * footer, footer length, magic) is then held back and written at close with every encodings list
 * sorted by encoding value. The footer's length does not change, nor does any offset before it.
 */
final class SortedFooterOutputFile implements OutputFile {
  private final OutputFile file;
  private TailStream stream;

  SortedFooterOutputFile(OutputFile file) {
    this.file = file;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    stream = new TailStream(file.create(blockSizeHint));
    return stream;
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    stream = new TailStream(file.createOrOverwrite(blockSizeHint));
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return file.supportsBlockSize();
  }

  @Override
  public long defaultBlockSize() {
    return file.defaultBlockSize();
  }

  @Override
  public String getPath() {
    return file.getPath();
  }

  /** The stream of the file being written; call {@code captureTail()} before the footer. */
  TailStream stream() {
    return stream;
  }

  static final class TailStream extends PositionOutputStream {
    private static final byte[] MAGIC = {'P', 'A', 'R', '1'};

    private final PositionOutputStream out;
    private ByteArrayOutputStream tail;
    private boolean closed;

    TailStream(PositionOutputStream out) {
      this.out = out;
    }

    /** From now on, bytes are held back until close. */
    void captureTail() {
      tail = new ByteArrayOutputStream();
    }

    @Override
    public long getPos() throws IOException {
      return out.getPos() + (tail == null ? 0 : tail.size());
    }

    @Override
    public void write(int b) throws IOException {
      if (tail != null) {
        tail.write(b);
      } else {
        out.write(b);
      }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (tail != null) {
        tail.write(bytes, offset, length);
      } else {
        out.write(bytes, offset, length);
      }
    }

    @Override
    public void flush() throws IOException {
      if (tail == null) {
        out.flush();
      }
    }

    /** Closes the file without the held-back tail, leaving it without a footer. */
    void abort() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        // The file is unreadable either way and its caller deletes it.
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (PositionOutputStream closing = out) {
        if (tail != null) {
          closing.write(sortEncodings(tail.toByteArray()));
        }
      }
    }

    /** The tail with the footer's encodings lists sorted; unchanged if it is not a footer. */
    static byte[] sortEncodings(byte[] tail) throws IOException {
      int length = tail.length;
      if (length < 8 || !Arrays.equals(Arrays.copyOfRange(tail, length - 4, length), MAGIC)) {
        return tail;
      }
      int footerLength =
          (tail[length - 8] & 0xFF)
              | (tail[length - 7] & 0xFF) << 8
              | (tail[length - 6] & 0xFF) << 16
              | (tail[length - 5] & 0xFF) << 24;
      int footerStart = length - 8 - footerLength;
      if (footerLength <= 0 || footerStart < 0) {
        return tail;
      }
      FileMetaData footer =
          Util.readFileMetaData(new ByteArrayInputStream(tail, footerStart, footerLength));
      for (RowGroup group : footer.getRow_groups()) {
        for (ColumnChunk chunk : group.getColumns()) {
          ColumnMetaData column = chunk.getMeta_data();
          if (column != null && column.getEncodings() != null) {
            List<Encoding> encodings = new ArrayList<>(column.getEncodings());
            encodings.sort(Comparator.comparingInt(Encoding::getValue));
            column.setEncodings(encodings);
          }
        }
      }
      ByteArrayOutputStream sorted = new ByteArrayOutputStream(footerLength);
      Util.writeFileMetaData(footer, sorted);
      if (sorted.size() != footerLength) {
        // Sorting a list cannot change its serialized size; keep the original if it did.
        return tail;
      }
      byte[] result = tail.clone();
      System.arraycopy(sorted.toByteArray(), 0, result, footerStart, footerLength);
      return result;
    }
  }
}
