package org.seqpack.parquet;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.delta.DeltaBinaryPackingValuesWriterForInteger;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.seqpack.parquet.RowFileWriter.ColumnEncoding;

/**
 * One INT32 leaf of {@link RowSchema}, encoded page by page (data page v2) into Parquet's page
 * store, which compresses and places the pages. Either the element of a required list of required
 * ints (repetition level 0 opens a row's list and 1 continues it; definition level 1 is an element,
 * 0 an empty list) or a required top-level int (no levels).
 *
 * <p>It replaces Parquet's generic column writer for this one shape: the levels of a whole row are
 * two run-length runs, written per row instead of two encoder calls per value, and the values of a
 * row go to the encoder in one call. Pages end at row boundaries, as data page v2 requires.
 */
final class IntColumn {
  private static final int MIN_SLAB = 64 << 10;

  // Values of the first page compressed both ways when AUTO chooses an encoding.
  private static final int SAMPLE_VALUES = 1 << 18;

  private final ColumnDescriptor column;
  private final boolean list;
  private final ColumnEncoding encoding;
  private final int pageBytes;
  private final int dictionaryBytes;
  private final ByteBufferAllocator allocator;
  private final BytesInputCompressor compressor;

  private PageWriter pages;
  private ValueEncoder values;
  private DictionaryEncoder dictionary;
  // Page min/max kept here and handed to Parquet once per page: its per-value statistics update
  // cost as much as the encoding itself.
  private int pageMin;
  private int pageMax;
  // AUTO: the first page of the chunk decides between DICTIONARY and PLAIN.
  private boolean choosing;
  private final LevelRuns repetition = new LevelRuns();
  private final LevelRuns definition = new LevelRuns();
  private int pageRows;
  private int pageValues;
  private int pageNulls;

  IntColumn(
      ColumnDescriptor column,
      ColumnEncoding encoding,
      int pageBytes,
      int dictionaryBytes,
      ByteBufferAllocator allocator,
      BytesInputCompressor compressor) {
    this.column = column;
    this.list = column.getMaxRepetitionLevel() == 1 && column.getMaxDefinitionLevel() == 1;
    if (!list && (column.getMaxRepetitionLevel() != 0 || column.getMaxDefinitionLevel() != 0)) {
      throw new IllegalArgumentException(
          "column " + column + " is neither a required list element nor a required int");
    }
    this.encoding = encoding;
    this.pageBytes = pageBytes;
    this.dictionaryBytes = dictionaryBytes;
    this.allocator = allocator;
    this.compressor = compressor;
  }

  /** Starts a column chunk (a row group) writing into {@code pages}. */
  void start(PageWriter pages) {
    this.pages = pages;
    this.dictionary = null;
    this.values = newEncoder(encoding);
    if (values instanceof DictionaryEncoder dictionaryEncoder) {
      this.dictionary = dictionaryEncoder;
    }
    this.choosing = encoding == ColumnEncoding.AUTO;
    startPage();
  }

  private ValueEncoder newEncoder(ColumnEncoding kind) {
    int slab = Math.min(MIN_SLAB, pageBytes);
    switch (kind) {
      case DICTIONARY:
      case AUTO:
        return new DictionaryEncoder(dictionaryBytes / 4, allocator);
      case PLAIN:
        return new PlainEncoder(pageBytes);
      case DELTA:
        return new ParquetEncoder(
            new DeltaBinaryPackingValuesWriterForInteger(slab, pageBytes, allocator));
      default:
        throw new IllegalArgumentException("unknown encoding " + kind);
    }
  }

  private void startPage() {
    pageRows = 0;
    pageValues = 0;
    pageNulls = 0;
    repetition.reset();
    definition.reset();
    pageMin = Integer.MAX_VALUE;
    pageMax = Integer.MIN_VALUE;
  }

  /** Appends one row's list. */
  void writeList(int[] row) throws IOException {
    beforeRow(row.length);
    values.write(row);
    int min = pageMin;
    int max = pageMax;
    for (int value : row) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    pageMin = min;
    pageMax = max;
    afterList(row.length);
  }

  /** Appends one row's list of small ints. */
  void writeList(byte[] row) throws IOException {
    beforeRow(row.length);
    values.write(row);
    int min = pageMin;
    int max = pageMax;
    for (byte value : row) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    pageMin = min;
    pageMax = max;
    afterList(row.length);
  }

