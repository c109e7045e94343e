package org.seqpack.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.core.DocumentChunker;
import org.seqpack.core.PackStats;
import org.seqpack.core.PartitionPacker;
import org.seqpack.core.PretrainEncoder;
import org.seqpack.core.RowArrays;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SourceDocument;
import org.seqpack.parquet.RowFileWriter;
import org.seqpack.parquet.RowFileWriter.ColumnEncoding;
import org.seqpack.parquet.RowFileWriter.Options;
import org.seqpack.tokenizer.SentinelResolver;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Writer candidates side by side on the same rows: the corpus is tokenized and packed once, as the
 * job does (L = 2048, best-fit decreasing), then every candidate writes all rows into one file,
 * median of {@code runs} after a warm-up. Prints a Markdown table: write CPU per token and as a
 * share of the tokenizer's CPU measured in the same run, bytes per token overall and per column,
 * row groups, and whether two independent readers (DuckDB, and parquet-java's column readers) read
 * the file back with the same column sums as the rows written.
 *
 * <p>Usage: {@code PerfWriterEncodings <lines.txt> <tokenizer folder> <scratch folder> [runs]
 * [candidate;candidate...]}; a candidate is {@code legacy} (the former ParquetWriter and
 * WriteSupport path) or comma-separated {@code key=value} over {@link Options#DEFAULTS}: {@code
 * ids|seg|pos|mask=plain|dict|auto|delta}, {@code page=64k|1m...}, {@code group=32m}, {@code
 * zstd=N}.
 */
public final class PerfWriterEncodings {
  static final String DEFAULT_CANDIDATES =
      String.join(
          ";",
          "legacy",
          "default",
          "ids=dict",
          "ids=plain",
          "ids=delta",
          "zstd=1",
          "zstd=6",
          "zstd=9",
          "ids=plain,zstd=6",
          "page=1m",
          "page=1m,zstd=6",
          "page=256k",
          "page=16m",
          "group=8m",
          "group=128m",
          "seg=delta",
          "pos=dict",
          "mask=delta");

  private PerfWriterEncodings() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Paths.get(args[0]);
    Path tokenizer = Paths.get(args[1]);
    Path scratch = Paths.get(args[2]);
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String candidates = args.length > 4 ? args[4] : DEFAULT_CANDIDATES;
    Files.createDirectories(scratch);

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    PackStats stats = new PackStats();
    long cpu = threads.getCurrentThreadCpuTime();
    List<RowArrays> rows = packRows(corpus, tokenizer, stats);
    double packCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
    long tokens = stats.rowTokens;
    double tokenizeSeconds = stats.tokenizeNanos / 1e9;
    Sums expected = Sums.of(rows);
    System.out.printf(
        Locale.ROOT,
        "# %s, %s: %,d rows, %,d tokens; tokenize+pack+layout %.2f s CPU (tokenize timer %.2f"
            + " s = %.0f ns/token); writes: median of %d after 1 warm-up, thread CPU%n",
        corpus.getFileName(),
        tokenizer.getFileName(),
        rows.size(),
        tokens,
        packCpu,
        tokenizeSeconds,
        stats.tokenizeNanos / (double) tokens,
        runs);
    System.out.println(
        "| candidate | write ns/token | % of tokenize | bytes/token | input_ids | segment_ids"
            + " | position_ids | loss_mask | row groups | DuckDB read | parquet-java read |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    Configuration conf = new Configuration();
    int index = 0;
    for (String candidate : candidates.split(";")) {
      candidate = candidate.trim();
      Path file = scratch.resolve("candidate-" + index++ + ".parquet");
      double[] seconds = new double[runs];
      for (int run = -1; run < runs; run++) {
        Files.deleteIfExists(file);
        long start = threads.getCurrentThreadCpuTime();
        write(candidate, file, conf, rows);
        if (run >= 0) {
          seconds[run] = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        }
      }
      Arrays.sort(seconds);
      double median = seconds[runs / 2];
      Map<String, Long> columnBytes = columnBytes(file, conf);
      long bytes = Files.size(file);
      String duckdb = duckdbCheck(file, expected);
      String parquetJava = parquetJavaCheck(file, conf, expected);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.1f | %.1f %% | %.3f | %.3f | %.4f | %.4f | %.4f | %d | %s | %s |%n",
          candidate,
          median * 1e9 / tokens,
          100 * median / tokenizeSeconds,
          bytes / (double) tokens,
          columnBytes.getOrDefault("input_ids", 0L) / (double) tokens,
          columnBytes.getOrDefault("segment_ids", 0L) / (double) tokens,
          columnBytes.getOrDefault("position_ids", 0L) / (double) tokens,
          columnBytes.getOrDefault("loss_mask", 0L) / (double) tokens,
          columnBytes.getOrDefault("#row_groups", 0L),
          duckdb,
          parquetJava);
    }
  }

  /** Tokenizes and packs the corpus as one partition of the job, keeping every laid-out row. */
  public static List<RowArrays> packRows(Path corpus, Path tokenizerDir, PackStats stats)
      throws IOException {
    TokenizerSpec spec = PerfRawEncode.load(tokenizerDir);
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, corpus.toString(), true)
            .withFlag(JobOptions.TOKENIZER, tokenizerDir.toString(), true)
            .withFlag(JobOptions.OUTPUT, "unused", true);
    JobConfig config = JobConfig.from(settings);
    Sentinels sentinels = config.sentinels(new SentinelResolver(spec));
    List<String> lines = Files.readAllLines(corpus, StandardCharsets.UTF_8);
    String source = corpus.toString();
    Iterator<SourceDocument> documents =
        new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < lines.size();
          }

          @Override
          public SourceDocument next() {
            return SourceDocument.accepted(source, next, lines.get(next++));
          }
        };
    List<RowArrays> rows = new ArrayList<>();
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      PretrainEncoder documentEncoder =
          new PretrainEncoder(
              encoder::encode,
              sentinels,
              new DocumentChunker(
                  config.packing().seqLen(),
                  config.packing().longDocs(),
                  config.packing().stride()),
              config.packing().minDocTokens());
      PartitionPacker packer =
          new PartitionPacker(
              documents, documentEncoder, config.packing(), sentinels.pad(), 0, stats, null);
      while (packer.hasNext()) {
        rows.add(packer.next());
      }
    }
    return rows;
  }

  static void write(String candidate, Path file, Configuration conf, List<RowArrays> rows)
      throws IOException {
    org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
    Map<String, String> metadata = Map.of(RowFileWriter.FORMAT_KEY, RowFileWriter.FORMAT_VERSION);
    if (candidate.equals("legacy")) {
      try (ParquetWriter<RowArrays> writer = LegacyWriteSupport.create(path, conf, metadata)) {
        for (RowArrays row : rows) {
          writer.write(row);
        }
      }
      return;
    }
    try (RowFileWriter writer = RowFileWriter.create(path, conf, metadata, options(candidate))) {
      for (RowArrays row : rows) {
        writer.write(row);
      }
    }
  }

  static Options options(String candidate) {
    Options o = Options.DEFAULTS;
    ColumnEncoding ids = o.inputIds();
    ColumnEncoding seg = o.segmentIds();
    ColumnEncoding pos = o.positionIds();
    ColumnEncoding mask = o.lossMask();
    int page = o.pageBytes();
    long group = o.rowGroupBytes();
    int zstd = o.zstdLevel();
    if (!candidate.equals("default")) {
      for (String pair : candidate.split(",")) {
        String[] kv = pair.split("=", 2);
        String value = kv[1];
        switch (kv[0]) {
          case "ids" -> ids = encoding(value);
          case "seg" -> seg = encoding(value);
          case "pos" -> pos = encoding(value);
          case "mask" -> mask = encoding(value);
          case "page" -> page = (int) size(value);
          case "group" -> group = size(value);
          case "zstd" -> zstd = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown candidate key " + kv[0]);
        }
      }
    }
    return new Options(ids, seg, pos, mask, page, group, zstd);
  }

  private static ColumnEncoding encoding(String name) {
    return switch (name) {
      case "plain" -> ColumnEncoding.PLAIN;
      case "dict" -> ColumnEncoding.DICTIONARY;
      case "auto" -> ColumnEncoding.AUTO;
      case "delta" -> ColumnEncoding.DELTA;
      default -> throw new IllegalArgumentException("unknown encoding " + name);
    };
  }

  private static long size(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    long unit = 1;
    if (lower.endsWith("k")) {
      unit = 1L << 10;
    } else if (lower.endsWith("m")) {
      unit = 1L << 20;
    }
    String digits = unit == 1 ? lower : lower.substring(0, lower.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  /** Compressed bytes per top-level column, and the row-group count under "#row_groups". */
  static Map<String, Long> columnBytes(Path file, Configuration conf) throws IOException {
    Map<String, Long> bytes = new TreeMap<>();
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      ParquetMetadata footer = reader.getFooter();
      bytes.put("#row_groups", (long) footer.getBlocks().size());
      for (BlockMetaData block : footer.getBlocks()) {
        for (ColumnChunkMetaData column : block.getColumns()) {
          bytes.merge(column.getPath().toArray()[0], column.getTotalSize(), Long::sum);
        }
      }
    }
    return bytes;
  }

  /** Column sums that an independent reader must reproduce. */
  record Sums(
      long rows,
      long elements,
      long inputIds,
      long segmentIds,
      long positionIds,
      long lossMask,
      long numTokens,
      long numSegments) {
    static Sums of(List<RowArrays> rows) {
      long elements = 0;
      long ids = 0;
      long segments = 0;
      long positions = 0;
      long mask = 0;
      long numTokens = 0;
      long numSegments = 0;
      for (RowArrays row : rows) {
        elements += row.inputIds().length;
        for (int i = 0; i < row.inputIds().length; i++) {
          ids += row.inputIds()[i];
          segments += row.segmentIds()[i];
          positions += row.positionIds()[i];
          mask += row.lossMask()[i];
        }
        numTokens += row.realTokens();
        numSegments += row.segments();
      }
      return new Sums(
          rows.size(), elements, ids, segments, positions, mask, numTokens, numSegments);
    }
  }

  /** "ok 0.31 s" when DuckDB's sums over the file equal the rows', else what differs. */
  static String duckdbCheck(Path file, Sums expected) {
    String sql =
        "SELECT count(*), sum(len(input_ids)), sum(list_sum(input_ids))::BIGINT,"
            + " sum(list_sum(segment_ids))::BIGINT, sum(list_sum(position_ids))::BIGINT,"
            + " sum(list_sum(loss_mask))::BIGINT, sum(num_tokens)::BIGINT,"
            + " sum(num_segments)::BIGINT FROM read_parquet(?)";
    long start = System.nanoTime();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, file.toString());
      try (ResultSet result = statement.executeQuery()) {
        result.next();
        Sums actual =
            new Sums(
                result.getLong(1),
                result.getLong(2),
                result.getLong(3),
                result.getLong(4),
                result.getLong(5),
                result.getLong(6),
                result.getLong(7),
                result.getLong(8));
        double seconds = (System.nanoTime() - start) / 1e9;
        return actual.equals(expected)
            ? String.format(Locale.ROOT, "ok %.2f s", seconds)
            : "DIFFERS " + actual;
      }
    } catch (SQLException e) {
      return "FAILS: " + e.getMessage().lines().findFirst().orElse("");
    }
  }

  /** "ok" when parquet-java's own column readers give the rows' sums, else what differs. */
  static String parquetJavaCheck(Path file, Configuration conf, Sums expected) {
    long[] sums = new long[6];
    long rows = 0;
    long elements = 0;
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
      MessageType schema = reader.getFooter().getFileMetaData().getSchema();
      String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
      for (PageReadStore group = reader.readNextRowGroup();
          group != null;
          group = reader.readNextRowGroup()) {
        rows += group.getRowCount();
        ColumnReadStoreImpl store =
            new ColumnReadStoreImpl(
                group, new GroupRecordConverter(schema).getRootConverter(), schema, createdBy);
        for (int c = 0; c < sums.length; c++) {
          ColumnDescriptor column = schema.getColumns().get(c);
          ColumnReader values = store.getColumnReader(column);
          for (long i = values.getTotalValueCount(); i > 0; i--) {
            if (values.getCurrentDefinitionLevel() == column.getMaxDefinitionLevel()) {
              sums[c] += values.getInteger();
              if (c == 0) {
                elements++;
              }
            }
            values.consume();
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "FAILS: " + e;
    }
    Sums actual = new Sums(rows, elements, sums[0], sums[1], sums[2], sums[3], sums[4], sums[5]);
    return actual.equals(expected) ? "ok" : "DIFFERS " + actual;
  }

  /** The writer before this benchmark: ParquetWriter with a WriteSupport and RecordConsumer. */
  static final class LegacyWriteSupport extends WriteSupport<RowArrays> {
    static final MessageType SCHEMA =
        Types.buildMessage()
            .requiredList()
            .requiredElement(PrimitiveTypeName.INT32)
            .named("input_ids")
            .requiredList()
            .requiredElement(PrimitiveTypeName.INT32)
            .named("segment_ids")
            .requiredList()
            .requiredElement(PrimitiveTypeName.INT32)
            .named("position_ids")
            .requiredList()
            .requiredElement(PrimitiveTypeName.INT32)
            .as(LogicalTypeAnnotation.intType(8, true))
            .named("loss_mask")
            .required(PrimitiveTypeName.INT32)
            .named("num_tokens")
            .required(PrimitiveTypeName.INT32)
            .named("num_segments")
            .named("packed_row");

    private final Map<String, String> metadata;
    private RecordConsumer consumer;

    LegacyWriteSupport(Map<String, String> metadata) {
      this.metadata = metadata;
    }

    static ParquetWriter<RowArrays> create(
        org.apache.hadoop.fs.Path path, Configuration conf, Map<String, String> metadata)
        throws IOException {
      Configuration local = new Configuration(conf);
      local.setInt("parquet.compression.codec.zstd.level", 3);
      return new Builder(HadoopOutputFile.fromPath(path, local), metadata)
          .withConf(local)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCompressionCodec(CompressionCodecName.ZSTD)
          .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_2_0)
          .withDictionaryEncoding(true)
          .withDictionaryEncoding("position_ids.list.element", false)
          .withDictionaryEncoding("segment_ids.list.element", false)
          .build();
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new LinkedHashMap<>(metadata));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(RowArrays row) {
      consumer.startMessage();
      writeList(0, "input_ids", row.inputIds());
      writeList(1, "segment_ids", row.segmentIds());
      writeList(2, "position_ids", row.positionIds());
      writeList(3, "loss_mask", row.lossMask());
      consumer.startField("num_tokens", 4);
      consumer.addInteger(row.realTokens());
      consumer.endField("num_tokens", 4);
      consumer.startField("num_segments", 5);
      consumer.addInteger(row.segments());
      consumer.endField("num_segments", 5);
      consumer.endMessage();
    }

    private void writeList(int index, String name, int[] values) {
      consumer.startField(name, index);
      consumer.startGroup();
      if (values.length > 0) {
        consumer.startField("list", 0);
        for (int value : values) {
          consumer.startGroup();
          consumer.startField("element", 0);
          consumer.addInteger(value);
          consumer.endField("element", 0);
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
      consumer.endField(name, index);
    }

    private void writeList(int index, String name, byte[] values) {
      consumer.startField(name, index);
      consumer.startGroup();
      if (values.length > 0) {
        consumer.startField("list", 0);
        for (byte value : values) {
          consumer.startGroup();
          consumer.startField("element", 0);
          consumer.addInteger(value);
          consumer.endField("element", 0);
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
      consumer.endField(name, index);
    }

    private static final class Builder extends ParquetWriter.Builder<RowArrays, Builder> {
      private final Map<String, String> metadata;

      Builder(org.apache.parquet.io.OutputFile file, Map<String, String> metadata) {
        super(file);
        this.metadata = metadata;
      }

      @Override
      protected Builder self() {
        return this;
      }

      @Override
      protected WriteSupport<RowArrays> getWriteSupport(Configuration conf) {
        return new LegacyWriteSupport(metadata);
      }
    }
  }
}
