package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecordParserTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"text\": \"hello\"}|",
        "{\"id\": 1, \"meta\": {\"text\": 5}, \"text\": \"hi\"}|",
        "{\"text\": null}|null_field",
        "{\"text\": 5}|field_not_string",
        "{\"text\": [\"a\"]}|field_not_string",
        "{\"title\": \"x\"}|missing_field",
        "[1, 2]|not_an_object",
        "\"text\"|not_an_object",
        "{\"text\": \"a\"|invalid_json",
        "{\"text\": \"a\"} trailing|invalid_json",
        "not json|invalid_json",
      })
  void jsonlLines(String line, String reason) {
    SourceDocument document = parse(true, line.getBytes(StandardCharsets.UTF_8));
    assertEquals(reason, document.rejection());
    if (reason == null) {
      assertEquals(line.contains("hello") ? "hello" : "hi", document.text());
    }
  }

  @ParameterizedTest
  @CsvSource({"ff", "c328", "e282", "eda080"})
  void invalidUtf8IsRejectedNotReplaced(String hex) {
    byte[] bytes = java.util.HexFormat.of().parseHex("41" + hex + "42");
    SourceDocument document = parse(false, bytes);
    assertEquals(RecordParser.INVALID_UTF8, document.rejection());
    assertNull(document.text());
  }

  private static SourceDocument parse(boolean jsonl, byte[] bytes) {
    return new RecordParser(jsonl, "text").parse("file", 7, bytes, bytes.length);
  }
}
