package org.seqpack.parquet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.seqpack.core.RowArrays;
import org.seqpack.parquet.RowFileWriter.ColumnEncoding;
import org.seqpack.parquet.RowFileWriter.Options;

/**
 * The page encoders of {@link RowFileWriter} against two independent readers: parquet-java's record
 * reader and DuckDB. Rows are read back exactly, across encodings, empty lists, negative and large
 * ids, many pages and row groups, and a dictionary that outgrows its page.
 */
class RowFileWriterTest {
  private static final Map<String, String> METADATA =
      Map.of(RowFileWriter.FORMAT_KEY, RowFileWriter.FORMAT_VERSION, "seqpack.config", "{}");

  @ParameterizedTest
  @EnumSource(ColumnEncoding.class)
  void everyEncodingReadsBackExactly(ColumnEncoding encoding, @TempDir Path tmp) throws Exception {
    List<RowArrays> rows = randomRows(300, 64, new Random(7));
    // Small pages and row groups: many pages per column chunk, several row groups.
    Options options = new Options(encoding, encoding, encoding, encoding, 1024, 16 << 10, 3);
    Path file = write(tmp.resolve("rows.parquet"), rows, options);
    assertRows(rows, readWithParquetJava(file));
    assertRows(rows, readWithDuckDb(file));
    assertTrue(footer(file).getBlocks().size() > 1, "expected several row groups");
  }

  @Test
  void emptyListsAndUnusualIdsReadBack(@TempDir Path tmp) throws Exception {
    List<RowArrays> rows = new ArrayList<>();
    rows.add(row(new int[] {}, 0));
    rows.add(row(new int[] {-5, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 1 << 22, 7}, 2));
    rows.add(row(new int[] {}, 0));
    rows.add(row(new int[] {42}, 1));
    rows.add(row(new int[] {}, 0));
    Path file = write(tmp.resolve("rows.parquet"), rows, Options.DEFAULTS);
    assertRows(rows, readWithParquetJava(file));
    assertRows(rows, readWithDuckDb(file));
  }

