package org.seqpack.sft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.seqpack.core.Chunk;
import org.seqpack.core.SeqpackException;

/** Rejections, long-example policies, trainOnPrompt and prompt/completion pairs (GPT-2). */
class SftPolicyTest {
  private static final String GPT2 = "gpt2";
  private static final String LONG_PROMPT = "word ".repeat(200);
  private static final List<Message> LONG_CHAT =
      List.of(Message.system(LONG_PROMPT), Message.user("Hi"), Message.assistant("Hello there."));

  private static SftEncoder encoder(SftOptions options) {
    return SftFixtures.sftEncoder(GPT2, options);
  }

  private static Rejection rejection(SftResult result) {
    return assertInstanceOf(SftResult.Rejected.class, result).reason();
  }

  private static String targets(SftResult result) {
    return SftGoldenTest.Decoding.targets(GPT2, assertInstanceOf(SftResult.Accepted.class, result));
  }

  @Test
  void noAssistantTurnIsNoTarget() {
    SftResult result = encoder(SftOptions.defaults(1024)).encodeChat(List.of(Message.user("Hi")));
    assertEquals(Rejection.NO_TARGET, rejection(result));
    assertEquals("no_target", Rejection.NO_TARGET.counterName());
  }

  @Test
  void emptyCompletionWithoutEosIsNoTarget() {
    SftEncoder encoder = encoder(SftOptions.defaults(1024).withCompletionEos(false));
    assertEquals(Rejection.NO_TARGET, rejection(encoder.encodeCompletion("Question?", "")));
  }

  @Test
  void invalidMessagesAreRejectedWithTheReason() {
    SftEncoder encoder = encoder(SftOptions.defaults(1024));
    assertEquals(Rejection.INVALID_MESSAGES, rejection(encoder.encodeChat(List.of())));
    SftResult.Rejected bot =
        assertInstanceOf(
            SftResult.Rejected.class,
            encoder.encodeChat(List.of(Message.user("Hi"), new Message("bot", "Hello"))));
    assertEquals(Rejection.INVALID_MESSAGES, bot.reason());
    assertEquals(
        "messages[1].role is 'bot'; must be one of assistant, system, tool, user", bot.detail());
    assertEquals(
        Rejection.INVALID_MESSAGES,
        rejection(
            encoder.encodeChat(List.of(Message.user("lone \ud83d"), Message.assistant("x")))));
  }

  @Test
  void templateErrorsAndMismatchesAreRejected() {
    var spec = SftFixtures.spec(GPT2);
    ChatTemplate raising =
        ChatTemplate.of(
            "{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('no system role') }}"
                + "{% endif %}{{ m.content }}<|endoftext|>{% endfor %}",
            spec.config(), Map.of());
    SftEncoder encoder =
        new SftEncoder(spec, SftFixtures.encoder(GPT2), raising, SftOptions.defaults(1024));
    SftResult.Rejected rejected =
        assertInstanceOf(
            SftResult.Rejected.class,
            encoder.encodeChat(
                List.of(Message.system("S"), Message.user("U"), Message.assistant("A"))));
    assertEquals(Rejection.TEMPLATE_ERROR, rejected.reason());
    assertEquals("chat template raised: no system role", rejected.detail());

    // Content rendered twice: which copy is the assistant's is unknowable.
    ChatTemplate twice =
        ChatTemplate.of(
            "{% for m in messages %}{{ m.content }}|{{ m.content }}<|endoftext|>{% endfor %}",
            spec.config(), Map.of());
    SftEncoder twiceEncoder =
        new SftEncoder(spec, SftFixtures.encoder(GPT2), twice, SftOptions.defaults(1024));
    assertEquals(
        Rejection.TEMPLATE_MISMATCH,
        rejection(twiceEncoder.encodeChat(List.of(Message.user("U"), Message.assistant("A")))));
  }

  @Test
  void dropRejectsLongExamplesAsTooLong() {
    SftResult.Rejected rejected =
        assertInstanceOf(
            SftResult.Rejected.class, encoder(SftOptions.defaults(64)).encodeChat(LONG_CHAT));
    assertEquals(Rejection.TOO_LONG, rejected.reason());
    assertTrue(rejected.detail().contains("must be at most 64"), rejected::detail);
  }

