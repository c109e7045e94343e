package org.seqpack.tokenizer.bpe;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java encoder for the byte-level BPE family of Hugging Face {@code tokenizer.json} (GPT-2,
 * Llama 3, Qwen2/3 and the many models that share their shape), giving the ids the Rust core gives:
 * added tokens found first ({@link AddedTokens}), then the pre-tokenizer's pattern ({@link
 * PreTokenizer}, written out by hand), then rank-ordered merges over bytes ({@link BpeModel}).
 * Which files it takes is decided from their structure ({@link #support}), never from a name.
 *
 * <p>Some texts it leaves to the reference engine rather than guess ({@link #handles}): text with a
 * code point this JVM's Unicode tables do not assign (Java 17 has Unicode 13; the reference's
 * Oniguruma is newer), a lone surrogate, and, for an NFC normalizer, text that NFC would change
 * (the reference's normalization tables are Unicode 9).
 */
public final class JavaBpeTokenizer {
  private final BpeModel model;
  private final PreTokenizer preTokenizer;
  private final AddedTokens rawAdded;
  private final AddedTokens normalizedAdded;
  private final boolean nfc;

  private JavaBpeTokenizer(
      BpeModel model,
      PreTokenizer preTokenizer,
      AddedTokens rawAdded,
      AddedTokens normalizedAdded,
      boolean nfc) {
    this.model = model;
    this.preTokenizer = preTokenizer;
    this.rawAdded = rawAdded;
    this.normalizedAdded = normalizedAdded;
    this.nfc = nfc;
  }

  /** Whether the Java engine can encode a tokenizer, and if not, why. */
  public record Support(boolean supported, String reason) {
    static Support no(String reason) {
      return new Support(false, reason);
    }
  }

  /** Whether {@code root} (a tokenizer.json) is in the family this engine encodes exactly. */
  public static Support support(JsonNode root) {
    JsonNode model = root.path("model");
    if (!"BPE".equals(model.path("type").asText())) {
      return Support.no("model.type is '" + model.path("type").asText() + "'; not BPE");
    }
    if (model.path("byte_fallback").asBoolean(false)) {
      return Support.no("model.byte_fallback is true (SentencePiece-style BPE)");
    }
    JsonNode dropout = model.get("dropout");
    if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0) {
      return Support.no("model.dropout is " + dropout + "; encoding would be random");
    }
    for (String affix : List.of("continuing_subword_prefix", "end_of_word_suffix")) {
      JsonNode value = model.get(affix);
      if (value != null && !value.isNull() && !value.asText().isEmpty()) {
        return Support.no("model." + affix + " is '" + value.asText() + "'");
      }
    }
    if (!model.path("vocab").isObject() || !model.path("merges").isArray()) {
      return Support.no("model has no vocab object or merges list");
    }
    Boolean nfc = nfc(root.get("normalizer"));
    if (nfc == null) {
      return Support.no("normalizer " + compact(root.get("normalizer")) + " is not none or NFC");
    }
    if (preTokenizer(root.get("pre_tokenizer")) == null) {
      return Support.no(
          "pre_tokenizer "
              + compact(root.get("pre_tokenizer"))
              + " is not ByteLevel with its regex, nor a Split of a known pattern followed by"
              + " ByteLevel");
    }
    return new Support(true, "byte-level BPE with a known pre-tokenizer pattern");
  }

  /**
   * The encoder of {@code root}.
   *
   * @throws IllegalArgumentException when {@link #support} says no, or the vocabulary and merges do
   *     not fit together
   */
  public static JavaBpeTokenizer load(JsonNode root) {
    Support support = support(root);
    if (!support.supported()) {
      throw new IllegalArgumentException(support.reason());
    }
    JsonNode model = root.get("model");
    Map<String, Integer> vocab = new HashMap<>(model.get("vocab").size() * 2);
    model.get("vocab").properties().forEach(e -> vocab.put(e.getKey(), e.getValue().asInt()));
    JsonNode mergeList = model.get("merges");
    String[][] merges = new String[mergeList.size()][];
    for (int i = 0; i < merges.length; i++) {
      JsonNode merge = mergeList.get(i);
      if (merge.isArray()) {
        merges[i] = new String[] {merge.get(0).asText(), merge.get(1).asText()};
      } else {
        String text = merge.asText();
        int space = text.indexOf(' ');
        if (space < 0) {
          throw new IllegalArgumentException("merge " + i + " '" + text + "' has no space");
        }
        merges[i] = new String[] {text.substring(0, space), text.substring(space + 1)};
      }
    }
    boolean nfc = nfc(root.get("normalizer"));
    List<AddedTokens.Token> raw = new ArrayList<>();
    List<AddedTokens.Token> normalized = new ArrayList<>();
    JsonNode added = root.get("added_tokens");
    if (added != null && added.isArray()) {
      for (JsonNode token : added) {
        String content = token.path("content").asText();
        boolean isNormalized =
            token.path("normalized").asBoolean(!token.path("special").asBoolean());
        AddedTokens.Token parsed =
            new AddedTokens.Token(
                isNormalized && nfc ? Normalizer.normalize(content, Normalizer.Form.NFC) : content,
                token.path("id").asInt(),
                token.path("single_word").asBoolean(),
                token.path("lstrip").asBoolean(),
                token.path("rstrip").asBoolean());
        (isNormalized ? normalized : raw).add(parsed);
      }
    }
    return new JavaBpeTokenizer(
        new BpeModel(vocab, merges, model.path("ignore_merges").asBoolean(false)),
        preTokenizer(root.get("pre_tokenizer")),
        new AddedTokens(raw),
        new AddedTokens(normalized),
        nfc);
  }

  /** True for none or NFC (alone or in a sequence of NFC), false never, null for anything else. */
  private static Boolean nfc(JsonNode normalizer) {
    if (normalizer == null || normalizer.isNull()) {
      return false;
    }
    String type = normalizer.path("type").asText();
    if (type.equals("NFC")) {
      return true;
    }
    if (type.equals("Sequence") && normalizer.path("normalizers").isArray()) {
      for (JsonNode inner : normalizer.get("normalizers")) {
        if (!inner.path("type").asText().equals("NFC")) {
          return null;
        }
      }
      return normalizer.get("normalizers").size() > 0;
    }
    return null;
  }

  /**
   * Whether the tokenizer's pre-tokenizer is one of the byte-level patterns, which always start a
   * pre-token where {@code BoundedTextEncoder} cuts (before the last space of a run, after a letter
   * or digit run); merges never cross a pre-token boundary, so such cuts keep one call's ids. For
   * any other tokenizer long texts are encoded with agreed seams ({@code SeamedTextEncoder}).
   */
  public static boolean splitsWhereTextIsCut(JsonNode root) {
    return preTokenizer(root.get("pre_tokenizer")) != null;
  }

  private static PreTokenizer preTokenizer(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    String type = node.path("type").asText();
    // ByteLevel without its regex, alone, leaves the whole text one word: not taken (long texts
    // then need seams, which take DJL's offsets).
    if (type.equals("ByteLevel")
        && !node.path("add_prefix_space").asBoolean(false)
        && node.path("use_regex").asBoolean(true)) {
      return PreTokenizer.forPattern(PreTokenizer.GPT2);
    }
    JsonNode steps = node.path("pretokenizers");
    if (type.equals("Sequence") && steps.isArray() && steps.size() == 2) {
      JsonNode split = steps.get(0);
      JsonNode byteLevel = steps.get(1);
      boolean plainByteLevel =
          byteLevel.path("type").asText().equals("ByteLevel")
              && !byteLevel.path("add_prefix_space").asBoolean(false)
              && !byteLevel.path("use_regex").asBoolean(true);
      if (plainByteLevel
          && split.path("type").asText().equals("Split")
          && split.path("behavior").asText().equals("Isolated")
          && !split.path("invert").asBoolean(false)
          && split.path("pattern").path("Regex").isTextual()) {
        return PreTokenizer.forPattern(split.path("pattern").path("Regex").asText());
      }
    }
    return null;
  }

  private static String compact(JsonNode node) {
    String text = node == null ? "null" : node.toString();
    return text.length() > 160 ? text.substring(0, 160) + "…" : text;
  }

  /**
   * Whether this engine's ids for {@code text} are the reference's by construction; when not, the
   * caller encodes it with the reference engine.
   */
  public boolean handles(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (CharClasses.unsure(cp)) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return !nfc || Normalizer.isNormalized(text, Normalizer.Form.NFC);
  }

  /** The ids of {@code text}, with no special tokens of the model's own; {@link #handles} it. */
  public int[] encode(String text) {
    Ids ids = new Ids(Math.max(16, text.length() / 3));
    for (AddedTokens.Piece piece : rawAdded.split(text, 0, text.length())) {
      if (piece.id() >= 0) {
        ids.add(piece.id());
        continue;
      }
      // The text is NFC already (see handles): normalizing changes nothing.
      for (AddedTokens.Piece inner : normalizedAdded.split(text, piece.start(), piece.end())) {
        if (inner.id() >= 0) {
          ids.add(inner.id());
        } else {
          preTokenizer.split(
              text,
              inner.start(),
              inner.end(),
              (start, end) -> ids.addAll(model.encode(text.substring(start, end))));
        }
      }
    }
    return ids.toArray();
  }

  /** A growable int array. */
  private static final class Ids {
    private int[] values;
    private int size;

    Ids(int capacity) {
      values = new int[capacity];
    }

    void add(int id) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = id;
    }

    void addAll(int[] ids) {
      if (size + ids.length > values.length) {
        values = Arrays.copyOf(values, Math.max(values.length * 2, size + ids.length));
      }
      System.arraycopy(ids, 0, values, size, ids.length);
      size += ids.length;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
