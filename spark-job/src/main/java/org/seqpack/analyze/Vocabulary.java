package org.seqpack.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;

/**
 * What the analysis needs of a tokenizer's vocabulary, read from its {@code tokenizer.json}: the
 * size, each id's token string (for the top tokens), the unknown-token id, and the byte-fallback
 * ids ({@code <0xNN>} pieces of a model with {@code byte_fallback: true}, as Llama 2's).
 */
public final class Vocabulary implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

  private final String name;
  private final String[] tokens;
  private final int unknownId;
  private final BitSet byteFallback;
  private final boolean hasByteFallback;

  private Vocabulary(
      String name, String[] tokens, int unknownId, BitSet byteFallback, boolean hasByteFallback) {
    this.name = name;
    this.tokens = tokens;
    this.unknownId = unknownId;
    this.byteFallback = byteFallback;
    this.hasByteFallback = hasByteFallback;
  }

  /** Reads the vocabulary of {@code tokenizerJson}; {@code name} labels it in the report. */
  public static Vocabulary parse(String name, byte[] tokenizerJson) {
    JsonNode root;
    try {
      root = Json.parse(tokenizerJson);
    } catch (IOException e) {
      throw new SeqpackException("tokenizer '" + name + "' is not valid JSON: " + e.getMessage());
    }
    JsonNode model = root.path("model");
    JsonNode vocab = model.get("vocab");
    int max = -1;
    if (vocab != null && vocab.isObject()) {
      for (JsonNode id : vocab) {
        max = Math.max(max, id.asInt());
      }
    } else if (vocab != null && vocab.isArray()) {
      max = vocab.size() - 1;
    } else {
      throw new SeqpackException(
          "tokenizer '" + name + "' has a model without a vocabulary; must be a tokenizer.json");
    }
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (JsonNode token : added) {
        max = Math.max(max, token.path("id").asInt());
      }
    }
    String[] tokens = new String[max + 1];
    if (vocab.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = vocab.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> entry = it.next();
        tokens[entry.getValue().asInt()] = entry.getKey();
      }
    } else {
      for (int i = 0; i < vocab.size(); i++) {
        tokens[i] = vocab.get(i).get(0).asText();
      }
    }
    if (added != null && added.isArray()) {
      for (JsonNode token : added) {
        tokens[token.path("id").asInt()] = token.path("content").asText();
      }
    }
    int unknownId = -1;
    JsonNode unk = model.get("unk_token");
    if (unk != null && unk.isTextual()) {
      for (int i = 0; i < tokens.length; i++) {
        if (unk.asText().equals(tokens[i])) {
          unknownId = i;
          break;
        }
      }
    } else if (model.has("unk_id") && model.get("unk_id").isInt()) {
      unknownId = model.get("unk_id").asInt();
    }
    boolean fallback = model.path("byte_fallback").asBoolean(false);
    BitSet bytes = new BitSet();
    if (fallback) {
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i] != null && BYTE_PIECE.matcher(tokens[i]).matches()) {
          bytes.set(i);
        }
      }
    }
    return new Vocabulary(name, tokens, unknownId, bytes, fallback);
  }

  public String name() {
    return name;
  }

  /** Ids 0 .. size - 1 (the highest id in the file plus one). */
  public int size() {
    return tokens.length;
  }

  /** The token string of {@code id} as the vocabulary spells it, or null for an unused id. */
  public String token(int id) {
    return id >= 0 && id < tokens.length ? tokens[id] : null;
  }

  /** The unknown token's id, or -1 when the model has none (byte-level BPE never needs one). */
  public int unknownId() {
    return unknownId;
  }

  public boolean hasByteFallback() {
    return hasByteFallback;
  }

  public boolean isByteFallback(int id) {
    return id >= 0 && byteFallback.get(id);
  }
}