  @Test
  void truncatePromptCutsFromTheStartAndKeepsTheResponse() {
    SftEncoder encoder =
        encoder(SftOptions.defaults(64).withLongExamples(LongExamplePolicy.TRUNCATE_PROMPT));
    SftResult.Accepted accepted =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(LONG_CHAT));
    assertEquals(64, accepted.tokens().length);
    assertTrue(accepted.promptTokensCut() > 0);
    assertEquals("Hello there.<|endoftext|>", targets(accepted));
    assertEquals(1, accepted.chunks(7).size());
  }

  @Test
  void truncatePromptNeverCutsTheResponse() {
    SftEncoder encoder =
        encoder(SftOptions.defaults(16).withLongExamples(LongExamplePolicy.TRUNCATE_PROMPT));
    SftResult result =
        encoder.encodeChat(List.of(Message.user("Hi"), Message.assistant(LONG_PROMPT)));
    assertEquals(Rejection.TOO_LONG, rejection(result));
  }

  @Test
  void splitPredictsEveryTargetExactlyOnce() {
    int max = 32;
    SftEncoder encoder =
        encoder(SftOptions.defaults(max).withLongExamples(LongExamplePolicy.SPLIT));
    String answer = "The answer is long. ".repeat(20);
    SftResult.Accepted accepted =
        assertInstanceOf(
            SftResult.Accepted.class,
            encoder.encodeChat(List.of(Message.user("Hi"), Message.assistant(answer))));
    List<Chunk> chunks = accepted.chunks(3);
    assertTrue(chunks.size() > 1);
    int[] predicted = new int[accepted.tokens().length];
    for (Chunk chunk : chunks) {
      assertTrue(chunk.length() <= max);
      assertEquals(3, chunk.document());
      // A chunk's first token is context only (Chunk's rule), so start at 1.
      for (int i = 1; i < chunk.length(); i++) {
        if (chunk.isTarget(i)) {
          predicted[chunk.offset() + i]++;
        }
      }
    }
    List<Integer> wrong = new ArrayList<>();
    for (int i = 1; i < predicted.length; i++) {
      if (predicted[i] != accepted.targets()[i]) {
        wrong.add(i);
      }
    }
    assertEquals(List.of(), wrong, "tokens predicted a number of times other than their target");
    assertEquals(answer + "<|endoftext|>", targets(accepted));
  }

  @Test
  void splitLeavesOutWindowsWithoutTargets() {
    SftEncoder encoder = encoder(SftOptions.defaults(32).withLongExamples(LongExamplePolicy.SPLIT));
    SftResult.Accepted accepted =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeChat(LONG_CHAT));
    List<Chunk> chunks = accepted.chunks(0);
    assertEquals(1, chunks.size());
    Chunk last = chunks.get(0);
    assertEquals(accepted.tokens().length, last.offset() + last.length());
  }

  @Test
  void trainOnPromptMakesPromptTokensTargets() {
    SftEncoder encoder = encoder(SftOptions.defaults(1024).withTrainOnPrompt(true));
    SftResult.Accepted accepted =
        assertInstanceOf(
            SftResult.Accepted.class,
            encoder.encodeChat(List.of(Message.user("Hi"), Message.assistant("Hello"))));
    assertEquals(
        "<|im_start|>user\nHi<|endoftext|>\n<|im_start|>assistant\nHello<|endoftext|>\n",
        targets(accepted));
    SftResult.Accepted completion =
        assertInstanceOf(SftResult.Accepted.class, encoder.encodeCompletion("Q: 2+2=", " 4"));
    assertEquals("Q: 2+2= 4<|endoftext|>", targets(completion));
  }

  @Test
  void completionIsTheTargetFollowedByEos() {
    SftEncoder encoder = encoder(SftOptions.defaults(1024));
    assertEquals(" 4<|endoftext|>", targets(encoder.encodeCompletion("Q: 2+2=", " 4")));
    // A token holding prompt and completion characters ("capital") is a target.
    assertEquals(
        " capital of France<|endoftext|>",
        targets(encoder.encodeCompletion("The capi", "tal of France")));
    // Literal special strings in either part are text.
    SftResult.Accepted literal =
        assertInstanceOf(
            SftResult.Accepted.class, encoder.encodeCompletion("<|endoftext|>", "<|endoftext|>"));
    int last = literal.tokens().length - 1;
    for (int i = 0; i < last; i++) {
      assertTrue(literal.tokens()[i] != 50256, "special id inside the text at " + i);
    }
    assertEquals(50256, literal.tokens()[last]);
  }

  @Test
  void completionEosNeedsASpecialEosToken() throws Exception {
    java.nio.file.Path dir = org.seqpack.tokenizer.TestData.tokenizer("gpt2");
    var noEos =
        org.seqpack.tokenizer.TokenizerSpec.parse(
            "gpt2 without eos",
            java.nio.file.Files.readAllBytes(dir.resolve("tokenizer.json")),
            "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            false);
    SeqpackException e =
        assertThrows(
            SeqpackException.class,
            () -> new SftEncoder(noEos, SftFixtures.encoder(GPT2), null, SftOptions.defaults(8)));
    assertEquals(
        "'sft.completion-eos' is true but the tokenizer has no special eos_token; set it to false",
        e.getMessage());
    SftEncoder withoutEos =
        new SftEncoder(
            noEos,
            SftFixtures.encoder(GPT2),
            null,
            SftOptions.defaults(8).withCompletionEos(false));
    assertEquals(" 4", targets(withoutEos.encodeCompletion("Q: 2+2=", " 4")));
  }
}
