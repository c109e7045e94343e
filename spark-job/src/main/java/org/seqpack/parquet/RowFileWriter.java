package org.seqpack.parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;
import org.seqpack.core.RowArrays;

/**
 * One zstd-compressed Parquet file of packed rows, with the run's provenance in its key-value
 * metadata.
 *
 * <p>Rows go straight into per-column page encoders ({@link IntColumn}); Parquet's page store
 * compresses the pages and lays out the file, footer and page indexes. The generic record path
 * ({@code ParquetWriter} with a {@code WriteSupport}) spent five calls and field bookkeeping per
 * array element, and Parquet's column writer two level encodings and a statistics update per
 * element: 144–170 ns per token against 44 ns here, with the tokenizer at 1,000–1,400. Encodings,
 * page and row-group sizes are {@link Options}; the defaults were chosen by measurement
 * (docs/PERFORMANCE.md, "End to end"). The same rows always give the same bytes ({@link
 * SortedFooterOutputFile}).
 */
public final class RowFileWriter implements AutoCloseable {
  /** Footer key with the SHA-256 of the original tokenizer.json. */
  public static final String TOKENIZER_SHA256_KEY = "seqpack.tokenizer.sha256";

  /** Footer key with the effective configuration as a JSON object of dotted keys. */
  public static final String CONFIG_KEY = "seqpack.config";

  /** Footer key naming the row format version of docs/FORMAT.md. */
  public static final String FORMAT_KEY = "seqpack.format";

  public static final String FORMAT_VERSION = "packed-rows/1";

  /** Footer key with the seqpack version and git commit that wrote the file. */
  public static final String BUILD_KEY = "seqpack.build";

  // Rows between two checks of the buffered size against the row-group size.
  private static final int ROW_GROUP_CHECK_ROWS = 16;

  private final ParquetFileWriter file;
  private final SortedFooterOutputFile output;
  private final Map<String, String> metadata;
  private final Options options;
  private final CodecFactory codecs;
  // CodecFactory.BytesCompressor: the type both Parquet 1.13 (Spark 3.5) and 1.16+ accept.
  private final CodecFactory.BytesCompressor compressor;
  private final ByteBufferAllocator allocator = new HeapByteBufferAllocator();
  private final IntColumn inputIds;
  private final IntColumn segmentIds;
  private final IntColumn positionIds;
  private final IntColumn lossMask;
  private final IntColumn numTokens;
  private final IntColumn numSegments;
  private final IntColumn seqLens;
  private final MessageType schema;
  private final List<IntColumn> columns;
  private ColumnChunkPageWriteStore pages;
  private PageWriter[] pageWriters;
  private long rowsInGroup;
  private int rowGroups;
  private boolean failed;
  private boolean closed;

  private RowFileWriter(
      ParquetFileWriter file,
      SortedFooterOutputFile output,
      Map<String, String> metadata,
      Options options,
      CodecFactory codecs,
      MessageType schema) {
    this.file = file;
    this.schema = schema;
    this.output = output;
    this.metadata = metadata;
    this.options = options;
    this.codecs = codecs;
    this.compressor = codecs.getCompressor(CompressionCodecName.ZSTD);
    int page = options.pageBytes();
    // A dictionary page may hold up to 1 Mi ids (4 MiB); larger vocabularies fall back to PLAIN.
    int dictionary = Math.max(page, 4 << 20);
    this.inputIds = column(RowSchema.INPUT_IDS_LEAF, options.inputIds(), page, dictionary);
    this.segmentIds = column(RowSchema.SEGMENT_IDS_LEAF, options.segmentIds(), page, dictionary);
    this.positionIds = column(RowSchema.POSITION_IDS_LEAF, options.positionIds(), page, dictionary);
    this.lossMask = column(RowSchema.LOSS_MASK_LEAF, options.lossMask(), page, dictionary);
    this.numTokens = column(RowSchema.NUM_TOKENS_LEAF, ColumnEncoding.DICTIONARY, page, dictionary);
    this.numSegments =
        column(RowSchema.NUM_SEGMENTS_LEAF, ColumnEncoding.DICTIONARY, page, dictionary);
    // A handful of small lengths per row: deltas bit-pack them to a few bits each.
    this.seqLens =
        schema == RowSchema.SCHEMA_WITH_SEQ_LENS
            ? column(RowSchema.SEQ_LENS_LEAF, ColumnEncoding.DELTA, page, dictionary)
            : null;
    List<IntColumn> all =
        new ArrayList<>(
            List.of(inputIds, segmentIds, positionIds, lossMask, numTokens, numSegments));
    if (seqLens != null) {
      all.add(seqLens);
    }
    this.columns = List.copyOf(all);
    startRowGroup();
  }

