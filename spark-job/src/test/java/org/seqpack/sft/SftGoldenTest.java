package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder against the golden conversations: ids equal the reference tokenizer's ids of the
 * whole rendered text (where no content holds a special string: the reference would make those
 * special), and the target tokens decode to exactly the hand-written target text.
 */
class SftGoldenTest {
  private static final int LONG = 1 << 20;

  static Stream<SftFixtures.Golden> withIds() {
    return SftFixtures.allGoldens().stream().filter(g -> !g.specialInContent());
  }

  static Stream<SftFixtures.Golden> training() {
    return SftFixtures.allGoldens().stream().filter(g -> !g.addGenerationPrompt());
  }

  static Stream<SftFixtures.Golden> withSpecials() {
    return SftFixtures.allGoldens().stream().filter(SftFixtures.Golden::specialInContent);
  }

  static Stream<SftFixtures.Golden> trainable() {
    return training().filter(g -> !g.targetText().isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withIds")
  void idsEqualReferenceIdsOfTheRenderedText(SftFixtures.Golden golden) throws Exception {
    SftEncoder encoder = SftFixtures.sftEncoder(golden.name(), SftOptions.defaults(LONG));
    ChatLayout layout = encoder.layout(golden.messages(), golden.addGenerationPrompt());
    assertEquals(golden.text(), layout.text());
    assertArrayEquals(golden.ids(), encoder.encode(layout).tokens());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("training")
  void targetTokensDecodeToTheAssistantTurns(SftFixtures.Golden golden) {
    SftEncoder encoder = SftFixtures.sftEncoder(golden.name(), SftOptions.defaults(LONG));
    SftResult result = encoder.encodeChat(golden.messages());
    if (golden.targetText().isEmpty()) {
      SftResult.Rejected rejected = assertInstanceOf(SftResult.Rejected.class, result);
      assertEquals(Rejection.NO_TARGET, rejected.reason());
      return;
    }
    SftResult.Accepted accepted = assertInstanceOf(SftResult.Accepted.class, result);
    assertEquals(golden.targetText(), Decoding.targets(golden.name(), accepted));
    assertEquals(golden.text(), Decoding.decode(golden.name(), accepted.tokens()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("withSpecials")
  void literalSpecialStringsInContentNeverGiveSpecialIds(SftFixtures.Golden golden) {
    SftEncoder encoder = SftFixtures.sftEncoder(golden.name(), SftOptions.defaults(LONG));
    List<Message> defused = new ArrayList<>();
    for (Message message : golden.messages()) {
      String content = message.content();
      for (String special : SftFixtures.spec(golden.name()).specialTokens().keySet()) {
        content = content.replace(special, "X");
      }
      defused.add(new Message(message.role(), content));
    }
    SftResult.Accepted withSpecials =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(golden.messages()));
    SftResult.Accepted withoutSpecials =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(defused));
    // The special ids are the template's markers only: the same as with the strings removed.
    assertEquals(
        Decoding.specialIds(golden.name(), withoutSpecials.tokens()),
        Decoding.specialIds(golden.name(), withSpecials.tokens()));
    assertEquals(golden.text(), Decoding.decode(golden.name(), withSpecials.tokens()));
    assertEquals(golden.targetText(), Decoding.targets(golden.name(), withSpecials));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("trainable")
  void trainOnPromptMakesEveryTokenATarget(SftFixtures.Golden golden) {
    SftEncoder encoder =
        SftFixtures.sftEncoder(golden.name(), SftOptions.defaults(LONG).withTrainOnPrompt(true));
    SftResult.Accepted accepted =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(golden.messages()));
    for (byte target : accepted.targets()) {
      assertEquals(1, target);
    }
    assertEquals(golden.text(), Decoding.targets(golden.name(), accepted));
  }

  /** Decoding that maps the job's special ids back through the original special tokens. */
  static final class Decoding {
    private Decoding() {}

    static String decode(String name, int[] ids) {
      Map<Integer, String> specials = specialsById(name);
      StringBuilder out = new StringBuilder();
      List<Integer> run = new ArrayList<>();
      for (int id : ids) {
        String special = specials.get(id);
        if (special == null) {
          run.add(id);
          continue;
        }
        flush(name, run, out);
        out.append(special);
      }
      flush(name, run, out);
      return out.toString();
    }

    static String targets(String name, SftResult.Accepted accepted) {
      List<Integer> ids = new ArrayList<>();
      for (int i = 0; i < accepted.tokens().length; i++) {
        if (accepted.targets()[i] != 0) {
          ids.add(accepted.tokens()[i]);
        }
      }
      return decode(name, ids.stream().mapToInt(Integer::intValue).toArray());
    }

    static List<Integer> specialIds(String name, int[] ids) {
      Map<Integer, String> specials = specialsById(name);
      List<Integer> out = new ArrayList<>();
      for (int id : ids) {
        if (specials.containsKey(id)) {
          out.add(id);
        }
      }
      return out;
    }

    private static Map<Integer, String> specialsById(String name) {
      Map<Integer, String> byId = new java.util.HashMap<>();
      SftFixtures.spec(name).specialTokens().forEach((text, id) -> byId.put(id, text));
      return byId;
    }

    private static void flush(String name, List<Integer> run, StringBuilder out) {
      if (!run.isEmpty()) {
        out.append(
            SftFixtures.encoder(name)
                .decode(run.stream().mapToInt(Integer::intValue).toArray(), false));
        run.clear();
      }
    }
  }
}