  /** Appends one row's required int. */
  void write(int value) throws IOException {
    beforeRow(1);
    values.write(value);
    pageMin = Math.min(pageMin, value);
    pageMax = Math.max(pageMax, value);
    pageRows++;
    pageValues++;
    afterRow();
  }

  private void beforeRow(int count) throws IOException {
    // A dictionary that would outgrow its page: earlier pages keep it, the rest of the chunk is
    // PLAIN (what Parquet's own writers do).
    if (dictionary != null
        && values == dictionary
        && dictionary.size() + count > dictionary.maxEntries()) {
      if (pageValues > 0) {
        writePage();
      }
      values = new PlainEncoder(pageBytes);
    }
  }

  private void afterList(int count) throws IOException {
    pageRows++;
    if (count == 0) {
      repetition.add(0, 1);
      definition.add(0, 1);
      pageNulls++;
      pageValues++;
    } else {
      repetition.add(0, 1);
      if (count > 1) {
        repetition.add(1, count - 1);
      }
      definition.add(1, count);
      pageValues += count;
    }
    afterRow();
  }

  private void afterRow() throws IOException {
    // Pages also end at pageBytes / 2 values, so that highly compressible columns (positions,
    // segment ids) still come in pages a reader can skip, not one per row group.
    if (values.bufferedBytes() >= pageBytes || pageValues >= pageBytes / 2) {
      writePage();
    }
  }

  private void writePage() throws IOException {
    if (choosing) {
      choosing = false;
      choose();
      return;
    }
    writePage(values.pageBytes(), values.encoding());
  }

  /**
   * AUTO: a dictionary pays for itself only over enough values (Llama 3 on Europarl: from about 3 M
   * tokens per column chunk; GPT-2's ids never). The first page decides for the whole chunk: its
   * first {@value #SAMPLE_VALUES} values are compressed both ways, scaled to the page, and the
   * dictionary page is charged to it; the smaller wins. A small chunk is thus decided exactly; a
   * large one is charged the whole dictionary early, which only favours PLAIN where the two are
   * close.
   */
  private void choose() throws IOException {
    int sample = Math.min(pageValues, SAMPLE_VALUES);
    double scale = (double) pageValues / sample;
    double dictionaryCost =
        scale * compressor.compress(BytesInput.from(dictionary.indexBytes(sample))).size()
            + compressor.compress(dictionary.dictionaryPage(dictionary.size()).getBytes()).size();
    double plainCost =
        scale * compressor.compress(BytesInput.from(dictionary.plainBytes(sample))).size();
    if (plainCost < dictionaryCost) {
      writePage(BytesInput.from(dictionary.plainBytes(pageValues)), Encoding.PLAIN);
      dictionary.close();
      dictionary = null;
      values = new PlainEncoder(pageBytes);
    } else {
      writePage(values.pageBytes(), values.encoding());
    }
  }

  // The eight-argument writePageV2 exists in Parquet 1.13 (Spark 3.5) and 1.16+ alike.
  private void writePage(BytesInput data, Encoding dataEncoding) throws IOException {
    pages.writePageV2(
        pageRows,
        pageNulls,
        pageValues,
        list ? repetition.bytes() : BytesInput.empty(),
        list ? definition.bytes() : BytesInput.empty(),
        dataEncoding,
        data,
        statistics());
    values.resetPage();
    startPage();
  }

  private Statistics<?> statistics() {
    Statistics<?> statistics = Statistics.createStats(column.getPrimitiveType());
    if (pageMin <= pageMax) {
      statistics.updateStats(pageMin);
      statistics.updateStats(pageMax);
    }
    statistics.setNumNulls(pageNulls);
    return statistics;
  }

  /** Ends the column chunk: the last page, then the dictionary (placed first by the store). */
  void finish() throws IOException {
    if (pageValues > 0) {
      writePage();
    }
    if (dictionary != null && dictionary.usedSize() > 0) {
      pages.writeDictionaryPage(dictionary.dictionaryPage(dictionary.usedSize()));
    }
    close();
  }

  /** Releases the encoders' buffers. */
  void close() {
    if (values != null) {
      values.close();
    }
    if (dictionary != null && dictionary != values) {
      dictionary.close();
    }
    values = null;
    dictionary = null;
  }

  /** Encoded bytes of the open page, an estimate of what finishing it would add. */
  long bufferedBytes() {
    return values == null ? 0 : values.bufferedBytes() + repetition.size() + definition.size();
  }

