package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.config.JobOptions;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Hostile input through the real job, one case per test: every input is generated here, the outcome
 * (packed text, rejection reason, counter, failure) is asserted, the rows are read back with DuckDB
 * and decoded, and every rejected record is found in {@code _rejected/}.
 */
class HostileInputTest {
  private static final int SEQ_LEN = 1024;
  private static final int EOS = 50256;

  @TempDir static Path tmp;
  private static TokenEncoder gpt2;

  @BeforeAll
  static void tokenizer() throws IOException {
    Path dir = TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2");
    gpt2 =
        TokenEncoder.load(
            TokenizerSpec.parse(
                "gpt2", Files.readAllBytes(dir.resolve("tokenizer.json")), null, false));
  }

  @AfterAll
  static void close() {
    gpt2.close();
  }

  @Test
  void invalidUtf8IsReplacedAndCountedByDefault() throws Exception {
    Input input = new Input("invalid-utf8.txt");
    input.line("valid line");
    input.line(bytes("41ff42")); // never a UTF-8 byte
    input.line(bytes("6f7665726c6f6e67c0af")); // overlong '/'
    input.line(bytes("636166e9")); // Latin-1 "café"
    input.line(bytes("656e636f64656420eda080")); // an encoded surrogate (CESU-8)
    Path output = run(input, "text");
    JsonNode documents = stats(output).get("documents");
    assertEquals(5, documents.get("packed").asLong());
    assertEquals(0, documents.get("rejected_total").asLong());
    assertEquals(4, documents.get("with_invalid_utf8").asLong());
    assertEquals(
        sorted("valid line", "A\ufffdB", "overlong\ufffd\ufffd", "caf\ufffd", "encoded \ufffd"),
        texts(output));
    assertFalse(Files.exists(output.resolve("_rejected")), "nothing rejected");
  }

  @Test
  void invalidUtf8IsRejectedOnRequest() throws Exception {
    Input input = new Input("invalid-utf8-reject.jsonl");
    input.line("{\"text\": \"valid\"}");
    long second = input.line(bytes("7b2274657874223a202263616600e9227d")); // NUL, Latin-1 é
    long third = input.line(bytes("7b2274657874223a202241ff42227d"));
    Path output = tmp.resolve("out-invalid-utf8-reject");
    new JobRunner(input.write(), "jsonl", output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.INVALID_UTF8, "reject")
        .with(JobOptions.MAX_REJECTED_FRACTION, 0.9)
        .run();
    JsonNode documents = stats(output).get("documents");
    assertEquals(1, documents.get("packed").asLong());
    assertEquals(2, documents.get("rejected").get("invalid_utf8").asLong());
    assertEquals(0, documents.get("with_invalid_utf8").asLong());
    List<JsonNode> rejected = rejected(output);
    assertEquals(List.of(second, third), positions(rejected));
    for (JsonNode record : rejected) {
      assertEquals("invalid_utf8", record.get("reason").textValue());
      assertTrue(record.get("source").textValue().endsWith("invalid-utf8-reject.jsonl"));
    }
    assertEquals("{\"text\": \"caf\u0000\ufffd\"}", rejected.get(0).get("excerpt").textValue());
  }

