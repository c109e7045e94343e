package org.seqpack.parquet;

import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.seqpack.core.RowArrays;

/**
 * One zstd-compressed Parquet file of packed rows, with the run's provenance in its key-value
 * metadata.
 *
 * <p>Encodings are chosen per column: token ids use a dictionary; position and segment ids are runs
 * and ramps that delta encoding (Parquet v2) stores in a few bits per row; the loss mask is almost
 * all ones and compresses to nearly nothing with a dictionary's run-length encoding.
 */
public final class RowFileWriter implements AutoCloseable {
  /** Footer key with the SHA-256 of the original tokenizer.json. */
  public static final String TOKENIZER_SHA256_KEY = "seqpack.tokenizer.sha256";

  /** Footer key with the effective configuration as a JSON object of dotted keys. */
  public static final String CONFIG_KEY = "seqpack.config";

  /** Footer key naming the row format version of docs/FORMAT.md. */
  public static final String FORMAT_KEY = "seqpack.format";

  public static final String FORMAT_VERSION = "packed-rows/1";

  private final ParquetWriter<RowArrays> writer;

  private RowFileWriter(ParquetWriter<RowArrays> writer) {
    this.writer = writer;
  }

  public static RowFileWriter create(
      Path path, Configuration conf, Map<String, String> metadata, int zstdLevel)
      throws IOException {
    Configuration local = new Configuration(conf);
    local.setInt("parquet.compression.codec.zstd.level", zstdLevel);
    OutputFile file = HadoopOutputFile.fromPath(path, local);
    ParquetWriter<RowArrays> writer =
        new Builder(file, metadata)
            .withConf(local)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
            .withDictionaryEncoding(true)
            .withDictionaryEncoding(RowWriteSupport.POSITION_IDS + ".list.element", false)
            .withDictionaryEncoding(RowWriteSupport.SEGMENT_IDS + ".list.element", false)
            .build();
    return new RowFileWriter(writer);
  }

  public void write(RowArrays row) throws IOException {
    writer.write(row);
  }

  public long dataSize() {
    return writer.getDataSize();
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }

  private static final class Builder extends ParquetWriter.Builder<RowArrays, Builder> {
    private final Map<String, String> metadata;

    Builder(OutputFile file, Map<String, String> metadata) {
      super(file);
      this.metadata = metadata;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected RowWriteSupport getWriteSupport(Configuration conf) {
      return new RowWriteSupport(metadata);
    }
  }
}