  /**
   * Levels as a run-length/bit-packed hybrid of bit width 1 with RLE runs only: a run is the
   * ULEB128 varint {@code count << 1} followed by the value in one byte. Data page v2 stores them
   * uncompressed and without a length prefix.
   */
  private static final class LevelRuns {
    private byte[] bytes = new byte[256];
    private int size;
    private int runValue = -1;
    private int runCount;

    void reset() {
      size = 0;
      runValue = -1;
      runCount = 0;
    }

    /** Appends {@code count} copies of {@code value}, merging with the open run. */
    void add(int value, int count) {
      if (value == runValue) {
        runCount += count;
        return;
      }
      closeRun();
      runValue = value;
      runCount = count;
    }

    private void closeRun() {
      if (runCount == 0) {
        return;
      }
      ensure(6);
      int header = runCount << 1;
      while ((header & ~0x7F) != 0) {
        bytes[size++] = (byte) ((header & 0x7F) | 0x80);
        header >>>= 7;
      }
      bytes[size++] = (byte) header;
      bytes[size++] = (byte) runValue;
      runCount = 0;
      runValue = -1;
    }

    BytesInput bytes() {
      closeRun();
      return BytesInput.from(bytes, 0, size);
    }

    int size() {
      return size + 6;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }

  /** The values of one page. */
  private interface ValueEncoder {
    void write(int[] values);

    void write(byte[] values);

    void write(int value);

    long bufferedBytes();

    Encoding encoding();

    /** The page's encoded values; valid until {@link #resetPage}. */
    BytesInput pageBytes() throws IOException;

    void resetPage();

    void close();
  }

  /** Four little-endian bytes per value. */
  private static final class PlainEncoder implements ValueEncoder {
    private byte[] bytes;
    private int size;

    PlainEncoder(int pageBytes) {
      bytes = new byte[Math.min(pageBytes + 64, MIN_SLAB)];
    }

    @Override
    public void write(int[] values) {
      ensure(values.length * 4);
      for (int value : values) {
        put(value);
      }
    }

    @Override
    public void write(byte[] values) {
      ensure(values.length * 4);
      for (byte value : values) {
        put(value);
      }
    }

    @Override
    public void write(int value) {
      ensure(4);
      put(value);
    }

    private void put(int value) {
      bytes[size] = (byte) value;
      bytes[size + 1] = (byte) (value >>> 8);
      bytes[size + 2] = (byte) (value >>> 16);
      bytes[size + 3] = (byte) (value >>> 24);
      size += 4;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    @Override
    public long bufferedBytes() {
      return size;
    }

    @Override
    public Encoding encoding() {
      return Encoding.PLAIN;
    }

    @Override
    public BytesInput pageBytes() {
      return BytesInput.from(bytes, 0, size);
    }

    @Override
    public void resetPage() {
      size = 0;
    }

    @Override
    public void close() {
      bytes = new byte[0];
      size = 0;
    }
  }

  /** One of Parquet's own values writers (DELTA_BINARY_PACKED). */
  private static final class ParquetEncoder implements ValueEncoder {
    private final ValuesWriter writer;

    ParquetEncoder(ValuesWriter writer) {
      this.writer = writer;
    }

    @Override
    public void write(int[] values) {
      for (int value : values) {
        writer.writeInteger(value);
      }
    }

    @Override
    public void write(byte[] values) {
      for (byte value : values) {
        writer.writeInteger(value);
      }
    }

    @Override
    public void write(int value) {
      writer.writeInteger(value);
    }

    @Override
    public long bufferedBytes() {
      return writer.getBufferedSize();
    }

    @Override
    public Encoding encoding() {
      return writer.getEncoding();
    }

    @Override
    public BytesInput pageBytes() {
      return writer.getBytes();
    }

    @Override
    public void resetPage() {
      writer.reset();
    }

    @Override
    public void close() {
      writer.close();
    }
  }

  /**
   * A dictionary per column chunk with RLE_DICTIONARY pages: the index width byte, then the indexes
   * as a run-length/bit-packed hybrid. Ids in [0, 2^22) map through an array, which is faster than
   * a hash map on token ids; others through a hash map.
   */
  private static final class DictionaryEncoder implements ValueEncoder {
    private static final int ARRAY_LIMIT = 1 << 22;

    private final int maxEntries;
    private final ByteBufferAllocator allocator;
    // index + 1 of each small value; 0 = not in the dictionary
    private int[] smallIndex = new int[1024];
    private java.util.HashMap<Integer, Integer> otherIndex;
    private int[] entries = new int[1024];
    private int size;
    private int usedSize;
    private int[] indexes = new int[4096];
    private int count;

