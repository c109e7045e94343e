package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonTest {

  // The footer's seqpack.config was Gson's JsonElement.toString(), which is not HTML-safe (only a
  // Gson instance's toJson escapes < > & = '): those stay raw; U+2028 and U+2029 are escaped.
  static Stream<Arguments> compactStrings() {
    return Stream.of(
        // value, expected compact JSON of {"k": value}
        Arguments.of("plain", "{\"k\":\"plain\"}"),
        Arguments.of("<|endoftext|>", "{\"k\":\"<|endoftext|>\"}"),
        Arguments.of("a&b=c's>d", "{\"k\":\"a&b=c's>d\"}"),
        Arguments.of("<s> & </s>='x'", "{\"k\":\"<s> & </s>='x'\"}"),
        Arguments.of("q\"b\\s/", "{\"k\":\"q\\\"b\\\\s/\"}"),
        Arguments.of("t\tn\nr\rb\bf\f", "{\"k\":\"t\\tn\\nr\\rb\\bf\\f\"}"),
        Arguments.of("\u0000\u0001\u001b\u001f", "{\"k\":\"\\u0000\\u0001\\u001b\\u001f\"}"),
        Arguments.of("\u2028\u2029", "{\"k\":\"\\u2028\\u2029\"}"),
        Arguments.of(
            "\u007f h\u00e9llo \u4e16 \ud83d\udc4b",
            "{\"k\":\"\u007f h\u00e9llo \u4e16 \ud83d\udc4b\"}"),
        Arguments.of("", "{\"k\":\"\"}"),
        Arguments.of(null, "{\"k\":null}"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("compactStrings")
  void compactWritesGsonsBytes(String value, String expected) {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("k", value);
    assertEquals(expected, Json.compact(Json.tree(map)));
  }

  @Test
  void compactKeepsInsertionOrder() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("pack.seq-len", "2048");
    map.put("job.task", "pretrain");
    map.put("input.format", "jsonl");
    assertEquals(
        "{\"pack.seq-len\":\"2048\",\"job.task\":\"pretrain\",\"input.format\":\"jsonl\"}",
        Json.compact(Json.tree(map)));
  }

  @Test
  void prettyLaysOutAsGson() {
    ObjectNode root = Json.object();
    root.put("x", 0.9973);
    root.putObject("empty");
    root.putArray("none");
    root.putArray("list").add("s").add(1);
    root.put("small", 1e-5);
    root.put("long", 3L);
    root.putObject("nested").put("q", 1);
    assertEquals(
        """
        {
          "x": 0.9973,
          "empty": {},
          "none": [],
          "list": [
            "s",
            1
          ],
          "small": 1.0E-5,
          "long": 3,
          "nested": {
            "q": 1
          }
        }""",
        Json.pretty(root));
  }

  @Test
  void parseRejectsTrailingContentAndDeepNesting() {
    assertThrows(IOException.class, () -> Json.parse("{\"a\":1} {\"b\":2}"));
    assertThrows(IOException.class, () -> Json.parse("[".repeat(1000) + "]".repeat(1000)));
  }
}
