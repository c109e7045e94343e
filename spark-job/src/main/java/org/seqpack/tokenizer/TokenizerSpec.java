package org.seqpack.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;

/**
 * A Hugging Face tokenizer as the driver validated it: the bytes executors load, the special tokens
 * of the original file, and the SHA-256 of the original {@code tokenizer.json}.
 *
 * <p>Unless {@code specialTokensInText} is set, the loadable bytes are a copy of the original with
 * every {@code special: true} entry removed from {@code added_tokens}, so literal strings such as
 * {@code <|endoftext|>} inside document text encode as ordinary text (Hugging Face's {@code
 * split_special_tokens}); special ids then come only from the job's own sentinels.
 */
public final class TokenizerSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] loadableJson;
  private final String sha256;
  private final Map<String, Integer> specialTokens;
  private final TokenizerConfig config;
  private final boolean specialTokensInText;

  private TokenizerSpec(
      byte[] loadableJson,
      String sha256,
      Map<String, Integer> specialTokens,
      TokenizerConfig config,
      boolean specialTokensInText) {
    this.loadableJson = loadableJson;
    this.sha256 = sha256;
    this.specialTokens = specialTokens;
    this.config = config;
    this.specialTokensInText = specialTokensInText;
  }

  /**
   * Parses a {@code tokenizer.json} and its optional {@code tokenizer_config.json}.
   *
   * @param source where the bytes came from, for error messages
   * @param tokenizerJson the bytes of {@code tokenizer.json}
   * @param tokenizerConfigJson the bytes of {@code tokenizer_config.json}, or null
   * @param specialTokensInText keep special added tokens matchable inside text
   */
  public static TokenizerSpec parse(
      String source,
      byte[] tokenizerJson,
      byte[] tokenizerConfigJson,
      boolean specialTokensInText) {
    ObjectNode root = parseObject(source, tokenizerJson);
    if (!root.has("model") || !root.get("model").isObject()) {
      throw new SeqpackException(
          "tokenizer '"
              + source
              + "' has no 'model' object; must be a Hugging Face tokenizer.json");
    }
    Map<String, Integer> special = new LinkedHashMap<>();
    ArrayNode kept = root.arrayNode();
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (JsonNode token : added) {
        boolean isSpecial = token.has("special") && token.get("special").asBoolean();
        if (isSpecial) {
          special.put(token.get("content").asText(), token.get("id").asInt());
        }
        if (!isSpecial || specialTokensInText) {
          kept.add(token);
        }
      }
    }
    byte[] loadable = tokenizerJson;
    if (!specialTokensInText && !special.isEmpty()) {
      root.set("added_tokens", kept);
      keepIdsOfRemovedTokens(source, (ObjectNode) root.get("model"), special);
      loadable = Json.compactBytes(root);
    }
    TokenizerConfig config =
        tokenizerConfigJson == null
            ? TokenizerConfig.EMPTY
            : TokenizerConfig.parse(source, parseObject(source, tokenizerConfigJson));
    // The SHA-256 is of the original bytes, which identify the tokenizer; the loadable copy's
    // serialisation is an implementation detail.
    return new TokenizerSpec(
        loadable,
        sha256(tokenizerJson),
        Collections.unmodifiableMap(special),
        config,
        specialTokensInText);
  }

  /**
   * The native tokenizer numbers added tokens it does not find in the model's vocabulary from the
   * vocabulary's size up, ignoring their ids in the file: removing special entries would shift the
   * ids of the added tokens kept after them (Qwen3's {@code <think>} onto {@code <|endoftext|>}'s
   * id). Keeping each removed token in the model vocabulary under its id keeps every id in place;
   * BPE merges never produce such a token from text.
   */
  private static void keepIdsOfRemovedTokens(
      String source, ObjectNode model, Map<String, Integer> removed) {
    JsonNode vocab = model.get("vocab");
    if (vocab != null && vocab.isObject()) {
      ObjectNode entries = (ObjectNode) vocab;
      removed.forEach(
          (content, id) -> {
            if (!entries.has(content)) {
              entries.put(content, id);
            }
          });
      return;
    }
    if (vocab != null && vocab.isArray()) {
      ArrayNode pieces = (ArrayNode) vocab;
      for (Map.Entry<String, Integer> token : removed.entrySet()) {
        int id = token.getValue();
        boolean inPlace =
            id < pieces.size() && token.getKey().equals(pieces.get(id).get(0).asText());
        if (!inPlace) {
          throw new SeqpackException(
              "tokenizer '"
                  + source
                  + "' has special token '"
                  + token.getKey()
                  + "' (id "
                  + id
                  + ") outside its Unigram vocabulary; literal special strings cannot be made"
                  + " ordinary text for it: use --allow-special-tokens-in-text");
        }
      }
      return;
    }
    throw new SeqpackException(
        "tokenizer '"
            + source
            + "' has a model without a vocabulary; must be BPE, WordPiece, WordLevel or Unigram");
  }

  private static ObjectNode parseObject(String source, byte[] json) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw new SeqpackException(
          "tokenizer file '" + source + "' is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isObject()) {
      throw new SeqpackException("tokenizer file '" + source + "' is not a JSON object");
    }
    return (ObjectNode) root;
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The bytes executors load into the native tokenizer. */
  public byte[] loadableJson() {
    return loadableJson;
  }

  /** SHA-256 (hex) of the original {@code tokenizer.json}. */
  public String sha256() {
    return sha256;
  }

  /** Special added tokens of the original file, content to id. */
  public Map<String, Integer> specialTokens() {
    return specialTokens;
  }

  public TokenizerConfig config() {
    return config;
  }

  public boolean specialTokensInText() {
    return specialTokensInText;
  }
}
