package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile records through the parser: each case, literal input and literal outcome. */
class RecordParserRobustnessTest {
  private static final int NONE = 0;
  private static final int UTF8 = SourceDocument.INVALID_UTF8_REPLACED;
  private static final int LONE = SourceDocument.LONE_SURROGATES_REPLACED;

  static Stream<Arguments> textLines() {
    return Stream.of(
        // hex bytes, replace mode: text (null = rejected) and repairs, reject mode: reason
        Arguments.of("41ff42", "A\ufffdB", UTF8, "invalid_utf8"),
        Arguments.of("41c0af42", "A\ufffd\ufffdB", UTF8, "invalid_utf8"),
        Arguments.of("41eda08042", "A\ufffdB", UTF8, "invalid_utf8"), // an encoded surrogate
        Arguments.of("fffe4100", "\ufffd\ufffdA\u0000", UTF8, "invalid_utf8"), // UTF-16 BOM
        Arguments.of("410042011f7f", "A\u0000B\u0001\u001f\u007f", NONE, null), // controls
        Arguments.of("efbbbf41", "\ufeffA", NONE, null), // a BOM not at the file's start
        Arguments.of("", "", NONE, null)); // empty: rejected later as empty
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("textLines")
  void textLines(String hex, String replaced, int repairs, String rejectReason) {
    byte[] bytes = HexFormat.of().parseHex(hex);
    SourceDocument document =
        new RecordParser(false, null, false).parse("f", 3, bytes, bytes.length);
    assertNull(document.rejection());
    assertEquals(replaced, document.text());
    assertEquals(repairs, document.repairs());
    assertFalse(document.text().contains("?"), "never a question mark");

    SourceDocument strict = new RecordParser(false, null, true).parse("f", 3, bytes, bytes.length);
    assertEquals(rejectReason, strict.rejection());
    if (rejectReason != null) {
      assertNull(strict.text());
      assertEquals(3, strict.position());
      assertEquals(replaced, strict.excerpt());
    }
  }

  static Stream<Arguments> jsonLines() {
    return Stream.of(
        // line, replace mode: text or reason and repairs, reject mode: reason
        Arguments.of("{\"text\": \"ok\"}", "ok", null, NONE, null),
        Arguments.of("{\"text\": \"a\\ud800b\"}", "a\ufffdb", null, LONE, "lone_surrogate"),
        Arguments.of("{\"text\": \"\\udfff\"}", "\ufffd", null, LONE, "lone_surrogate"),
        Arguments.of("{\"text\": \"\\ud83d\\udc4b\"}", "👋", null, NONE, null),
        Arguments.of(
            "{\"text\": \"nul \\u0000 bell \\u0007\"}", "nul \u0000 bell \u0007", null, NONE, null),
        Arguments.of(
            "{\"text\": \"raw \u0001 control\"}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of("{\"text\": \"raw\ttab\"}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of("null", null, "not_an_object", NONE, "not_an_object"),
        Arguments.of("{\"text\": null}", null, "null_field", NONE, "null_field"),
        Arguments.of("{\"text\": 12}", null, "field_not_string", NONE, "field_not_string"),
        Arguments.of("{\"text\": true}", null, "field_not_string", NONE, "field_not_string"),
        Arguments.of(
            "{\"text\": {\"a\": \"b\"}}", null, "field_not_string", NONE, "field_not_string"),
        Arguments.of("{\"text\": [\"a\"]}", null, "field_not_string", NONE, "field_not_string"),
        Arguments.of("{\"text\": 1, \"text\": \"later wins\"}", "later wins", null, NONE, null),
        Arguments.of("{\"body\": \"x\"}", null, "missing_field", NONE, "missing_field"),
        Arguments.of("{\"text\": \"unterminated}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of(
            "{\"text\": \"a\"}{\"text\": \"b\"}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of("{'text': 'single quotes'}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of("{\"text\": \"bad escape \\x\"}", null, "invalid_json", NONE, "invalid_json"),
        Arguments.of("", null, "empty", NONE, "empty"),
        Arguments.of(" \t ", null, "empty", NONE, "empty"),
        Arguments.of("\"just a string\"", null, "not_an_object", NONE, "not_an_object"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("jsonLines")
  void jsonLines(String line, String text, String reason, int repairs, String strictReason) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    SourceDocument document = jsonl(false).parse("f", 0, bytes, bytes.length);
    assertEquals(text, document.text());
    assertEquals(reason, document.rejection());
    assertEquals(repairs, document.repairs());
    assertEquals(strictReason, jsonl(true).parse("f", 0, bytes, bytes.length).rejection());
  }

  @Test
  void invalidUtf8InsideJsonIsReplacedOrRejected() {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    line.writeBytes("{\"id\": \"\u00e9\", \"text\": \"caf".getBytes(StandardCharsets.UTF_8));
    line.write(0xE9); // Latin-1 é: not UTF-8
    line.writeBytes(" au lait\"}".getBytes(StandardCharsets.UTF_8));
    byte[] bytes = line.toByteArray();
    SourceDocument replaced = jsonl(false).parse("f", 0, bytes, bytes.length);
    assertEquals("caf\ufffd au lait", replaced.text());
    assertEquals(UTF8, replaced.repairs());
    SourceDocument rejected = jsonl(true).parse("f", 0, bytes, bytes.length);
    assertEquals("invalid_utf8", rejected.rejection());
    assertEquals("{\"id\": \"\u00e9\", \"text\": \"caf\ufffd au lait\"}", rejected.excerpt());
  }

  @Test
  void deepNestingIsInvalidJsonWithoutRecursion() {
    int depth = 200_000;
    String deep = "{\"text\": \"t\", \"meta\": " + "[".repeat(depth) + "]".repeat(depth) + "}";
    assertEquals("invalid_json", parseJsonl(deep).rejection());
    assertEquals("not_an_object", parseJsonl("[".repeat(depth)).rejection());
    String deepObjects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    assertEquals("invalid_json", parseJsonl(deepObjects).rejection());
    // Within the limit, nesting beside the text is fine.
    int fine = RecordParser.MAX_JSON_DEPTH - 2;
    String nested = "{\"meta\": " + "[".repeat(fine) + "]".repeat(fine) + ", \"text\": \"t\"}";
    assertEquals("t", parseJsonl(nested).text());
  }

  @Test
  void rejectedExcerptsHoldTheFirstKilobyte() {
    // 21 ASCII bytes, then two-byte characters: 1 KB ends inside the 502nd, which is left out.
    String line = "{\"text\": 5, \"pads\": \"" + "é".repeat(2000) + "\"}";
    SourceDocument document = parseJsonl(line);
    assertEquals("field_not_string", document.rejection());
    assertEquals(line.substring(0, 21 + 501), document.excerpt());
    assertEquals(1023, document.excerpt().getBytes(StandardCharsets.UTF_8).length);
  }

  @Test
  void aLongTextFieldDecodesWhole() {
    String text = "Grüße, 世界! \"quoted\" \\ back\n".repeat(100_000);
    String escaped = text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    assertEquals(text, parseJsonl("{\"text\": \"" + escaped + "\", \"n\": 1}").text());
  }

  private static RecordParser jsonl(boolean reject) {
    return new RecordParser(true, "text", reject);
  }

  private static SourceDocument parseJsonl(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return jsonl(false).parse("f", 0, bytes, bytes.length);
  }
}
