package org.seqpack.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads of one field of a JSON object; null when it is absent or of another type. */
final class JsonFields {
  private JsonFields() {}

  /** An integral number; null also when it has a fraction or does not fit a long. */
  static Long number(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || !value.isNumber()) {
      return null;
    }
    try {
      return value.decimalValue().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** A string, number or boolean as text. */
  static String string(JsonNode json, String key) {
    JsonNode value = json.get(key);
    return isScalar(value) ? value.asText() : null;
  }

  static JsonNode object(JsonNode json, String key) {
    JsonNode value = json.get(key);
    return value != null && value.isObject() ? value : null;
  }

  static JsonNode array(JsonNode json, String key) {
    JsonNode value = json.get(key);
    return value != null && value.isArray() ? value : null;
  }

  /** An object's fields as strings, sorted by key; a nested value as its JSON text. */
  static Map<String, String> stringMap(JsonNode json, String key) {
    JsonNode object = object(json, key);
    if (object == null) {
      return null;
    }
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      JsonNode value = entry.getValue();
      map.put(entry.getKey(), value.isContainerNode() ? value.toString() : value.asText());
    }
    return map;
  }

  /** A string, number or boolean (not null, not an object or array). */
  static boolean isScalar(JsonNode value) {
    return value != null && value.isValueNode() && !value.isNull();
  }
}
