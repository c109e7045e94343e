package org.seqpack.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.seqpack.core.Json;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SeqpackException;

/**
 * Resolves the BOS, EOS and padding ids from the options (a token string, an id, empty for the
 * tokenizer_config.json default, or "none") against the tokenizer's vocabulary.
 */
public final class SentinelResolver {
  private final TokenizerSpec spec;
  private final JsonNode root;
  private final int vocabularySize;

  public SentinelResolver(TokenizerSpec spec) {
    this.spec = spec;
    try {
      // TokenizerSpec parsed or wrote these bytes already.
      this.root = Json.parse(spec.loadableJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.vocabularySize = vocabularySize(root, spec);
  }

  /**
   * @param eosOption value of {@code eosKey}; empty means eos_token of tokenizer_config.json
   * @param bosOption value of {@code bosKey}; empty means bos_token when add_bos_token is true
   * @param padOption value of {@code padKey}; empty means pad_token, else the EOS
   */
  public Sentinels resolve(
      String eosKey,
      String eosOption,
      String bosKey,
      String bosOption,
      String padKey,
      String padOption) {
    TokenizerConfig config = spec.config();
    int eos =
        resolve(eosKey, eosOption, config.eosToken(), "eos_token")
            .orElseThrow(
                () ->
                    new SeqpackException(
                        "'"
                            + eosKey
                            + "' is not set and tokenizer_config.json has no eos_token; must name"
                            + " the end-of-document token, or be 'none'"));
    int bos =
        resolve(
                bosKey,
                bosOption,
                config.addBosToken() ? config.bosToken() : Optional.of("none"),
                "bos_token")
            .orElse(Sentinels.NONE);
    int pad = resolve(padKey, padOption, config.padToken(), "pad_token").orElse(eos);
    if (pad == Sentinels.NONE) {
      throw new SeqpackException(
          "'"
              + padKey
              + "' is not set, tokenizer_config.json has no pad_token and no EOS is appended;"
              + " must name the padding token");
    }
    return new Sentinels(bos, eos, pad);
  }

  /**
   * As {@link #resolve}, with the defaults of llm.c's data scripts: one delimiter token before each
   * document — bos_token when tokenizer_config.json has one (Llama 3's {@code <|begin_of_text|>}),
   * else eos_token (GPT-2's {@code <|endoftext|>}) — and nothing after it. Options that are set
   * win; padding (unused by shards) defaults to the delimiter.
   */
  public Sentinels resolveDelimiterFirst(
      String eosKey,
      String eosOption,
      String bosKey,
      String bosOption,
      String padKey,
      String padOption) {
    TokenizerConfig config = spec.config();
    String bos = bosOption == null ? "" : bosOption.trim();
    if (bos.isEmpty()) {
      bos =
          config
              .bosToken()
              .or(config::eosToken)
              .orElseThrow(
                  () ->
                      new SeqpackException(
                          "'"
                              + bosKey
                              + "' is not set and tokenizer_config.json has neither bos_token nor"
                              + " eos_token; llm.c shards need a token before each document:"
                              + " name one"));
    }
    String eos = eosOption == null || eosOption.isBlank() ? "none" : eosOption;
    String pad = padOption == null || padOption.isBlank() ? bos : padOption;
    return resolve(eosKey, eos, bosKey, bos, padKey, pad);
  }

  /** Empty when neither the option nor the config names a token; NONE for "none". */
  private Optional<Integer> resolve(
      String key, String option, Optional<String> fromConfig, String configField) {
    String value = option == null ? "" : option.trim();
    if (value.isEmpty()) {
      if (fromConfig.isEmpty()) {
        return Optional.empty();
      }
      value = fromConfig.get();
      key = "tokenizer_config.json " + configField;
    }
    if (value.toLowerCase(Locale.ROOT).equals("none")) {
      return Optional.of(Sentinels.NONE);
    }
    if (value.chars().allMatch(Character::isDigit)) {
      int id = Integer.parseInt(value);
      if (id >= vocabularySize) {
        throw new SeqpackException(
            "'"
                + key
                + "' is "
                + id
                + "; must be a token id below the vocabulary size "
                + vocabularySize);
      }
      return Optional.of(id);
    }
    OptionalInt id = tokenId(value);
    if (id.isEmpty()) {
      throw new SeqpackException(
          "'"
              + key
              + "' is '"
              + value
              + "'; must be a token of the tokenizer's vocabulary or an id");
    }
    return Optional.of(id.getAsInt());
  }

  /** The id of a single token string: special and added tokens first, then the model vocabulary. */
  public OptionalInt tokenId(String token) {
    Integer special = spec.specialTokens().get(token);
    if (special != null) {
      return OptionalInt.of(special);
    }
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (JsonNode object : added) {
        if (token.equals(object.get("content").asText())) {
          return OptionalInt.of(object.get("id").asInt());
        }
      }
    }
    JsonNode vocab = root.get("model").get("vocab");
    if (vocab != null && vocab.isObject() && vocab.has(token)) {
      return OptionalInt.of(vocab.get(token).asInt());
    }
    if (vocab != null && vocab.isArray()) {
      // Unigram: a list of [piece, score], the id is the index.
      int index = 0;
      for (JsonNode entry : vocab) {
        if (token.equals(entry.get(0).asText())) {
          return OptionalInt.of(index);
        }
        index++;
      }
    }
    return OptionalInt.empty();
  }

  public int vocabularySize() {
    return vocabularySize;
  }

  private static int vocabularySize(JsonNode root, TokenizerSpec spec) {
    int max = -1;
    JsonNode vocab = root.get("model").get("vocab");
    if (vocab != null && vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asInt());
      }
    } else if (vocab != null && vocab.isArray()) {
      max = vocab.size() - 1;
    }
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (JsonNode element : added) {
        max = Math.max(max, element.get("id").asInt());
      }
    }
    for (int id : spec.specialTokens().values()) {
      max = Math.max(max, id);
    }
    return max + 1;
  }
}
