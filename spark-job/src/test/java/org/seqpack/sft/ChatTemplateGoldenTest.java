package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Jinjava renders each golden conversation exactly as Hugging Face's @huggingface/jinja does. */
class ChatTemplateGoldenTest {

  static List<SftFixtures.Golden> goldens() {
    return SftFixtures.allGoldens();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void renderingEqualsReference(SftFixtures.Golden golden) {
    String rendered =
        SftFixtures.template(golden.name()).render(golden.messages(), golden.addGenerationPrompt());
    assertEquals(golden.text(), rendered);
  }
}
