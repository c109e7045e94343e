package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.seqpack.core.SeqpackException;

/** compression.json as analyze --compression reads it: literal files, good and bad. */
class CompressionCurveTest {
  static final String GOOD =
      """
      {"held_out_fraction": 0.01, "held_out_documents": 3, "pattern": "gpt2", "points": [
        {"vocab_size": 512, "merges": 255, "bytes": 1000, "tokens": 500, "bytes_per_token": 2.0},
        {"vocab_size": 1024, "merges": 767, "bytes": 1000, "tokens": 400, "bytes_per_token": 2.5}
      ]}
      """;

  private static CompressionCurve parse(String json) {
    return CompressionCurve.parse("run", "out/run", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String refused(String json) {
    return assertThrows(SeqpackException.class, () -> parse(json)).getMessage();
  }

  @Test
  void readsAGoodCurve() {
    CompressionCurve curve = parse(GOOD);
    assertEquals("run", curve.name());
    assertEquals("gpt2", curve.pattern());
    assertEquals(3, curve.heldOutDocuments());
    assertEquals(
        List.of(
            new CompressionCurve.Point(512, 255, 1000, 500, 2.0),
            new CompressionCurve.Point(1024, 767, 1000, 400, 2.5)),
        curve.points());
    JsonNode json = curve.toJson();
    assertEquals("run", json.get("name").asText());
    assertEquals(1024, json.get("points").get(1).get("vocab_size").asInt());
    assertEquals(2.5, json.get("points").get(1).get("bytes_per_token").asDouble());
  }

  @Test
  void refusesMalformedJson() {
    String message = refused("{\"points\": [");
    assertTrue(message.startsWith("'--compression' is 'out/run'; is not valid JSON"), message);
    message = refused("[1, 2]");
    assertTrue(message.contains("must hold a JSON object, but holds array"), message);
    message = refused("{\"points\": []}");
    assertTrue(message.contains("must have a non-empty array 'points'"), message);
    message = refused("{\"points\": [{\"vocab_size\": \"512\"}]}");
    assertTrue(message.contains("points[0].vocab_size is \"512\"; must be an integer"), message);
  }

  @Test
  void refusesDecreasingSizes() {
    String message = refused(GOOD.replace("1024", "500"));
    assertTrue(
        message.contains(
            "points[1].vocab_size is 500; must be greater than the previous point's 512"),
        message);
  }

  @Test
  void refusesNonPositiveValues() {
    String message = refused(GOOD.replace("\"vocab_size\": 512", "\"vocab_size\": 0"));
    assertTrue(message.contains("points[0].vocab_size is 0; must be at least 1"), message);
    message = refused(GOOD.replace("\"tokens\": 400", "\"tokens\": -4"));
    assertTrue(message.contains("points[1].tokens is -4; must be at least 1"), message);
    message = refused(GOOD.replace("\"bytes_per_token\": 2.0", "\"bytes_per_token\": 0"));
    assertTrue(message.contains("points[0].bytes_per_token is 0; must be a number"), message);
    message = refused(GOOD.replace("\"bytes_per_token\": 2.5", "\"bytes_per_token\": 3.5"));
    assertTrue(
        message.contains("points[1].bytes_per_token is 3.5; must be bytes ÷ tokens"), message);
  }
}