  private IntColumn column(int leaf, ColumnEncoding encoding, int page, int dictionary) {
    return new IntColumn(RowSchema.leaf(leaf), encoding, page, dictionary, allocator, compressor);
  }

  /** A writer with the default {@link Options} at the given zstd level. */
  public static RowFileWriter create(
      Path path, Configuration conf, Map<String, String> metadata, int zstdLevel)
      throws IOException {
    return create(path, conf, metadata, Options.DEFAULTS.withZstdLevel(zstdLevel), false);
  }

  public static RowFileWriter create(
      Path path, Configuration conf, Map<String, String> metadata, Options options)
      throws IOException {
    return create(path, conf, metadata, options, false);
  }

  /**
   * A writer of {@code path}.
   *
   * @param seqLens whether rows also get the {@code seq_lens} column (each segment's length, in
   *     order; docs/FORMAT.md)
   */
  public static RowFileWriter create(
      Path path, Configuration conf, Map<String, String> metadata, Options options, boolean seqLens)
      throws IOException {
    MessageType schema = RowSchema.schema(seqLens);
    Configuration local = new Configuration(conf);
    local.setInt("parquet.compression.codec.zstd.level", options.zstdLevel());
    SortedFooterOutputFile output =
        new SortedFooterOutputFile(HadoopOutputFile.fromPath(path, local));
    ParquetFileWriter file =
        new ParquetFileWriter(
            output,
            schema,
            ParquetFileWriter.Mode.OVERWRITE,
            options.rowGroupBytes(),
            0,
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED);
    file.start();
    return new RowFileWriter(
        file, output, metadata, options, new CodecFactory(local, options.pageBytes()), schema);
  }

