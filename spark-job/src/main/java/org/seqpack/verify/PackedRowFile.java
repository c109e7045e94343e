package org.seqpack.verify;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReadStore;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * One Parquet file of packed rows read column by column with parquet-column's readers (no record
 * assembly, no object per value), row group by row group. Written from docs/FORMAT.md, not from the
 * job's writer.
 */
final class PackedRowFile implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String SEGMENT_IDS = "segment_ids";
  static final String POSITION_IDS = "position_ids";
  static final String LOSS_MASK = "loss_mask";
  static final String NUM_TOKENS = "num_tokens";
  static final String NUM_SEGMENTS = "num_segments";
  static final String SEQ_LENS = "seq_lens";

  /** The four list columns in schema order, then the two row-level ints. */
  static final List<String> COLUMNS =
      List.of(INPUT_IDS, SEGMENT_IDS, POSITION_IDS, LOSS_MASK, NUM_TOKENS, NUM_SEGMENTS);

  /** {@link #COLUMNS} and the optional list of segment lengths ({@code --emit-seq-lens}). */
  static final List<String> COLUMNS_WITH_SEQ_LENS =
      List.of(INPUT_IDS, SEGMENT_IDS, POSITION_IDS, LOSS_MASK, NUM_TOKENS, NUM_SEGMENTS, SEQ_LENS);

  static final int LISTS = 4;

  // Index of seq_lens in Row.lists and Row.lengths, after the four aligned lists.
  static final int SEQ_LENS_LIST = LISTS;

  /** One row's columns; the arrays are reused from row to row, valid up to their lengths. */
  static final class Row {
    final int[][] lists = new int[LISTS + 1][64];
    final int[] lengths = new int[LISTS + 1];
    int numTokens;
    int numSegments;
    boolean hasSeqLens;

    int[] seqLens() {
      return lists[SEQ_LENS_LIST];
    }

    int[] inputIds() {
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

  /** Receives every row of the file in order; {@code row} is 0-based within the file. */
  interface RowVisitor {
    void visit(long row, Row columns);
  }

  private final ParquetFileReader reader;
  private final MessageType schema;

  private PackedRowFile(ParquetFileReader reader) {
    this.reader = reader;
    this.schema = reader.getFooter().getFileMetaData().getSchema();
  }

  /**
   * Opens the file and reads its footer; fails when there is no valid Parquet footer. Pages with a
   * CRC are verified against it when read.
   */
  static PackedRowFile open(Path path, Configuration conf) throws IOException {
    return new PackedRowFile(
        ParquetFileReader.open(
            HadoopInputFile.fromPath(path, conf),
            HadoopReadOptions.builder(conf).usePageChecksumVerification(true).build()));
  }

  Map<String, String> keyValueMetadata() {
    return reader.getFooter().getFileMetaData().getKeyValueMetaData();
  }

  /** Rows according to the footer's row groups. */
  long footerRows() {
    long rows = 0;
    for (BlockMetaData block : reader.getRowGroups()) {
      rows += block.getRowCount();
    }
    return rows;
  }

  /**
   * Differences between the file's schema and docs/FORMAT.md's: six columns in order, four required
   * lists of required INT32 (the mask annotated INT(8)), then two required INT32; optionally a
   * seventh, {@code seq_lens}, a required list of required INT32.
   */
  List<String> schemaProblems() {
    List<String> problems = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Type field : schema.getFields()) {
      names.add(field.getName());
    }
    if (!names.equals(COLUMNS) && !names.equals(COLUMNS_WITH_SEQ_LENS)) {
      problems.add(
          "columns are " + names + "; must be " + COLUMNS + " or " + COLUMNS_WITH_SEQ_LENS);
      return problems;
    }
    for (int i = 0; i < names.size(); i++) {
      Type field = schema.getType(i);
      String name = names.get(i);
      if (field.getRepetition() != Type.Repetition.REQUIRED) {
        problems.add(name + " is " + field.getRepetition() + "; must be REQUIRED");
      }
      if (i >= LISTS && !name.equals(SEQ_LENS)) {
        if (!isInt32(field)) {
          problems.add(name + " is " + field + "; must be required int32");
        }
        continue;
      }
      String expected = "a LIST of one repeated group holding a required int32";
      if (field.isPrimitive()
          || !(field.getLogicalTypeAnnotation()
              instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation)) {
        problems.add(name + " is " + field + "; must be " + expected);
        continue;
      }
      GroupType list = field.asGroupType();
      if (list.getFieldCount() != 1
          || list.getType(0).isPrimitive()
          || list.getType(0).getRepetition() != Type.Repetition.REPEATED
          || list.getType(0).asGroupType().getFieldCount() != 1) {
        problems.add(name + " is " + field + "; must be " + expected);
        continue;
      }
      Type element = list.getType(0).asGroupType().getType(0);
      if (!isInt32(element) || element.getRepetition() != Type.Repetition.REQUIRED) {
        problems.add(name + " has element " + element + "; must be required int32");
        continue;
      }
      LogicalTypeAnnotation annotation = element.getLogicalTypeAnnotation();
      if (name.equals(LOSS_MASK) && !LogicalTypeAnnotation.intType(8, true).equals(annotation)) {
        problems.add(
            LOSS_MASK + " elements are annotated " + annotation + "; must be INTEGER(8,true)");
      }
    }
    return problems;
  }

  private static boolean isInt32(Type type) {
    return type.isPrimitive()
        && type.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT32;
  }

  /**
   * Reads every row; only call when {@link #schemaProblems} is empty.
   *
   * @return the number of rows read
   * @throws IOException or a runtime exception of Parquet when a page cannot be read or decoded
   */
  long forEachRow(RowVisitor visitor) throws IOException {
    List<ColumnDescriptor> leaves = schema.getColumns();
    String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
    Row row = new Row();
    long index = 0;
    int group = 0;
    PageReadStore pages;
    while ((pages = reader.readNextRowGroup()) != null) {
      ColumnReadStore store =
          new ColumnReadStoreImpl(
              pages, new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
      LeafReader[] readers = new LeafReader[leaves.size()];
      for (int i = 0; i < readers.length; i++) {
        readers[i] = new LeafReader(store.getColumnReader(leaves.get(i)), leaves.get(i));
      }
      long rows = pages.getRowCount();
      for (long r = 0; r < rows; r++) {
        for (int i = 0; i < LISTS; i++) {
          readers[i].readList(row, i, group, r);
        }
        row.numTokens = readers[LISTS].readInt(group, r);
        row.numSegments = readers[LISTS + 1].readInt(group, r);
        row.hasSeqLens = readers.length > LISTS + 2;
        if (row.hasSeqLens) {
          readers[LISTS + 2].readList(row, SEQ_LENS_LIST, group, r);
        }
        visitor.visit(index++, row);
      }
      for (LeafReader leaf : readers) {
        leaf.checkExhausted(group);
      }
      group++;
    }
    return index;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }

  /** One leaf column of one row group with its own count of values consumed. */
  private static final class LeafReader {
    private final ColumnReader column;
    private final String name;
    private final int maxDefinition;
    private final long total;
    private long consumed;

    LeafReader(ColumnReader column, ColumnDescriptor descriptor) {
      this.column = column;
      this.name = String.join(".", descriptor.getPath());
      this.maxDefinition = descriptor.getMaxDefinitionLevel();
      this.total = column.getTotalValueCount();
    }

    // A list's first entry has repetition level 0; its later entries have level 1. An empty list
    // is one entry with definition level below the maximum.
    void readList(Row row, int list, int group, long r) throws IOException {
      requireValue(group, r);
      int[] values = row.lists[list];
      int length = 0;
      do {
        if (column.getCurrentDefinitionLevel() == maxDefinition) {
          if (length == values.length) {
            values = Arrays.copyOf(values, values.length * 2);
            row.lists[list] = values;
          }
          values[length++] = column.getInteger();
        }
        column.consume();
        consumed++;
      } while (consumed < total && column.getCurrentRepetitionLevel() > 0);
      row.lengths[list] = length;
    }

    int readInt(int group, long r) throws IOException {
      requireValue(group, r);
      int value = column.getInteger();
      column.consume();
      consumed++;
      return value;
    }

    private void requireValue(int group, long r) throws IOException {
      if (consumed >= total) {
        throw new IOException(
            "column "
                + name
                + " of row group "
                + group
                + " ends after "
                + total
                + " values, before row "
                + r
                + " of the group");
      }
    }

    void checkExhausted(int group) throws IOException {
      if (consumed != total) {
        throw new IOException(
            "column "
                + name
                + " of row group "
                + group
                + " holds "
                + total
                + " values; its rows used "
                + consumed);
      }
    }
  }
}
