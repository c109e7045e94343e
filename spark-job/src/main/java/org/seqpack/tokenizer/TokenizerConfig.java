package org.seqpack.tokenizer;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.Serializable;
import java.util.Optional;

/** The fields of {@code tokenizer_config.json} the job uses. Token strings, not ids. */
public record TokenizerConfig(
    Optional<String> eosToken,
    Optional<String> bosToken,
    Optional<String> padToken,
    boolean addBosToken,
    Optional<String> chatTemplate)
    implements Serializable {

  public static final TokenizerConfig EMPTY =
      new TokenizerConfig(Optional.empty(), Optional.empty(), Optional.empty(), false, Optional.empty());

  static TokenizerConfig parse(String source, JsonObject json) {
    return new TokenizerConfig(
        token(json, "eos_token"),
        token(json, "bos_token"),
        token(json, "pad_token"),
        json.has("add_bos_token")
            && !json.get("add_bos_token").isJsonNull()
            && json.get("add_bos_token").getAsBoolean(),
        chatTemplate(json.get("chat_template")));
  }

  // A token is either a string or an AddedToken object {"content": ...}; null means absent.
  private static Optional<String> token(JsonObject json, String key) {
    JsonElement value = json.get(key);
    if (value == null || value.isJsonNull()) {
      return Optional.empty();
    }
    if (value.isJsonObject() && value.getAsJsonObject().has("content")) {
      return Optional.of(value.getAsJsonObject().get("content").getAsString());
    }
    return value.isJsonPrimitive() ? Optional.of(value.getAsString()) : Optional.empty();
  }

  // chat_template is a string, or a list of {name, template} with "default" first choice.
  private static Optional<String> chatTemplate(JsonElement value) {
    if (value == null || value.isJsonNull()) {
      return Optional.empty();
    }
    if (value.isJsonPrimitive()) {
      return Optional.of(value.getAsString());
    }
    if (value.isJsonArray()) {
      for (JsonElement named : value.getAsJsonArray()) {
        JsonObject object = named.getAsJsonObject();
        if ("default".equals(object.get("name").getAsString())) {
          return Optional.of(object.get("template").getAsString());
        }
      }
    }
    return Optional.empty();
  }
}