    DictionaryEncoder(int maxEntries, ByteBufferAllocator allocator) {
      this.maxEntries = maxEntries;
      this.allocator = allocator;
    }

    int size() {
      return size;
    }

    int maxEntries() {
      return maxEntries;
    }

    int usedSize() {
      return usedSize;
    }

    private int indexOf(int value) {
      if (value >= 0 && value < ARRAY_LIMIT) {
        if (value < smallIndex.length) {
          int index = smallIndex[value];
          if (index != 0) {
            return index - 1;
          }
        } else {
          smallIndex =
              Arrays.copyOf(
                  smallIndex, Math.min(ARRAY_LIMIT, Math.max(value + 1, smallIndex.length * 2)));
        }
        smallIndex[value] = size + 1;
        return add(value);
      }
      if (otherIndex == null) {
        otherIndex = new java.util.HashMap<>();
      }
      Integer index = otherIndex.get(value);
      if (index != null) {
        return index;
      }
      otherIndex.put(value, size);
      return add(value);
    }

    private int add(int value) {
      if (size == entries.length) {
        entries = Arrays.copyOf(entries, size * 2);
      }
      entries[size] = value;
      return size++;
    }

    private void ensure(int more) {
      if (count + more > indexes.length) {
        indexes = Arrays.copyOf(indexes, Math.max(indexes.length * 2, count + more));
      }
    }

    @Override
    public void write(int[] values) {
      ensure(values.length);
      for (int value : values) {
        indexes[count++] = indexOf(value);
      }
    }

    @Override
    public void write(byte[] values) {
      ensure(values.length);
      for (byte value : values) {
        indexes[count++] = indexOf(value);
      }
    }

    @Override
    public void write(int value) {
      ensure(1);
      indexes[count++] = indexOf(value);
    }

    private int bitWidth() {
      return BytesUtils.getWidthFromMaxInt(size - 1);
    }

    @Override
    public long bufferedBytes() {
      return ((long) count * bitWidth() + 7) / 8;
    }

    @Override
    public Encoding encoding() {
      return Encoding.RLE_DICTIONARY;
    }

    @Override
    public BytesInput pageBytes() throws IOException {
      usedSize = size;
      return BytesInput.from(indexBytes(count));
    }

    /**
     * The open page's first {@code n} indexes as RLE_DICTIONARY data: the index width in one byte,
     * then the run-length/bit-packed hybrid.
     */
    byte[] indexBytes(int n) throws IOException {
      int bitWidth = bitWidth();
      int capacity = (int) Math.min(Integer.MAX_VALUE - 64, ((long) n * bitWidth + 7) / 8 + 64);
      RunLengthBitPackingHybridEncoder encoder =
          new RunLengthBitPackingHybridEncoder(
              bitWidth, Math.min(MIN_SLAB, capacity), Math.max(capacity, MIN_SLAB), allocator);
      try {
        for (int i = 0; i < n; i++) {
          encoder.writeInt(indexes[i]);
        }
        BytesInput encoded = encoder.toBytes();
        byte[] bytes = new byte[1 + Math.toIntExact(encoded.size())];
        bytes[0] = (byte) bitWidth;
        System.arraycopy(encoded.toByteArray(), 0, bytes, 1, bytes.length - 1);
        return bytes;
      } finally {
        encoder.close();
      }
    }

    @Override
    public void resetPage() {
      count = 0;
    }

    /** The open page's first {@code n} values as PLAIN (four little-endian bytes each). */
    byte[] plainBytes(int n) {
      byte[] plain = new byte[n * 4];
      for (int i = 0; i < n; i++) {
        int value = entries[indexes[i]];
        plain[4 * i] = (byte) value;
        plain[4 * i + 1] = (byte) (value >>> 8);
        plain[4 * i + 2] = (byte) (value >>> 16);
        plain[4 * i + 3] = (byte) (value >>> 24);
      }
      return plain;
    }

    /** The first {@code used} entries as a PLAIN dictionary page. */
    DictionaryPage dictionaryPage(int used) {
      byte[] plain = new byte[used * 4];
      for (int i = 0; i < used; i++) {
        int value = entries[i];
        plain[4 * i] = (byte) value;
        plain[4 * i + 1] = (byte) (value >>> 8);
        plain[4 * i + 2] = (byte) (value >>> 16);
        plain[4 * i + 3] = (byte) (value >>> 24);
      }
      return new DictionaryPage(BytesInput.from(plain), used, Encoding.PLAIN);
    }

    @Override
    public void close() {
      resetPage();
    }
  }
}
