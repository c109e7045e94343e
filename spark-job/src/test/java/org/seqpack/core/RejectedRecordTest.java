package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RejectedRecordTest {

  @Test
  void everyCharacterOfTheExcerptSurvivesAsJson() throws IOException {
    String excerpt = "q\"b\\s\nn\tt\u0000z\u001f\u2028é👋 \ud800x";
    String line =
        RejectedRecord.jsonLine(
            SourceDocument.rejected("file:/in/a b.jsonl", 1234, "invalid_json", excerpt));
    assertFalse(line.contains("\n"), line);
    // The lone surrogate is an escape, so the UTF-8 bytes of the line hold no '?' in its place.
    assertTrue(line.contains("\\ud800"), line);
    String utf8 = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertEquals(line, utf8);
    JsonNode json = JSON.readTree(line);
    assertEquals("file:/in/a b.jsonl", json.get("source").textValue());
    assertEquals(1234, json.get("position").asLong());
    assertEquals("invalid_json", json.get("reason").textValue());
    assertEquals(excerpt, json.get("excerpt").textValue());
  }

  @Test
  void anExcerptCutInsideAPairDropsTheOrphan() throws IOException {
    String line = RejectedRecord.jsonLine(SourceDocument.rejected("f", 0, "empty", "ab\ud83d"));
    assertEquals("ab", JSON.readTree(line).get("excerpt").textValue());
    line = RejectedRecord.jsonLine(SourceDocument.rejected("f", 0, "null_field", null));
    assertTrue(JSON.readTree(line).get("excerpt").isNull());
  }
}
