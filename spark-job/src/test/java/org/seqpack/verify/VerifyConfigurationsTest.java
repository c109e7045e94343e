package org.seqpack.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionKey;
import org.seqpack.tokenizer.TestData;
import org.seqpack.tokenizer.TestPaths;

/**
 * The real job's output passes verify under every configuration that changes the rows: the rules
 * verify derives from the recorded configuration are not stricter than the format.
 */
class VerifyConfigurationsTest {
  static Stream<Arguments> configurations() {
    return Stream.of(
        Arguments.of(
            "ffd, truncate-tail, continuous positions",
            Map.of(
                JobOptions.SEQ_LEN, 256,
                JobOptions.PACKING, "ffd",
                JobOptions.LONG_DOCS, "truncate-tail",
                JobOptions.POSITIONS, "continuous"),
            "whole documents"),
        Arguments.of(
            "none, drop, variable rows of 64",
            Map.of(
                JobOptions.SEQ_LEN,
                256,
                JobOptions.PACKING,
                "none",
                JobOptions.LONG_DOCS,
                "drop",
                JobOptions.ROW_LENGTH,
                "variable",
                JobOptions.PAD_TO_MULTIPLE_OF,
                64,
                JobOptions.MIN_DOC_TOKENS,
                5),
            "whole documents"),
        Arguments.of(
            "concat, split, at most 3 segments",
            Map.of(
                JobOptions.SEQ_LEN, 200,
                JobOptions.PACKING, "concat",
                JobOptions.MAX_SEGMENTS, 3),
            "document ends"),
        Arguments.of(
            "first-fit, window S=96, BOS",
            Map.of(
                JobOptions.SEQ_LEN, 128,
                JobOptions.PACKING, "first-fit",
                JobOptions.LONG_DOCS, "window",
                JobOptions.STRIDE, 96,
                JobOptions.BOS_TOKEN, "<|endoftext|>"),
            "whole documents: segments shorter than L from the BOS to the EOS"),
        Arguments.of(
            "concat, window S=64",
            Map.of(
                JobOptions.SEQ_LEN,
                128,
                JobOptions.PACKING,
                "concat",
                JobOptions.LONG_DOCS,
                "window",
                JobOptions.STRIDE,
                64),
            "document ends"),
        Arguments.of(
            "bfd, truncate-middle, odd L",
            Map.of(JobOptions.SEQ_LEN, 255, JobOptions.LONG_DOCS, "truncate-middle"),
            "whole documents"),
        Arguments.of(
            "bfd, truncate-head, no EOS",
            Map.of(
                JobOptions.SEQ_LEN,
                256,
                JobOptions.LONG_DOCS,
                "truncate-head",
                JobOptions.EOS_TOKEN,
                "none",
                JobOptions.PAD_TOKEN,
                0),
            "whole documents"),
        Arguments.of(
            "bfd, split, seq_lens column",
            Map.of(JobOptions.SEQ_LEN, 512, JobOptions.EMIT_SEQ_LENS, true),
            "document ends"),
        Arguments.of(
            "bfd, split, special tokens allowed in text",
            Map.of(JobOptions.SEQ_LEN, 300, JobOptions.SPECIAL_TOKENS_IN_TEXT, true),
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void jobOutputPasses(
      String name, Map<OptionKey, Object> changes, String sampled, @TempDir Path tmp) {
    Path output = tmp.resolve("out");
    Map<OptionKey, Object> options =
        JobRuns.options(
            TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"), "text", output);
    options.put(JobOptions.PARTITIONS, 2);
    options.putAll(changes);
    JobRuns.run(options);

    VerifyRuns.Verification result = VerifyRuns.verify(output);
    assertEquals(0, result.exit(), result.out() + result.err());
    if (sampled != null) {
      result.assertHas("checked: round trip on ");
      result.assertHas(sampled);
    } else {
      result.assertHas("skipped: round trip: no segment can be told");
    }
  }

  @ParameterizedTest(name = "sft, {0}")
  @MethodSource("sftPackings")
  void sftOutputPasses(String packing, @TempDir Path tmp) {
    Path llama3 = TestData.tokenizer("llama3");
    Path output = tmp.resolve("out");
    Map<OptionKey, Object> options =
        JobRuns.options(
            TestPaths.projectRoot().resolve("test-data/sft/europarl-sft.jsonl"), "jsonl", output);
    options.put(JobOptions.TASK, "sft");
    options.put(JobOptions.TOKENIZER, llama3);
    options.put(JobOptions.SEQ_LEN, 512);
    options.put(JobOptions.PACKING, packing);
    options.put(JobOptions.LONG_EXAMPLES, "split");
    JobRuns.run(options);

    VerifyRuns.Verification result = VerifyRuns.verify(output);
    assertEquals(0, result.exit(), result.out() + result.err());
    result.assertHas("loss_mask: 0 or 1; 0 on each segment's first token and on padding");
    assertTrue(result.out().contains("skipped: round trip: SFT rows"), result.out());
  }

  static Stream<String> sftPackings() {
    return Stream.of("bfd", "concat");
  }
}
