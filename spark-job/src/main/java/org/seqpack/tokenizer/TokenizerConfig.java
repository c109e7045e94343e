package org.seqpack.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Optional;

/**
 * The fields of {@code tokenizer_config.json} the job uses, as token strings (not ids).
 * Serializable (it travels in the broadcast tokenizer), so absent values are stored as null.
 */
public final class TokenizerConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final TokenizerConfig EMPTY = new TokenizerConfig(null, null, null, false, null);

  private final String eosToken;
  private final String bosToken;
  private final String padToken;
  private final boolean addBosToken;
  private final String chatTemplate;

  public TokenizerConfig(
      String eosToken, String bosToken, String padToken, boolean addBosToken, String chatTemplate) {
    this.eosToken = eosToken;
    this.bosToken = bosToken;
    this.padToken = padToken;
    this.addBosToken = addBosToken;
    this.chatTemplate = chatTemplate;
  }

  public Optional<String> eosToken() {
    return Optional.ofNullable(eosToken);
  }

  public Optional<String> bosToken() {
    return Optional.ofNullable(bosToken);
  }

  public Optional<String> padToken() {
    return Optional.ofNullable(padToken);
  }

  public boolean addBosToken() {
    return addBosToken;
  }

  /** The Jinja chat template, if the tokenizer has one. */
  public Optional<String> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  static TokenizerConfig parse(String source, JsonNode json) {
    return new TokenizerConfig(
        token(json, "eos_token").orElse(null),
        token(json, "bos_token").orElse(null),
        token(json, "pad_token").orElse(null),
        json.has("add_bos_token")
            && !json.get("add_bos_token").isNull()
            && json.get("add_bos_token").asBoolean(),
        chatTemplate(json.get("chat_template")).orElse(null));
  }

  // A token is either a string or an AddedToken object {"content": ...}; null means absent.
  private static Optional<String> token(JsonNode json, String key) {
    JsonNode value = json.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isObject() && value.has("content")) {
      return Optional.of(value.get("content").asText());
    }
    return value.isValueNode() ? Optional.of(value.asText()) : Optional.empty();
  }

  // chat_template is a string, or a list of {name, template} with "default" first choice.
  private static Optional<String> chatTemplate(JsonNode value) {
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isValueNode()) {
      return Optional.of(value.asText());
    }
    if (value.isArray()) {
      for (JsonNode named : value) {
        if ("default".equals(named.get("name").asText())) {
          return Optional.of(named.get("template").asText());
        }
      }
    }
    return Optional.empty();
  }
}
