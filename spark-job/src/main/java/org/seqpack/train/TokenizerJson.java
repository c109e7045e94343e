package org.seqpack.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A trained BPE as Hugging Face files: {@code tokenizer.json} (a byte-level BPE of the shape GPT-2
 * and Llama 3 have, which Hugging Face {@code tokenizers}, DJL and this job's Java engine all load)
 * and {@code tokenizer_config.json} (the first special token as EOS).
 */
public final class TokenizerJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private TokenizerJson() {}

  /** The {@code tokenizer.json} of {@code bpe} with {@code pattern}'s pre-tokenizer. */
  public static ObjectNode tokenizer(TrainedBpe bpe, PreTokenPattern pattern) {
    return tokenizer(bpe, pattern, List.of());
  }

  /**
   * The same with {@code addedTokens}: non-special added tokens (matched in text before the
   * pre-tokenizer, as Hugging Face's {@code add_tokens} makes them), ids after the vocabulary.
   */
  public static ObjectNode tokenizer(
      TrainedBpe bpe, PreTokenPattern pattern, List<String> addedTokens) {
    ObjectNode root = NODES.objectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    List<String> tokens = bpe.tokens();
    for (int id = 0; id < bpe.specialTokens(); id++) {
      added.add(addedToken(id, tokens.get(id), true));
    }
    for (int i = 0; i < addedTokens.size(); i++) {
      added.add(addedToken(bpe.vocabSize() + i, addedTokens.get(i), false));
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", pattern.json(NODES));
    root.putNull("post_processor");
    ObjectNode decoder = PreTokenPattern.byteLevel(NODES, true);
    root.set("decoder", decoder);
    ObjectNode model = root.putObject("model");
    model.put("type", "BPE");
    model.putNull("dropout");
    model.putNull("unk_token");
    model.putNull("continuing_subword_prefix");
    model.putNull("end_of_word_suffix");
    model.put("fuse_unk", false);
    model.put("byte_fallback", false);
    model.put("ignore_merges", false);
    ObjectNode vocab = model.putObject("vocab");
    for (int id = 0; id < tokens.size(); id++) {
      vocab.put(tokens.get(id), id);
    }
    ArrayNode merges = model.putArray("merges");
    for (int[] merge : bpe.merges()) {
      merges.addArray().add(tokens.get(merge[0])).add(tokens.get(merge[1]));
    }
    return root;
  }

  /** The {@code tokenizer_config.json}: the special tokens, the first one as EOS, no BOS. */
  public static ObjectNode config(TrainedBpe bpe) {
    return config(bpe, List.of());
  }

  /** The same with {@code addedTokens} after the vocabulary. */
  public static ObjectNode config(TrainedBpe bpe, List<String> addedTokens) {
    ObjectNode root = NODES.objectNode();
    root.put("tokenizer_class", "PreTrainedTokenizerFast");
    root.put("add_bos_token", false);
    root.put("add_eos_token", false);
    root.put("clean_up_tokenization_spaces", false);
    root.put("model_max_length", 1_000_000_000_000_000_000L);
    ObjectNode decoder = root.putObject("added_tokens_decoder");
    for (int id = 0; id < bpe.specialTokens(); id++) {
      ObjectNode token = addedToken(id, bpe.tokens().get(id), true);
      token.remove("id");
      decoder.set(String.valueOf(id), token);
    }
    for (int i = 0; i < addedTokens.size(); i++) {
      int id = bpe.vocabSize() + i;
      ObjectNode token = addedToken(id, addedTokens.get(i), false);
      token.remove("id");
      decoder.set(String.valueOf(id), token);
    }
    if (bpe.specialTokens() > 0) {
      root.put("eos_token", bpe.tokens().get(0));
    }
    return root;
  }

  private static ObjectNode addedToken(int id, String content, boolean special) {
    ObjectNode token = NODES.objectNode();
    token.put("id", id);
    token.put("content", content);
    token.put("single_word", false);
    token.put("lstrip", false);
    token.put("rstrip", false);
    token.put("normalized", false);
    token.put("special", special);
    return token;
  }
}
