package org.seqpack.flat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** A buffered little-endian writer of ints that counts the bytes it wrote. */
final class CountingStream implements AutoCloseable {
  private final OutputStream out;
  private long bytes;

  CountingStream(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 16);
  }

  void writeByte(int value) throws IOException {
    out.write(value);
    bytes++;
  }

  void writeShort(int value) throws IOException {
    out.write(value);
    out.write(value >>> 8);
    bytes += 2;
  }

  void writeInt(int value) throws IOException {
    out.write(value);
    out.write(value >>> 8);
    out.write(value >>> 16);
    out.write(value >>> 24);
    bytes += 4;
  }

  void writeLong(long value) throws IOException {
    writeInt((int) value);
    writeInt((int) (value >>> 32));
  }

  void write(byte[] data, int offset, int length) throws IOException {
    out.write(data, offset, length);
    bytes += length;
  }

  long bytes() {
    return bytes;
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
