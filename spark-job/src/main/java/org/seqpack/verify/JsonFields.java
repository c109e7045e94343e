package org.seqpack.verify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/** Typed reads of one field of a JSON object; null when it is absent or of another type. */
final class JsonFields {
  private JsonFields() {}

  /** An integral number; null also when it has a fraction or does not fit a long. */
  static Long number(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    try {
      return value.getAsBigDecimal().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }

  static String string(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonPrimitive() ? null : value.getAsString();
  }

  static JsonObject object(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonObject() ? null : value.getAsJsonObject();
  }

  static JsonArray array(JsonObject json, String key) {
    JsonElement value = json.get(key);
    return value == null || !value.isJsonArray() ? null : value.getAsJsonArray();
  }

  /** An object's fields as strings, sorted by key; a nested value as its JSON text. */
  static Map<String, String> stringMap(JsonObject json, String key) {
    JsonObject object = object(json, key);
    if (object == null) {
      return null;
    }
    Map<String, String> map = new TreeMap<>();
    for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
      map.put(
          entry.getKey(),
          entry.getValue().isJsonPrimitive()
              ? entry.getValue().getAsString()
              : entry.getValue().toString());
    }
    return map;
  }
}