  @Test
  void dictionaryThatOutgrowsItsPageFallsBackToPlain(@TempDir Path tmp) throws Exception {
    // 1,100 rows of 1,024 distinct ids: more than the 1 Mi entries a 4 MiB dictionary page holds.
    List<RowArrays> rows = new ArrayList<>();
    int next = 0;
    for (int r = 0; r < 1100; r++) {
      int[] ids = new int[1024];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = next++;
      }
      rows.add(row(ids, 1));
    }
    Options dictionary =
        new Options(
            ColumnEncoding.DICTIONARY,
            Options.DEFAULTS.segmentIds(),
            Options.DEFAULTS.positionIds(),
            Options.DEFAULTS.lossMask(),
            Options.DEFAULTS.pageBytes(),
            Options.DEFAULTS.rowGroupBytes(),
            Options.DEFAULTS.zstdLevel());
    Path file = write(tmp.resolve("rows.parquet"), rows, dictionary);
    ColumnChunkMetaData inputIds = footer(file).getBlocks().get(0).getColumns().get(0);
    assertTrue(
        inputIds.getEncodings().contains(Encoding.PLAIN), inputIds.getEncodings().toString());
    assertTrue(
        inputIds.getEncodings().contains(Encoding.RLE_DICTIONARY),
        inputIds.getEncodings().toString());
    assertRows(rows, readWithParquetJava(file));
  }

  @Test
  void autoChoosesWhicheverEncodingIsSmaller(@TempDir Path tmp) throws Exception {
    // Few distinct ids, repeated: a tiny dictionary. All-distinct ids: a dictionary as large as
    // the data, which PLAIN beats.
    List<RowArrays> repeated = new ArrayList<>();
    List<RowArrays> distinct = new ArrayList<>();
    Random random = new Random(3);
    int next = 0;
    for (int r = 0; r < 50; r++) {
      int[] few = new int[512];
      int[] unique = new int[512];
      for (int i = 0; i < few.length; i++) {
        few[i] = 100_000 + random.nextInt(16);
        unique[i] = next++ * 7919 % 1_000_003;
      }
      repeated.add(row(few, 1));
      distinct.add(row(unique, 1));
    }
    Path few = write(tmp.resolve("few.parquet"), repeated, Options.DEFAULTS);
    Path many = write(tmp.resolve("many.parquet"), distinct, Options.DEFAULTS);
    assertEquals(
        Set.of(Encoding.PLAIN, Encoding.RLE_DICTIONARY),
        footer(few).getBlocks().get(0).getColumns().get(0).getEncodings());
    assertEquals(
        Set.of(Encoding.PLAIN), footer(many).getBlocks().get(0).getColumns().get(0).getEncodings());
    assertRows(repeated, readWithDuckDb(few));
    assertRows(distinct, readWithDuckDb(many));
  }

  @Test
  void sameRowsGiveSameBytes(@TempDir Path tmp) throws Exception {
    List<RowArrays> rows = randomRows(200, 64, new Random(5));
    Path first = write(tmp.resolve("a.parquet"), rows, Options.DEFAULTS);
    Path second = write(tmp.resolve("b.parquet"), rows, Options.DEFAULTS);
    assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second));
    // The footer lists each chunk's encodings in ascending order, not in a HashSet's order.
    byte[] tail = Files.readAllBytes(first);
    assertArrayEquals(tail, SortedFooterOutputFile.TailStream.sortEncodings(tail));
  }

  @Test
  void seqLensAreTheSegmentLengthsInOrder(@TempDir Path tmp) throws Exception {
    List<RowArrays> rows = randomRows(400, 200, new Random(11));
    Path file = tmp.resolve("rows.parquet");
    try (RowFileWriter writer =
        RowFileWriter.create(
            new org.apache.hadoop.fs.Path(file.toUri()),
            new Configuration(),
            METADATA,
            new Options(
                ColumnEncoding.AUTO,
                ColumnEncoding.DICTIONARY,
                ColumnEncoding.DELTA,
                ColumnEncoding.DICTIONARY,
                1024,
                16 << 10,
                3),
            true)) {
      for (RowArrays row : rows) {
        writer.write(row);
      }
    }
    assertEquals(RowSchema.SCHEMA_WITH_SEQ_LENS, footer(file).getFileMetaData().getSchema());
    assertRows(rows, readWithParquetJava(file));
    List<List<Integer>> seqLens = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        seqLens.add(list(group, "seq_lens"));
      }
    }
    assertEquals(rows.size(), seqLens.size());
    for (int r = 0; r < rows.size(); r++) {
      // Runs of equal segment ids before the padding, counted here independently.
      RowArrays row = rows.get(r);
      List<Integer> runs = new ArrayList<>();
      for (int i = 0; i < row.realTokens(); i++) {
        if (i == 0 || row.segmentIds()[i] != row.segmentIds()[i - 1]) {
          runs.add(0);
        }
        runs.set(runs.size() - 1, runs.get(runs.size() - 1) + 1);
      }
      assertEquals(runs, seqLens.get(r), "row " + r);
    }
  }

  @Test
  void schemaAndFooterMetadataAreTheContract(@TempDir Path tmp) throws Exception {
    Path file =
        write(tmp.resolve("rows.parquet"), randomRows(10, 32, new Random(1)), Options.DEFAULTS);
    ParquetMetadata footer = footer(file);
    assertEquals(RowSchema.SCHEMA, footer.getFileMetaData().getSchema());
    assertEquals(METADATA, footer.getFileMetaData().getKeyValueMetaData());
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertEquals("ZSTD", column.getCodec().name());
      }
    }
  }

  private static RowArrays row(int[] ids, int segments) {
    int[] segmentIds = new int[ids.length];
    int[] positions = new int[ids.length];
    byte[] mask = new byte[ids.length];
    for (int i = 0; i < ids.length; i++) {
      segmentIds[i] = 1;
      positions[i] = i;
      mask[i] = (byte) (i == 0 ? 0 : 1);
    }
    return new RowArrays(ids, segmentIds, positions, mask, ids.length, segments);
  }

  /** Rows of varying length with several segments, ids from a skewed 200,000-id vocabulary. */
  private static List<RowArrays> randomRows(int count, int maxLength, Random random) {
    List<RowArrays> rows = new ArrayList<>();
    for (int r = 0; r < count; r++) {
      int length = 1 + random.nextInt(maxLength);
      int[] ids = new int[length];
      int[] segmentIds = new int[length];
      int[] positions = new int[length];
      byte[] mask = new byte[length];
      int segment = 1;
      int position = 0;
      int real = length - random.nextInt(Math.max(1, length / 4));
      for (int i = 0; i < length; i++) {
        if (i < real) {
          if (position > 0 && random.nextInt(16) == 0) {
            segment++;
            position = 0;
          }
          ids[i] = (int) Math.min(199_999, Math.abs(random.nextGaussian()) * 20_000);
          segmentIds[i] = segment;
          positions[i] = position;
          mask[i] = (byte) (position == 0 ? 0 : 1);
          position++;
        } else {
          ids[i] = 128_001;
        }
      }
      rows.add(new RowArrays(ids, segmentIds, positions, mask, real, segment));
    }
    return rows;
  }

  private static Path write(Path file, List<RowArrays> rows, Options options) throws IOException {
    try (RowFileWriter writer =
        RowFileWriter.create(
            new org.apache.hadoop.fs.Path(file.toUri()), new Configuration(), METADATA, options)) {
      for (RowArrays row : rows) {
        writer.write(row);
      }
    }
    return file;
  }

  private static ParquetMetadata footer(Path file) throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
      return reader.getFooter();
    }
  }

  /** RowArrays compares arrays by identity; rows are compared through this value form. */
  private record Row(
      List<Integer> inputIds,
      List<Integer> segmentIds,
      List<Integer> positionIds,
      List<Integer> lossMask,
      int numTokens,
      int numSegments) {
    static Row of(RowArrays row) {
      List<Integer> mask = new ArrayList<>();
      for (byte value : row.lossMask()) {
        mask.add((int) value);
      }
      return new Row(
          boxed(row.inputIds()),
          boxed(row.segmentIds()),
          boxed(row.positionIds()),
          mask,
          row.realTokens(),
          row.segments());
    }

    private static List<Integer> boxed(int[] values) {
      List<Integer> list = new ArrayList<>();
      for (int value : values) {
        list.add(value);
      }
      return list;
    }
  }

  private static void assertRows(List<RowArrays> expected, List<Row> actual) {
    List<Row> wanted = new ArrayList<>();
    for (RowArrays row : expected) {
      wanted.add(Row.of(row));
    }
    assertEquals(wanted.size(), actual.size(), "rows");
    for (int i = 0; i < wanted.size(); i++) {
      assertEquals(wanted.get(i), actual.get(i), "row " + i);
    }
  }

  private static List<Row> readWithParquetJava(Path file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        rows.add(
            new Row(
                list(group, "input_ids"),
                list(group, "segment_ids"),
                list(group, "position_ids"),
                list(group, "loss_mask"),
                group.getInteger("num_tokens", 0),
                group.getInteger("num_segments", 0)));
      }
    }
    return rows;
  }

  private static List<Integer> list(Group row, String name) {
    Group list = row.getGroup(name, 0);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
      values.add(list.getGroup("list", i).getInteger("element", 0));
    }
    return values;
  }

  private static List<Row> readWithDuckDb(Path file) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT input_ids, segment_ids, position_ids, loss_mask, num_tokens, num_segments"
                    + " FROM read_parquet('"
                    + file
                    + "') ORDER BY file_row_number")) {
      while (result.next()) {
        rows.add(
            new Row(
                ints(result.getArray(1)),
                ints(result.getArray(2)),
                ints(result.getArray(3)),
                ints(result.getArray(4)),
                result.getInt(5),
                result.getInt(6)));
      }
    }
    return rows;
  }

  private static List<Integer> ints(Array array) throws SQLException {
    List<Integer> values = new ArrayList<>();
    for (Object value : (Object[]) array.getArray()) {
      values.add(((Number) value).intValue());
    }
    return values;
  }
}