  @Test
  void loneSurrogatesFromJsonEscapesBecomeOneReplacementEach() throws Exception {
    Input input = new Input("surrogates.jsonl");
    input.line("{\"text\": \"high \\ud800 alone\"}");
    input.line("{\"text\": \"low \\udc00 alone, pair \\ud83d\\udc4b kept\"}");
    input.line("{\"text\": \"reversed \\udc4b\\ud83d\"}");
    input.line("{\"text\": \"clean\"}");
    Path output = run(input, "jsonl");
    JsonNode documents = stats(output).get("documents");
    assertEquals(4, documents.get("packed").asLong());
    assertEquals(3, documents.get("with_lone_surrogates").asLong());
    // One U+FFFD per lone surrogate (DJL alone would make three of each), never a '?'.
    assertEquals(
        sorted(
            "high \ufffd alone",
            "low \ufffd alone, pair \ud83d\udc4b kept",
            "reversed \ufffd\ufffd",
            "clean"),
        texts(output));

    Path strict = tmp.resolve("out-surrogates-reject");
    new JobRunner(input.write(), "jsonl", strict)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.INVALID_UTF8, "reject")
        .run();
    assertEquals(3, stats(strict).get("documents").get("rejected").get("lone_surrogate").asLong());
    assertEquals(sorted("clean"), texts(strict));
  }

  @Test
  void nulAndControlCharactersAreTextInLinesAndEscapesButNotRawInJson() throws Exception {
    String controls = "nul \u0000 soh \u0001 esc \u001b[0m del \u007f vt \u000b ff \f end";
    Input text = new Input("controls.txt");
    text.line(controls);
    text.line("\u0000");
    assertEquals(sorted(controls, "\u0000"), texts(run(text, "text")));

    Input jsonl = new Input("controls.jsonl");
    jsonl.line("{\"text\": \"escaped \\u0000 \\u0001 \\u001b\"}");
    long raw = jsonl.line("{\"text\": \"raw \u0001 control\"}");
    Path output = run(jsonl, "jsonl");
    assertEquals(sorted("escaped \u0000 \u0001 \u001b"), texts(output));
    JsonNode record = rejected(output).get(0);
    assertEquals("invalid_json", record.get("reason").textValue());
    assertEquals(raw, record.get("position").asLong());
    // The excerpt keeps the raw control character (escaped in the JSON line).
    assertEquals("{\"text\": \"raw \u0001 control\"}", record.get("excerpt").textValue());
  }

  @Test
  void aByteOrderMarkAtTheStartOfAFileIsDropped() throws Exception {
    Input text = new Input("bom.txt");
    text.raw(bytes("efbbbf"));
    text.line("first line");
    text.line("second \ufeff inside stays");
    assertEquals(sorted("first line", "second \ufeff inside stays"), texts(run(text, "text")));

    Input jsonl = new Input("bom.jsonl");
    jsonl.raw(bytes("efbbbf"));
    jsonl.line("{\"text\": \"first\"}");
    Path output = run(jsonl, "jsonl");
    assertEquals(sorted("first"), texts(output));
    assertEquals(0, stats(output).get("documents").get("rejected_total").asLong());
  }

  @Test
  void crlfLineEndsGiveTheSameDocumentsAsLf() throws Exception {
    List<String> lines = List.of("one line", "two  lines", "", "three\tfields\there");
    Input lf = new Input("lf.txt");
    Input crlf = new Input("crlf.txt");
    Input cr = new Input("cr.txt");
    for (String line : lines) {
      lf.raw((line + "\n").getBytes(StandardCharsets.UTF_8));
      crlf.raw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
      cr.raw((line + "\r").getBytes(StandardCharsets.UTF_8));
    }
    List<String> expected = sorted("one line", "two  lines", "three\tfields\there");
    assertEquals(expected, texts(run(lf, "text")));
    assertEquals(expected, texts(run(crlf, "text")));
    // A lone CR ends a line too (Hadoop's reader), so old Mac files split the same way.
    assertEquals(expected, texts(run(cr, "text")));

    Input jsonl = new Input("crlf.jsonl");
    jsonl.raw("{\"text\": \"a\\r\\nb\"}\r\n{\"text\": \"c\"}\r\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(sorted("a\r\nb", "c"), texts(run(jsonl, "jsonl")));
  }

  @Test
  void emptyAndWhitespaceOnlyDocumentsAreRejectedAsEmpty() throws Exception {
    Input text = new Input("blank.txt");
    text.line("");
    text.line("   ");
    text.line("\t \t");
    text.line("\u2003\u3000"); // em space, ideographic space: white space too
    text.line("\u00a0"); // no-break space is not white space for Java: packed as text
    text.line("kept");
    Path output = run(text, "text");
    JsonNode documents = stats(output).get("documents");
    assertEquals(4, documents.get("rejected").get("empty").asLong());
    assertEquals(sorted("\u00a0", "kept"), texts(output));

    Input jsonl = new Input("blank.jsonl");
    jsonl.line("{\"text\": \"\"}");
    jsonl.line("{\"text\": \" \\n\\t \"}");
    jsonl.line("   ");
    jsonl.line("");
    jsonl.line("{\"text\": \"kept\"}");
    output = run(jsonl, "jsonl");
    documents = stats(output).get("documents");
    assertEquals(4, documents.get("rejected").get("empty").asLong());
    assertEquals(4, rejected(output).size());
  }

  @Test
  void malformedJsonWrongTypesAndNullAreRejectedByReason() throws Exception {
    Input input = new Input("malformed.jsonl");
    Map<Long, String> expected = new TreeMap<>();
    input.line("{\"text\": \"good\", \"id\": 1}");
    expected.put(input.line("{\"text\": \"unterminated"), "invalid_json");
    expected.put(input.line("{\"text\": \"a\"} {\"text\": \"b\"}"), "invalid_json");
    expected.put(input.line("{text: 'js object'}"), "invalid_json");
    expected.put(input.line("null"), "not_an_object");
    expected.put(input.line("[\"text\"]"), "not_an_object");
    expected.put(input.line("42"), "not_an_object");
    expected.put(input.line("{\"text\": null}"), "null_field");
    expected.put(input.line("{\"text\": 42}"), "field_not_string");
    expected.put(input.line("{\"text\": false}"), "field_not_string");
    expected.put(input.line("{\"text\": [\"a\", \"b\"]}"), "field_not_string");
    expected.put(input.line("{\"text\": {\"nested\": \"x\"}}"), "field_not_string");
    expected.put(input.line("{\"body\": \"no text field\"}"), "missing_field");
    input.line("{\"id\": {\"text\": 5}, \"text\": \"the top-level field counts\"}");
    Path output = run(input, "jsonl");
    assertEquals(sorted("good", "the top-level field counts"), texts(output));
    Map<Long, String> actual = new TreeMap<>();
    for (JsonNode record : rejected(output)) {
      actual.put(record.get("position").asLong(), record.get("reason").textValue());
    }
    assertEquals(expected, actual);
    JsonNode documents = stats(output).get("documents");
    assertEquals(14, documents.get("read").asLong());
    assertEquals(12, documents.get("rejected_total").asLong());
  }

  @Test
  void deeplyNestedJsonIsInvalidWithoutOverflowingTheStack() throws Exception {
    int depth = 1_000_000;
    Input input = new Input("nested.jsonl");
    input.line("{\"text\": \"before\"}");
    input.line("{\"text\": \"x\", \"meta\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
    input.line("{\"a\":".repeat(depth) + "1" + "}".repeat(depth));
    input.line("[".repeat(depth));
    input.line(
        "{\"meta\": " + "{\"a\": ".repeat(900) + "1" + "}".repeat(900) + ", \"text\": \"ok\"}");
    Path output = run(input, "jsonl");
    assertEquals(sorted("before", "ok"), texts(output));
    JsonNode rejected = stats(output).get("documents").get("rejected");
    assertEquals(2, rejected.get("invalid_json").asLong());
    assertEquals(1, rejected.get("not_an_object").asLong());
    // Excerpts are the first kilobyte, not the whole megabyte.
    for (JsonNode record : rejected(output)) {
      assertTrue(record.get("excerpt").textValue().length() <= 1024);
    }
  }

  @Test
  void aTruncatedGzipFailsTheRunNamingTheFile() throws Exception {
    Path input = tmp.resolve("truncated-fail");
    Files.createDirectories(input);
    Path damaged = truncatedGzip(input.resolve("damaged.txt.gz"), 20_000);
    gzip(input.resolve("intact.txt.gz"), List.of("intact one", "intact two"));
    Path output = tmp.resolve("out-truncated-fail");
    SeqpackException failure =
        assertThrows(
            SeqpackException.class,
            () -> new JobRunner(input, "text", output).with(JobOptions.SEQ_LEN, SEQ_LEN).run());
    assertTrue(
        failure.getMessage().contains(damaged.getFileName().toString()), failure.getMessage());
    assertTrue(failure.getMessage().contains("corrupt"), failure.getMessage());
    assertNothingCommitted(output);
  }

  @Test
  void aTruncatedGzipIsOneCountedRejectionWhenSkipped() throws Exception {
    Path input = tmp.resolve("truncated-skip");
    Files.createDirectories(input);
    Path damaged = truncatedGzip(input.resolve("damaged.txt.gz"), 20_000);
    gzip(input.resolve("intact.txt.gz"), List.of("intact one", "intact two"));
    Path output = tmp.resolve("out-truncated-skip");
    new JobRunner(input, "text", output)
        .with(JobOptions.SEQ_LEN, SEQ_LEN)
        .with(JobOptions.CORRUPT_FILES, "skip")
        .run();
    JsonNode documents = stats(output).get("documents");
    assertEquals(1, documents.get("rejected").get("corrupt_file").asLong());
    assertEquals(1, documents.get("rejected_total").asLong());
    long packed = documents.get("packed").asLong();
    // The lines before the damage are kept (whole lines only), then the intact file's two.
    assertTrue(packed > 2 + 1000 && packed < 2 + 20_000, packed + " packed");
    assertEquals(packed + 1, documents.get("read").asLong());
    List<String> texts = texts(output);
    assertTrue(texts.contains("intact one") && texts.contains("intact two"));
    for (int i = 0; i < packed - 2; i++) {
      assertTrue(texts.contains(gzipLine(i)), gzipLine(i));
    }
    JsonNode record = rejected(output).get(0);
    assertEquals("corrupt_file", record.get("reason").textValue());
    assertTrue(record.get("source").textValue().endsWith(damaged.getFileName().toString()));
    assertTrue(record.get("excerpt").textValue().contains("EOFException"), record.toString());
  }

  @Test
  void invalidUtf8AndNullsInParquetStringsAreHandledLikeLines() throws Exception {
    Path input = tmp.resolve("strings.parquet");
    StructType schema =
        new StructType(
            new StructField[] {
              new StructField("id", DataTypes.IntegerType, false, Metadata.empty()),
              new StructField("raw", DataTypes.BinaryType, true, Metadata.empty())
            });
    List<Row> rows =
        List.of(
            RowFactory.create(0, "fine".getBytes(StandardCharsets.UTF_8)),
            RowFactory.create(1, bytes("636166e9")),
            RowFactory.create(2, null),
            RowFactory.create(3, "   ".getBytes(StandardCharsets.UTF_8)));
    Dataset<Row> frame = SharedSpark.get().createDataFrame(rows, schema);
    // Spark writes the bytes of a binary cast to string unchecked: invalid UTF-8 in a string.
    frame
        .select(frame.col("id"), frame.col("raw").cast(DataTypes.StringType).as("text"))
        .coalesce(1)
        .write()
        .parquet(input.toString());
    Path output = run(input, "parquet");
    JsonNode documents = stats(output).get("documents");
    assertEquals(1, documents.get("with_invalid_utf8").asLong());
    assertEquals(sorted("fine", "caf\ufffd"), texts(output));
    Map<Long, String> actual = new TreeMap<>();
    for (JsonNode record : rejected(output)) {
      actual.put(record.get("position").asLong(), record.get("reason").textValue());
    }
    assertEquals(Map.of(2L, "null_field", 3L, "empty"), actual);
  }

  @Test
  void tooManyRejectionsFailTheRunAndCommitNothing() throws Exception {
    Input input = new Input("mostly-bad.jsonl");
    for (int i = 0; i < 90; i++) {
      input.line("{\"text\": \"document " + i + "\"}");
    }
    for (int i = 0; i < 10; i++) {
      input.line("{\"text\": " + i + "}");
    }
    Path file = input.write();
    Path failed = tmp.resolve("out-too-many");
    SeqpackException failure =
        assertThrows(
            SeqpackException.class,
            () ->
                new JobRunner(file, "jsonl", failed)
                    .with(JobOptions.MAX_REJECTED_FRACTION, 0.05)
                    .run());
    assertTrue(failure.getMessage().contains("10 of 100"), failure.getMessage());
    // The rejected records are not committed, so the message shows the first ones.
    assertTrue(
        failure.getMessage().contains("mostly-bad.jsonl at ")
            && failure.getMessage().contains(": field_not_string"),
        failure.getMessage());
    assertTrue(
        failure.getMessage().contains(JobOptions.MAX_REJECTED_FRACTION.key()),
        failure.getMessage());
    assertNothingCommitted(failed);

    // Within the bound the run succeeds, and warns because more than 1 % was rejected.
    Path output = tmp.resolve("out-warned");
    new JobRunner(file, "jsonl", output).with(JobOptions.MAX_REJECTED_FRACTION, 0.1).run();
    JsonNode stats = stats(output);
    assertEquals(0.1, stats.get("documents").get("rejected_fraction").asDouble());
    assertEquals(1, stats.get("warnings").size());
    assertTrue(stats.get("warnings").get(0).textValue().contains("10.00 %"));
    JsonNode records = stats.get("rejected_records");
    assertEquals("_rejected", records.get("folder").textValue());
    assertEquals(10, records.get("records").asLong());
    assertEquals(10, rejected(output).size());
  }

  @Test
  void aRunThatRejectsEverythingFailsByDefault() throws Exception {
    Input input = new Input("all-bad.jsonl");
    input.line("{\"text\": null}");
    input.line("not json");
    Path file = input.write();
    Path output = tmp.resolve("out-all-bad");
    SeqpackException failure =
        assertThrows(SeqpackException.class, () -> new JobRunner(file, "jsonl", output).run());
    assertTrue(failure.getMessage().contains("every document"), failure.getMessage());
    assertNothingCommitted(output);
  }

  // ---- helpers

  /** The job's output folder after a successful run. */
  private static Path run(Input input, String format) throws Exception {
    return run(input.write(), format);
  }

  private static Path run(Path input, String format) throws Exception {
    Path output = tmp.resolve("out-" + input.getFileName());
    new JobRunner(input, format, output).with(JobOptions.SEQ_LEN, SEQ_LEN).run();
    return output;
  }

  static JsonNode stats(Path output) throws IOException {
    return JSON.readTree(Files.readString(output.resolve("stats.json")));
  }

  /** The packed documents' texts, decoded from the rows DuckDB reads (one segment each). */
  private static List<String> texts(Path output) throws Exception {
    List<String> texts = new ArrayList<>();
    for (OutputReader.Row row : OutputReader.rows(output)) {
      assertEquals(List.of(), RowInvariants.violations(row, SEQ_LEN, EOS));
      for (int[] segment : RowInvariants.segments(row)) {
        assertEquals(EOS, segment[segment.length - 1], "every document ends with its EOS");
        int[] ids = Arrays.copyOf(segment, segment.length - 1);
        for (int id : ids) {
          assertTrue(id != EOS, "the EOS id only where the job put it");
        }
        texts.add(gpt2.decode(ids, false));
      }
    }
    texts.sort(null);
    return texts;
  }

  /** The records of {@code _rejected/}, in file then line order. */
  static List<JsonNode> rejected(Path output) throws IOException {
    List<JsonNode> records = new ArrayList<>();
    Path folder = output.resolve("_rejected");
    if (!Files.isDirectory(folder)) {
      return records;
    }
    try (Stream<Path> files = Files.list(folder).sorted()) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().startsWith(".")) {
          continue; // Hadoop's local checksum files
        }
        assertTrue(file.getFileName().toString().matches("part-\\d{5}\\.jsonl"), file.toString());
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          records.add(JSON.readTree(line));
        }
      }
    }
    records.sort((a, b) -> Long.compare(a.get("position").asLong(), b.get("position").asLong()));
    return records;
  }

  private static List<Long> positions(List<JsonNode> records) {
    return records.stream().map(r -> r.get("position").asLong()).toList();
  }

  static void assertNothingCommitted(Path output) throws IOException {
    assertFalse(Files.exists(output.resolve("_SUCCESS")), "no _SUCCESS");
    assertFalse(Files.exists(output.resolve("stats.json")), "no stats.json");
    if (Files.exists(output)) {
      try (Stream<Path> entries = Files.list(output)) {
        assertEquals(
            List.of(),
            entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
      }
    }
  }

  private static List<String> sorted(String... texts) {
    List<String> list = new ArrayList<>(List.of(texts));
    list.sort(null);
    return list;
  }

  private static byte[] bytes(String hex) {
    return java.util.HexFormat.of().parseHex(hex);
  }

  private static String gzipLine(int i) {
    return "line " + i + " of a file whose end is lost";
  }

  /** A .gz of {@code lines} numbered lines, cut to half its length. */
  private static Path truncatedGzip(Path file, int lines) throws IOException {
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(whole)) {
      for (int i = 0; i < lines; i++) {
        gzip.write((gzipLine(i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = whole.toByteArray();
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    return file;
  }

  private static void gzip(Path file, List<String> lines) throws IOException {
    try (OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (String line : lines) {
        gzip.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  /** A generated input file: lines of raw bytes, with the byte offset of each. */
  private static final class Input {
    private final String name;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    Input(String name) {
      this.name = name;
    }

    long line(String text) {
      return line(text.getBytes(StandardCharsets.UTF_8));
    }

    long line(byte[] line) {
      long offset = bytes.size();
      bytes.writeBytes(line);
      bytes.write('\n');
      return offset;
    }

    void raw(byte[] raw) {
      bytes.writeBytes(raw);
    }

    Path write() throws IOException {
      Path file = tmp.resolve(name);
      Files.write(file, bytes.toByteArray());
      return file;
    }
  }
}
