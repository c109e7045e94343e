package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Year;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Jinja features Hugging Face chat templates use, rendered with Python's semantics. */
class ChatTemplateTest {
  private static final List<Message> CHAT =
      List.of(Message.system("Be brief."), Message.user("Hi"), Message.assistant("Hello"));

  private static String render(String template) {
    return ChatTemplate.of(template, "<s>", "</s>", Map.of()).render(CHAT, false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      quoteCharacter = '`',
      textBlock =
          """
          `{{ 'a</think>\\n\\nb'.split('</think>')[-1].lstrip('\\n') }}`;  `b`
          `{{ '  x'.lstrip('\\n') }}`;                                      `  x`
          `{{ '\\n\\nx\\n'.strip('\\n') }}`;                               `x`
          `{{ 'a,b,,'.split(',')|length }}`;                              `4`
          `{{ 'a  b '.split()|length }}`;                                 `2`
          `{% if 'abc'.startswith(('x', 'a')) %}yes{% endif %}`;          `yes`
          `{% if 'abc'.endswith('bc') %}yes{% endif %}`;                  `yes`
          `{{ 'Hello World'.upper() }} {{ 'Hello'.lower() }}`;            `HELLO WORLD hello`
          `{{ ', '.join(['a', 'b']) }}`;                                  `a, b`
          `{{ '\u00a0x\u3000'|trim }}|`;                                  `x|`
          `{{ {'a': 'é', 'b': [1, none, true]}|tojson }}`;               `{"a": "é", "b": [1, null, true]}`
          `{{ {'a': [1]}|tojson(indent=2) }}`;                            `{\\n  "a": [\\n    1\\n  ]\\n}`
          `{% for m in messages[::-1] %}{{ m.role }} {% endfor %}`;      `assistant user system `
          `{% set ns = namespace(n=messages|length - 1) %}{{ ns.n }}`;    `2`
          `{{ messages[1:]|length }} {{ messages[-1].content }}`;        `2 Hello`
          `{% if tools %}T{% else %}no tools{% endif %}{{ tools }}`;      `no tools`
          `{% if x is not defined %}undefined{% endif %}`;                `undefined`
          `{{ bos_token }}{{ eos_token }}`;                               `<s></s>`
          `{% generation %}{{ messages[2].content }}{% endgeneration %}`; `Hello`
          `x\\n`;                                                         `x`
          `x\\n\\n`;                                                      `x\\n`
          `{% for m in messages %}\\n  {% if m.role == 'user' %}\\n{{ m.content }}\\n  {% endif %}\\n{% endfor %}`; `Hi\\n`
          """)
  void rendersLikePython(String template, String expected) {
    assertEquals(unescape(expected), render(unescape(template)));
  }

  @Test
  void raiseExceptionRejectsTheConversation() {
    ChatTemplateException e =
        assertThrows(
            ChatTemplateException.class,
            () ->
                render(
                    "{% if messages[0].role == 'system' %}{{ raise_exception('no system') }}{% endif %}"));
    assertEquals("chat template raised: no system", e.getMessage());
  }

  @Test
  void syntaxErrorsAreReported() {
    assertThrows(ChatTemplateException.class, () -> render("{% for m in messages %}"));
  }

  @Test
  void strftimeNowFormatsTheCurrentDate() {
    assertEquals(Integer.toString(Year.now().getValue()), render("{{ strftime_now('%Y') }}"));
  }

  @Test
  void extraVariablesReachTheTemplate() {
    ChatTemplate qwen3 =
        ChatTemplate.fromTokenizer(SftFixtures.spec("qwen3"), Map.of("enable_thinking", false));
    String prompt = qwen3.render(List.of(Message.user("Hi")), true);
    assertTrue(prompt.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n"), () -> prompt);
  }

  @Test
  void reservedVariablesCannotBeOverridden() {
    assertThrows(
        RuntimeException.class, () -> ChatTemplate.of("x", "", "", Map.of("messages", List.of())));
  }

  /**
   * Where @huggingface/jinja (the golden renderer) differs from Python's Jinja, we follow Python.
   */
  @Test
  void qwen3KeepsLeadingSpacesOfTheLastTurnLikePython() {
    // Python: content.lstrip('\n') keeps the spaces; @huggingface/jinja 0.5.11 ignores the
    // argument.
    String text =
        SftFixtures.template("qwen3")
            .render(List.of(Message.user("Hi"), Message.assistant("  indented")), false);
    assertTrue(text.endsWith("<think>\n\n</think>\n\n  indented<|im_end|>\n"), () -> text);
  }

  @Test
  void oneTemplateRendersConcurrently() throws Exception {
    ChatTemplate qwen3 = SftFixtures.template("qwen3");
    List<SftFixtures.Golden> goldens = SftFixtures.goldens("qwen3");
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
      for (int task = 0; task < 4; task++) {
        results.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 50; round++) {
                    for (SftFixtures.Golden golden : goldens) {
                      String text = qwen3.render(golden.messages(), golden.addGenerationPrompt());
                      if (!golden.text().equals(text)) {
                        return false;
                      }
                    }
                  }
                  return true;
                }));
      }
      for (java.util.concurrent.Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdown();
    }
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n");
  }
}
