package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RejectedRecordTest {

  @Test
  void everyCharacterOfTheExcerptSurvivesAsJson() {
    String excerpt = "q\"b\\s\nn\tt\u0000z\u001f\u2028é👋 \ud800x";
    String line =
        RejectedRecord.jsonLine(
            SourceDocument.rejected("file:/in/a b.jsonl", 1234, "invalid_json", excerpt));
    assertFalse(line.contains("\n"), line);
    // The lone surrogate is an escape, so the UTF-8 bytes of the line hold no '?' in its place.
    assertTrue(line.contains("\\ud800"), line);
    String utf8 = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    assertEquals(line, utf8);
    JsonObject json = JsonParser.parseString(line).getAsJsonObject();
    assertEquals("file:/in/a b.jsonl", json.get("source").getAsString());
    assertEquals(1234, json.get("position").getAsLong());
    assertEquals("invalid_json", json.get("reason").getAsString());
    assertEquals(excerpt, json.get("excerpt").getAsString());
  }

  @Test
  void anExcerptCutInsideAPairDropsTheOrphan() {
    String line = RejectedRecord.jsonLine(SourceDocument.rejected("f", 0, "empty", "ab\ud83d"));
    assertEquals("ab", JsonParser.parseString(line).getAsJsonObject().get("excerpt").getAsString());
    line = RejectedRecord.jsonLine(SourceDocument.rejected("f", 0, "null_field", null));
    assertTrue(JsonParser.parseString(line).getAsJsonObject().get("excerpt").isJsonNull());
  }
}
