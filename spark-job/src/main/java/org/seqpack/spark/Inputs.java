package org.seqpack.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.core.InputConfig;
import org.seqpack.core.InputFormat;
import org.seqpack.core.RecordParser;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import scala.Option;
import scala.Tuple2;

/**
 * Reads input files as an RDD of {@link SourceDocument}s without a shuffle: each partition is an
 * input split, so a partition's content is a pure function of the files and the split size.
 */
final class Inputs {
  /** Parquet's hidden per-file row number (Spark 3.5+), whatever the split. */
  private static final String ROW_INDEX = "_metadata.row_index";

  /** Lines longer than this do not keep their read buffer after decoding. */
  private static final int LARGE_LINE_BYTES = 8 << 20;

  private Inputs() {}

  /**
   * The input files as a run depends on them: their total size and number, and a SHA-256 of every
   * file's path, size and modification time (so that {@code --resume} notices a changed input).
   */
  record Listing(long bytes, long files, String sha256) {}

  /**
   * Checks that every input path or glob matches at least one readable file; returns the listing.
   */
  static Listing validate(InputConfig input, Configuration conf) {
    List<String> problems = new ArrayList<>();
    List<String> entries = new ArrayList<>();
    long bytes = 0;
    for (String location : input.paths()) {
      try {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          problems.add(
              "'"
                  + JobOptions.INPUT.key()
                  + "' has '"
                  + location
                  + "'; must exist, but nothing matches it");
          continue;
        }
        for (FileStatus match : matches) {
          bytes += checkFiles(fs, match, problems, entries);
        }
      } catch (IOException | IllegalArgumentException e) {
        problems.add(
            "'"
                + JobOptions.INPUT.key()
                + "' has '"
                + location
                + "'; cannot be read: "
                + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new SeqpackException(String.join("\n", problems));
    }
    Collections.sort(entries);
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String entry : entries) {
        digest.update((entry + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return new Listing(bytes, entries.size(), HexFormat.of().formatHex(digest.digest()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The bytes of every file {@code match} is or holds (hidden ones too, as a content summary counts
   * them); adds a missing codec, named with the file and its extension, for the first visible file
   * compressed in a format there is no codec for here.
   */
  private static long checkFiles(
      FileSystem fs, FileStatus match, List<String> problems, List<String> entries)
      throws IOException {
    long bytes = 0;
    String missingCodec = null;
    RemoteIterator<LocatedFileStatus> files = fs.listFiles(match.getPath(), true);
    while (files.hasNext()) {
      LocatedFileStatus status = files.next();
      bytes += status.getLen();
      entries.add(status.getPath() + "\t" + status.getLen() + "\t" + status.getModificationTime());
      String name = status.getPath().getName();
      String extension = InputCodecs.unsupportedExtension(name);
      // Hidden names are skipped, as Hadoop's input formats skip them.
      if (missingCodec == null
          && extension != null
          && !name.startsWith("_")
          && !name.startsWith(".")) {
        missingCodec =
            "'"
                + JobOptions.INPUT.key()
                + "' has '"
                + status.getPath()
                + "'; there is no codec for its extension '"
                + extension
                + "' here (the file may well be intact); must be uncompressed or one of "
                + String.join(", ", InputCodecs.SUPPORTED)
                + ", or Parquet";
      }
    }
    if (missingCodec != null) {
      problems.add(missingCodec);
    }
    return bytes;
  }

  /**
   * For pretraining the documents' text; for SFT each record whole, as a JSON object (JSONL lines
   * as they are, Parquet rows as {@code to_json} of the SFT columns).
   */
  static JavaRDD<SourceDocument> read(
      SparkSession spark, JobConfig config, Configuration conf, long totalBytes) {
    return read(spark, config, conf, totalBytes, null);
  }

  /**
   * As above, pretraining text only when {@code groupField} is set: each document also carries that
   * JSONL field's or Parquet column's value as its {@link SourceDocument#group} (analyze's {@code
   * --source-field}).
   */
  static JavaRDD<SourceDocument> read(
      SparkSession spark,
      JobConfig config,
      Configuration conf,
      long totalBytes,
      String groupField) {
    InputConfig input = config.input();
    boolean sft = config.sft().enabled();
    if (input.format() == InputFormat.PARQUET) {
      return sft ? readParquetRecords(spark, config) : readParquet(spark, input, groupField);
    }
    // Lines are checked as UTF-8 by the parser; SFT records are parsed as JSON later.
    return readLines(spark, input, sft ? null : input.textField(), conf, totalBytes, groupField);
  }

  /** The documents' text, as for pretraining, from {@code input} alone (train-tokenizer's read). */
  static JavaRDD<SourceDocument> readText(
      SparkSession spark, InputConfig input, Configuration conf, long totalBytes) {
    return input.format() == InputFormat.PARQUET
        ? readParquet(spark, input, null)
        : readLines(spark, input, input.textField(), conf, totalBytes, null);
  }

  private static JavaRDD<SourceDocument> readParquetRecords(SparkSession spark, JobConfig config) {
    Dataset<Row> rows = spark.read().parquet(config.input().paths().toArray(new String[0]));
    List<String> present = new ArrayList<>();
    for (String field :
        List.of(
            config.sft().messagesField(),
            config.sft().promptField(),
            config.sft().completionField())) {
      if (java.util.Arrays.asList(rows.schema().fieldNames()).contains(field)) {
        present.add(field);
      }
    }
    if (present.isEmpty()) {
      throw new SeqpackException(
          "the Parquet input has none of the SFT columns '"
              + config.sft().messagesField()
              + "', '"
              + config.sft().promptField()
              + "', '"
              + config.sft().completionField()
              + "'; it has "
              + String.join(", ", rows.schema().fieldNames()));
    }
    org.apache.spark.sql.Column[] columns =
        present.stream()
            .map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
    return rows.select(
            to_json(struct(columns)).cast(DataTypes.BinaryType), input_file_name(), col(ROW_INDEX))
        .javaRDD()
        .mapPartitions(new ParquetRows(parser(config.input(), false, null)));
  }

  /** Lines as documents: JSONL's {@code textField} when given, else the whole line. */
  private static JavaRDD<SourceDocument> readLines(
      SparkSession spark,
      InputConfig input,
      String textField,
      Configuration conf,
      long totalBytes,
      String groupField) {
    try {
      Job job = Job.getInstance(new Configuration(conf));
      Path[] paths = input.paths().stream().map(Path::new).toArray(Path[]::new);
      FileInputFormat.setInputPaths(job, paths);
      FileInputFormat.setInputDirRecursive(job, true);
      int partitions =
          input.partitions() > 0 ? input.partitions() : spark.sparkContext().defaultParallelism();
      // Smaller splits give at least the requested partitions for uncompressed input.
      long splitSize = Math.max(1L << 16, (totalBytes + partitions - 1) / Math.max(1, partitions));
      FileInputFormat.setMaxInputSplitSize(job, splitSize);
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      job.getConfiguration()
          .setBoolean(CheckedTextInputFormat.SKIP_CORRUPT, input.skipCorruptFiles());
      InputCodecs.register(job.getConfiguration());
      JavaNewHadoopRDD<LongWritable, Text> lines =
          (JavaNewHadoopRDD<LongWritable, Text>)
              jsc.newAPIHadoopRDD(
                  job.getConfiguration(),
                  CheckedTextInputFormat.class,
                  LongWritable.class,
                  Text.class);
      boolean jsonl = input.format() == InputFormat.JSONL && textField != null;
      RecordParser parser =
          new RecordParser(jsonl, textField, input.rejectInvalidUtf8(), jsonl ? groupField : null);
      JavaRDD<SourceDocument> documents =
          lines.mapPartitionsWithInputSplit(new ParseLines(parser), true);
      // Small files read together; the splits of one large file stay partitions of their own.
      SizeCoalescer coalescer = new SizeCoalescer(partitions, input.targetPartitionBytes());
      JavaRDD<SourceDocument> grouped =
          documents
              .rdd()
              .coalesce(documents.getNumPartitions(), false, Option.apply(coalescer), null)
              .toJavaRDD();
      // Too few splits for the cores because a file cannot be split: spread its documents.
      boolean unsplittable =
          Arrays.stream(documents.rdd().partitions())
              .anyMatch(partition -> !SizeCoalescer.splittable(partition));
      return unsplittable && grouped.getNumPartitions() < partitions
          ? SpreadDocuments.over(grouped, partitions)
          : grouped;
    } catch (IOException e) {
      throw new SeqpackException(
          "cannot set up reading " + input.paths() + ": " + e.getMessage(), e);
    }
  }

  private static RecordParser parser(InputConfig input, boolean jsonl, String textField) {
    return new RecordParser(jsonl, textField, input.rejectInvalidUtf8());
  }

  private static JavaRDD<SourceDocument> readParquet(
      SparkSession spark, InputConfig input, String groupField) {
    Dataset<Row> rows = spark.read().parquet(input.paths().toArray(new String[0]));
    String field = input.textField();
    StructField column =
        java.util.Arrays.stream(rows.schema().fields())
            .filter(f -> f.name().equals(field))
            .findFirst()
            .orElseThrow(
                () ->
                    new SeqpackException(
                        "'"
                            + JobOptions.TEXT_FIELD.key()
                            + "' is '"
                            + field
                            + "'; must be a column of the Parquet input, which has "
                            + String.join(", ", rows.schema().fieldNames())));
    if (!column.dataType().equals(DataTypes.StringType)) {
      throw new SeqpackException(
          "'"
              + JobOptions.TEXT_FIELD.key()
              + "' is '"
              + field
              + "', a column of type "
              + column.dataType().simpleString()
              + "; must be a string column");
    }
    // As bytes, so that invalid UTF-8 in a string column is found and handled like in lines.
    if (groupField != null) {
      if (!Arrays.asList(rows.schema().fieldNames()).contains(groupField)) {
        throw new SeqpackException(
            "'--source-field' is '"
                + groupField
                + "'; must be a column of the Parquet input, which has "
                + String.join(", ", rows.schema().fieldNames()));
      }
      return rows.select(
              col(field).cast(DataTypes.BinaryType),
              input_file_name(),
              col(ROW_INDEX),
              col(groupField).cast(DataTypes.StringType))
          .javaRDD()
          .mapPartitions(new ParquetRows(parser(input, false, null)));
    }
    return rows.select(col(field).cast(DataTypes.BinaryType), input_file_name(), col(ROW_INDEX))
        .javaRDD()
        .mapPartitions(new ParquetRows(parser(input, false, null)));
  }

  /**
   * Decodes the lines of one input split lazily; Hadoop reuses the Text object between records, and
   * keeps its buffer as large as the longest line so far unless released.
   */
  private static final class ParseLines
      implements Function2<
          InputSplit, Iterator<Tuple2<LongWritable, Text>>, Iterator<SourceDocument>> {
    private static final long serialVersionUID = 1L;
    private final RecordParser parser;

    ParseLines(RecordParser parser) {
      this.parser = parser;
    }

    @Override
    public Iterator<SourceDocument> call(
        InputSplit split, Iterator<Tuple2<LongWritable, Text>> lines) {
      String source = ((FileSplit) split).getPath().toString();
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return lines.hasNext();
        }

        @Override
        public SourceDocument next() {
          Tuple2<LongWritable, Text> line = lines.next();
          long key = line._1().get();
          Text text = line._2();
          if (CheckedTextInputFormat.isCorruptMarker(key)) {
            return SourceDocument.rejected(
                source,
                CheckedTextInputFormat.markerPosition(key),
                RecordParser.CORRUPT_FILE,
                text.toString());
          }
          SourceDocument document = parser.parse(source, key, text.getBytes(), text.getLength());
          if (text.getBytes().length > LARGE_LINE_BYTES) {
            // Let a huge line's buffer go before its text is tokenized.
            text.set(new byte[0]);
          }
          return document;
        }
      };
    }
  }

  /**
   * Parquet rows of (text as UTF-8 bytes, file, row index in the file); a null text is a counted
   * rejection.
   */
  private static final class ParquetRows implements FlatMapFunction<Iterator<Row>, SourceDocument> {
    private static final long serialVersionUID = 1L;
    private final RecordParser parser;

    ParquetRows(RecordParser parser) {
      this.parser = parser;
    }

    @Override
    public Iterator<SourceDocument> call(Iterator<Row> rows) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public SourceDocument next() {
          Row row = rows.next();
          String source = row.getString(1);
          long position = row.getLong(2);
          if (row.isNullAt(0)) {
            return SourceDocument.rejected(source, position, RecordParser.NULL_FIELD, null);
          }
          byte[] bytes = (byte[]) row.get(0);
          SourceDocument document = parser.parse(source, position, bytes, bytes.length);
          if (row.size() > 3) {
            // The grouping column, when asked for: empty for a null value.
            String group = row.isNullAt(3) ? "" : row.getString(3);
            return new SourceDocument(
                document.source(),
                document.position(),
                document.text(),
                document.rejection(),
                document.excerpt(),
                document.repairs(),
                group);
          }
          return document;
        }
      };
    }
  }
}
