package org.seqpack.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.seqpack.tokenizer.bpe.PreTokenizer;

/**
 * The pre-tokenizer patterns a tokenizer can be trained with: those the Java engine scans by hand,
 * so the words counted for training are the words every engine splits the text into.
 */
public enum PreTokenPattern {
  GPT2(PreTokenizer.GPT2),
  LLAMA3(PreTokenizer.LLAMA3),
  QWEN(PreTokenizer.QWEN);

  private final String regex;

  PreTokenPattern(String regex) {
    this.regex = regex;
  }

  /** The regular expression, as tokenizer.json writes it. */
  public String regex() {
    return regex;
  }

  /** The name on the command line: {@code gpt2}, {@code llama3}, {@code qwen}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** A new scanner of this pattern (scanners are cheap and not shared between threads). */
  public PreTokenizer scanner() {
    return PreTokenizer.forPattern(regex);
  }

  /**
   * @throws IllegalArgumentException naming the known patterns when {@code name} is none of them
   */
  public static PreTokenPattern of(String name) {
    for (PreTokenPattern pattern : values()) {
      if (pattern.cliName().equals(name)) {
        return pattern;
      }
    }
    throw new IllegalArgumentException(
        "'--pattern' is '"
            + name
            + "'; must be one of "
            + Arrays.stream(values())
                .map(PreTokenPattern::cliName)
                .collect(Collectors.joining(", ")));
  }

  /**
   * The {@code pre_tokenizer} of tokenizer.json: GPT-2's is ByteLevel with its own regex (as
   * GPT-2's file has it); the others a Split of the pattern, then ByteLevel without a regex (as
   * Llama 3's).
   */
  ObjectNode json(JsonNodeFactory nodes) {
    if (this == GPT2) {
      return byteLevel(nodes, true);
    }
    ObjectNode split = nodes.objectNode();
    split.put("type", "Split");
    split.putObject("pattern").put("Regex", regex);
    split.put("behavior", "Isolated");
    split.put("invert", false);
    ObjectNode sequence = nodes.objectNode();
    sequence.put("type", "Sequence");
    ArrayNode steps = sequence.putArray("pretokenizers");
    steps.add(split);
    steps.add(byteLevel(nodes, false));
    return sequence;
  }

  static ObjectNode byteLevel(JsonNodeFactory nodes, boolean useRegex) {
    ObjectNode byteLevel = nodes.objectNode();
    byteLevel.put("type", "ByteLevel");
    byteLevel.put("add_prefix_space", false);
    byteLevel.put("trim_offsets", true);
    byteLevel.put("use_regex", useRegex);
    return byteLevel;
  }
}
