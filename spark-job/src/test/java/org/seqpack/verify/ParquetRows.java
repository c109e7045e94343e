package org.seqpack.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.example.GroupWriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Reads packed rows with parquet-hadoop's example Group API and rewrites a file with changed rows
 * or footer metadata, in the file's own schema, for corrupting outputs on purpose.
 */
final class ParquetRows {
  static final List<String> LISTS =
      List.of("input_ids", "segment_ids", "position_ids", "loss_mask");

  /** One row as plain arrays, mutable. */
  static final class Row {
    final int[][] lists = new int[4][];
    int numTokens;
    int numSegments;
    // null when the file has no seq_lens column
    int[] seqLens;

    int[] ids() {
      return lists[0];
    }

    int[] segmentIds() {
      return lists[1];
    }

    int[] positionIds() {
      return lists[2];
    }

    int[] lossMask() {
      return lists[3];
    }
  }

  private ParquetRows() {}

  static List<Row> read(java.nio.file.Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new Path(file.toUri()))
            .withConf(new Configuration())
            .build()) {
      Group group;
      while ((group = reader.read()) != null) {
        Row row = new Row();
        for (int c = 0; c < LISTS.size(); c++) {
          Group list = group.getGroup(LISTS.get(c), 0);
          int[] values = new int[list.getFieldRepetitionCount(0)];
          for (int i = 0; i < values.length; i++) {
            values[i] = list.getGroup(0, i).getInteger(0, 0);
          }
          row.lists[c] = values;
        }
        row.numTokens = group.getInteger("num_tokens", 0);
        row.numSegments = group.getInteger("num_segments", 0);
        if (group.getType().containsField("seq_lens")) {
          Group list = group.getGroup("seq_lens", 0);
          row.seqLens = new int[list.getFieldRepetitionCount(0)];
          for (int i = 0; i < row.seqLens.length; i++) {
            row.seqLens[i] = list.getGroup(0, i).getInteger(0, 0);
          }
        }
        rows.add(row);
      }
    }
    return rows;
  }

  static Map<String, String> metadata(java.nio.file.Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new Path(file.toUri()), new Configuration()))) {
      return new LinkedHashMap<>(reader.getFooter().getFileMetaData().getKeyValueMetaData());
    }
  }

  /**
   * Rewrites {@code file} with {@code rows} and the footer metadata {@code change} makes of the
   * original's; the file keeps its schema. Checksum files beside it are removed.
   */
  static void rewrite(
      java.nio.file.Path file, List<Row> rows, UnaryOperator<Map<String, String>> change)
      throws IOException {
    Configuration conf = new Configuration();
    MessageType schema;
    Map<String, String> metadata;
    try (ParquetFileReader reader =
        ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.toUri()), conf))) {
      schema = reader.getFooter().getFileMetaData().getSchema();
      metadata =
          change.apply(
              new LinkedHashMap<>(reader.getFooter().getFileMetaData().getKeyValueMetaData()));
    }
    java.nio.file.Path temporary = file.resolveSibling("rewrite-" + file.getFileName());
    GroupWriteSupport.setSchema(schema, conf);
    try (ParquetWriter<Group> writer =
        new Writer(new Path(temporary.toUri()), metadata)
            .withConf(conf)
            .withCompressionCodec(CompressionCodecName.ZSTD)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .build()) {
      for (Row row : rows) {
        Group group = new SimpleGroup(schema);
        for (int c = 0; c < LISTS.size(); c++) {
          Group list = group.addGroup(LISTS.get(c));
          for (int value : row.lists[c]) {
            list.addGroup(0).add(0, value);
          }
        }
        group.add("num_tokens", row.numTokens);
        group.add("num_segments", row.numSegments);
        if (schema.containsField("seq_lens")) {
          Group list = group.addGroup("seq_lens");
          for (int value : row.seqLens) {
            list.addGroup(0).add(0, value);
          }
        }
        writer.write(group);
      }
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".crc"));
    Files.deleteIfExists(temporary.resolveSibling("." + temporary.getFileName() + ".crc"));
  }

  /**
   * The example Group writer with given footer metadata (finalizeWrite exists in 1.13 and 1.17).
   */
  private static final class Writer extends ParquetWriter.Builder<Group, Writer> {
    private final Map<String, String> metadata;

    Writer(Path path, Map<String, String> metadata) {
      super(path);
      this.metadata = metadata;
    }

    @Override
    protected Writer self() {
      return this;
    }

    @Override
    protected WriteSupport<Group> getWriteSupport(Configuration conf) {
      return new GroupWriteSupport() {
        @Override
        public FinalizedWriteContext finalizeWrite() {
          return new FinalizedWriteContext(metadata);
        }
      };
    }
  }
}