  public void write(RowArrays row) throws IOException {
    if (failed || closed) {
      throw new IOException("the writer is " + (closed ? "closed" : "aborted by an earlier error"));
    }
    try {
      inputIds.writeList(row.inputIds());
      segmentIds.writeList(row.segmentIds());
      positionIds.writeList(row.positionIds());
      lossMask.writeList(row.lossMask());
      numTokens.write(row.realTokens());
      numSegments.write(row.segments());
      if (seqLens != null) {
        seqLens.writeList(segmentLengths(row));
      }
      rowsInGroup++;
      if (rowsInGroup % ROW_GROUP_CHECK_ROWS == 0 && bufferedBytes() >= options.rowGroupBytes()) {
        flushRowGroup();
        startRowGroup();
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
      throw e;
    }
  }

  /** The lengths of segments 1..k, from the segment ids before the padding. */
  static int[] segmentLengths(RowArrays row) {
    int[] lengths = new int[row.segments()];
    int[] segmentIds = row.segmentIds();
    for (int i = 0; i < row.realTokens(); i++) {
      int segment = segmentIds[i];
      if (segment < 1 || segment > lengths.length) {
        throw new IllegalStateException(
            "segment id " + segment + " at " + i + " outside 1.." + lengths.length);
      }
      lengths[segment - 1]++;
    }
    return lengths;
  }

  /** Bytes of the current row group: pages handed to the store plus the open pages. */
  private long bufferedBytes() {
    long bytes = 0;
    for (PageWriter writer : pageWriters) {
      bytes += writer.getMemSize();
    }
    for (IntColumn column : columns) {
      bytes += column.bufferedBytes();
    }
    return bytes;
  }

  private void startRowGroup() {
    pages =
        new ColumnChunkPageWriteStore(
            compressor,
            schema,
            allocator,
            ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
            ParquetProperties.DEFAULT_PAGE_WRITE_CHECKSUM_ENABLED,
            null,
            rowGroups);
    pageWriters = new PageWriter[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      pageWriters[i] = pages.getPageWriter(RowSchema.leaf(i));
      columns.get(i).start(pageWriters[i]);
    }
    rowsInGroup = 0;
  }

  private void flushRowGroup() throws IOException {
    try {
      if (rowsInGroup > 0) {
        file.startBlock(rowsInGroup);
        for (IntColumn column : columns) {
          column.finish();
        }
        pages.flushToFileWriter(file);
        file.endBlock();
        rowGroups++;
      }
    } finally {
      for (IntColumn column : columns) {
        column.close();
      }
      closePages();
    }
  }

  // ColumnChunkPageWriteStore releases its buffers in close() from Parquet 1.14 on.
  private void closePages() throws IOException {
    if ((Object) pages instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  // Closes the file without a footer (ParquetFileWriter.abort() is Parquet 1.14+); the caller
  // deletes the attempt file.
  private void abortFile() {
    SortedFooterOutputFile.TailStream stream = output.stream();
    if (stream != null) {
      stream.abort();
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (failed) {
        for (IntColumn column : columns) {
          column.close();
        }
        closePages();
        abortFile();
        return;
      }
      flushRowGroup();
      output.stream().captureTail();
      file.end(metadata);
    } catch (IOException | RuntimeException e) {
      abortFile();
      throw e;
    } finally {
      codecs.release();
    }
  }

  /** How a list column's values are encoded inside its pages (before zstd). */
  public enum ColumnEncoding {
    /** Four little-endian bytes per value. */
    PLAIN,
    /** A per-row-group dictionary and bit-packed, run-length encoded indexes. */
    DICTIONARY,
    /**
     * DICTIONARY or PLAIN, chosen per row group by compressing its first page both ways: a
     * dictionary pays off only over enough values.
     */
    AUTO,
    /** DELTA_BINARY_PACKED: differences, bit-packed per block; ramps and runs cost ~0 bits. */
    DELTA
  }

  /**
   * The writer's choices: an encoding per list column, page and row-group sizes, zstd level. Pages
   * are Parquet data page v2 with min/max statistics; the two row-level ints are
   * dictionary-encoded.
   *
   * @param pageBytes target encoded page size; zstd compresses each page on its own, so larger
   *     pages compress better
   * @param rowGroupBytes a row group is flushed when its compressed pages reach this; it bounds the
   *     writer's memory per task
   */
  public record Options(
      ColumnEncoding inputIds,
      ColumnEncoding segmentIds,
      ColumnEncoding positionIds,
      ColumnEncoding lossMask,
      int pageBytes,
      long rowGroupBytes,
      int zstdLevel) {
    /**
     * Chosen by measurement (docs/PERFORMANCE.md, "End to end"): a dictionary for token ids (Llama
     * 3: 1.48 bytes per token against 1.67 PLAIN, 1.79 BYTE_STREAM_SPLIT, 2.31 DELTA;
     * BYTE_STREAM_SPLIT is not offered, Parquet 1.13 has no INT32 writer for it), segment ids and
     * the loss mask (runs); DELTA for position ramps; 4 MiB pages (zstd compresses each page alone:
     * 1 MiB pages cost 6 % more bytes); 32 MiB row groups bound each task's buffer.
     */
    public static final Options DEFAULTS =
        new Options(
            ColumnEncoding.AUTO,
            ColumnEncoding.DICTIONARY,
            ColumnEncoding.DELTA,
            ColumnEncoding.DICTIONARY,
            4 << 20,
            32L << 20,
            3);

    public Options {
      if (pageBytes < 1024 || rowGroupBytes < pageBytes) {
        throw new IllegalArgumentException(
            "page bytes is "
                + pageBytes
                + " and row-group bytes "
                + rowGroupBytes
                + "; must be >= 1024 and row groups at least one page");
      }
    }

    public Options withZstdLevel(int level) {
      return new Options(
          inputIds, segmentIds, positionIds, lossMask, pageBytes, rowGroupBytes, level);
    }
  }
}
