package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The boundary between a header and an assistant's first characters, for all three tokenizers: what
 * the target tokens decode to (a token holding header and content characters is a target), and that
 * the ids equal the original tokenizer's ids of the whole rendered text.
 */
class SftSeamTest {
  private static final Map<String, TokenEncoder> ORIGINALS = new HashMap<>();
  private static final Map<String, String> EOT =
      Map.of("gpt2", "<|endoftext|>", "llama3", "<|eot_id|>", "qwen3", "<|im_end|>");

  // Columns: tokenizer, assistant content, target text ('|' stands for the end-of-turn marker).
  // GPT-2's header ends "assistant\n" (text), Llama 3 trims the content after
  // "<|end_header_id|>\n\n",
  // Qwen3's last turn gets the empty think block (after its generation prompt, so a target) and
  // loses leading newlines.
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      textBlock =
          """
          gpt2;   `Hello`;          `Hello|`
          gpt2;   ` Hello`;         ` Hello|`
          gpt2;   `\\nHello`;       `\\nHello|`
          gpt2;   `\\n\\nHello`;    `\\n\\n\\nHello|`
          gpt2;   `Hello\\n`;       `Hello\\n|`
          gpt2;   `👋🏽 hi 👋🏽`;     `👋🏽 hi 👋🏽|`
          gpt2;   `欧洲议会`;        `欧洲议会|`
          gpt2;   `!?`;             `!?|`
          gpt2;   `123`;            `123|`
          gpt2;   `   `;            `   |`
          llama3; `Hello`;          `Hello|`
          llama3; ` Hello`;         `Hello|`
          llama3; `\\n\\nHello`;    `Hello|`
          llama3; `Hello\\n`;       `Hello|`
          llama3; `👋🏽 hi 👋🏽`;     `👋🏽 hi 👋🏽|`
          llama3; `欧洲议会`;        `欧洲议会|`
          llama3; `!?`;             `!?|`
          llama3; `123`;            `123|`
          llama3; `   `;            `|`
          qwen3;  `Hello`;          `<think>\\n\\n</think>\\n\\nHello|`
          qwen3;  ` Hello`;         `<think>\\n\\n</think>\\n\\n Hello|`
          qwen3;  `\\n\\nHello`;    `<think>\\n\\n</think>\\n\\nHello|`
          qwen3;  `Hello\\n`;       `<think>\\n\\n</think>\\n\\nHello\\n|`
          qwen3;  `👋🏽 hi 👋🏽`;     `<think>\\n\\n</think>\\n\\n👋🏽 hi 👋🏽|`
          qwen3;  `欧洲议会`;        `<think>\\n\\n</think>\\n\\n欧洲议会|`
          qwen3;  `!?`;             `<think>\\n\\n</think>\\n\\n!?|`
          qwen3;  `   `;            `<think>\\n\\n</think>\\n\\n   |`
          """)
  void lastTurn(String name, String content, String expected) {
    check(name, List.of(Message.user("Hi"), Message.assistant(unescape(content))), expected);
  }

  // An assistant turn followed by more turns: Qwen3 neither adds a think block nor strips it.
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      textBlock =
          """
          gpt2;   `\\n\\nHello`;  `\\n\\n\\nHello|Done.|`
          llama3; `\\n\\nHello`;  `Hello|Done.|`
          qwen3;  `Hello`;        `Hello|<think>\\n\\n</think>\\n\\nDone.|`
          qwen3;  ` Hello`;       ` Hello|<think>\\n\\n</think>\\n\\nDone.|`
          qwen3;  `\\nHello`;     `\\n\\nHello|<think>\\n\\n</think>\\n\\nDone.|`
          qwen3;  `\\n\\nHello`;  `\\n\\n\\nHello|<think>\\n\\n</think>\\n\\nDone.|`
          qwen3;  `Hello\\n`;     `Hello\\n|<think>\\n\\n</think>\\n\\nDone.|`
          """)
  void middleTurn(String name, String content, String expected) {
    check(
        name,
        List.of(
            Message.user("Hi"),
            Message.assistant(unescape(content)),
            Message.user("Next"),
            Message.assistant("Done.")),
        expected);
  }

  private static void check(String name, List<Message> messages, String expected) {
    SftEncoder encoder = SftFixtures.sftEncoder(name, SftOptions.defaults(1 << 20));
    SftResult.Accepted accepted =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(messages));
    String eot = EOT.get(name);
    assertEquals(
        unescape(expected).replace("|", eot), SftGoldenTest.Decoding.targets(name, accepted));
    String text = SftFixtures.template(name).render(messages, false);
    assertArrayEquals(original(name).encode(text), accepted.tokens());
  }

  // The tokenizer as published, special tokens matched in text: the reference for whole renderings.
  private static synchronized TokenEncoder original(String name) {
    return ORIGINALS.computeIfAbsent(
        name,
        n -> {
          Path dir = TestData.tokenizer(n);
          try {
            return TokenEncoder.load(
                TokenizerSpec.parse(
                    dir.toString(),
                    Files.readAllBytes(dir.resolve("tokenizer.json")),
                    Files.readAllBytes(dir.resolve("tokenizer_config.json")),
                    true));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n");
  }
}
