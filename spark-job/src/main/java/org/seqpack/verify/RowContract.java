package org.seqpack.verify;

import java.util.List;
import java.util.Map;
import org.seqpack.config.ConfigException;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionValues;
import org.seqpack.core.PackingStrategy;

/**
 * The row contract of docs/FORMAT.md under one recorded configuration: what every row must hold,
 * derived from the recorded configuration keys and the sentinel ids, independent of the job's
 * layout code. Built by {@link #of}.
 *
 * @param sentinelsKnown whether pad, BOS and EOS ids are known (from stats.json); when not, the
 *     three ids are {@link #NONE}
 */
record RowContract(
    int seqLen,
    boolean continuousPositions,
    boolean variableRows,
    int padToMultipleOf,
    int maxSegments,
    boolean sft,
    boolean concat,
    String longDocs,
    int stride,
    boolean seqLens,
    boolean specialTokensInText,
    MaskRule maskRule,
    boolean sentinelsKnown,
    int padId,
    int bosId,
    int eosId) {
  /** Id value meaning "not known" (no stats.json) or "not added" (sentinel {@code none}). */
  static final int NONE = -1;

  /** What {@code loss_mask} must hold on a segment's real tokens after its first. */
  enum MaskRule {
    /** 1 on every one: pretraining without context-only tokens, SFT with train-on-prompt. */
    EVERY_TARGET("0 on each segment's first token and on padding, 1 on every other real token"),
    /** 0 on a prefix of each segment (the window overlap), then 1. */
    WINDOW_PREFIX(
        "0 on padding and on a prefix of each segment (its first token, or the L − S tokens a"
            + " window repeats), 1 after that prefix"),
    /** 1 on every one but at most one (the truncate-middle seam). */
    MIDDLE_SEAM(
        "0 on each segment's first token, on padding and on at most one seam token per segment"
            + " (at ⌈L/2⌉ of a truncated segment of L tokens), 1 on every other real token"),
    /** 0 or 1 (SFT: prompt and template tokens are context). */
    FREE("0 or 1; 0 on each segment's first token and on padding");

    final String description;

    MaskRule(String description) {
      this.description = description;
    }
  }

  /**
   * The contract of a recorded configuration (dotted keys, as in the footer's {@code
   * seqpack.config}), read through the job's own option declarations ({@link
   * JobOptions#readRecorded}): the same parsers, defaults and cross-option rules as a run's.
   *
   * @param recorded the recorded configuration
   * @param sentinelsKnown whether the ids below are known (stats.json was read)
   * @param padId the pad id
   * @param bosId the BOS id, or {@link #NONE} when none is added
   * @param eosId the EOS id, or {@link #NONE} when none is added
   * @throws IllegalArgumentException naming every missing, unknown or malformed key
   */
  static RowContract of(
      Map<String, String> recorded, boolean sentinelsKnown, int padId, int bosId, int eosId) {
    OptionValues values;
    try {
      values = JobOptions.readRecorded(recorded);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(String.join("; ", e.problems()), e);
    }
    List<Integer> lengths = values.get(JobOptions.SEQ_LEN);
    if (lengths.size() != 1) {
      throw new IllegalArgumentException(
          "'"
              + JobOptions.SEQ_LEN.key()
              + "' records "
              + lengths.size()
              + " lengths; a row output has one (verify each L=<n>/ folder of a several-length"
              + " run)");
    }
    int seqLen = lengths.get(0);
    boolean continuousPositions = values.get(JobOptions.POSITIONS).equals("continuous");
    boolean variableRows = values.get(JobOptions.ROW_LENGTH).equals("variable");
    int padToMultipleOf = values.get(JobOptions.PAD_TO_MULTIPLE_OF);
    int maxSegments = values.get(JobOptions.MAX_SEGMENTS);
    boolean sft = values.get(JobOptions.TASK).equals("sft");
    boolean concat = values.get(JobOptions.PACKING) == PackingStrategy.CONCAT;
    String longDocs = values.get(JobOptions.LONG_DOCS).configName();
    int stride = values.get(JobOptions.STRIDE);
    boolean seqLens = values.get(JobOptions.EMIT_SEQ_LENS);
    boolean specialTokensInText = values.get(JobOptions.SPECIAL_TOKENS_IN_TEXT);
    boolean trainOnPrompt = sft && values.get(JobOptions.TRAIN_ON_PROMPT);
    MaskRule maskRule;
    if (sft) {
      maskRule = trainOnPrompt ? MaskRule.EVERY_TARGET : MaskRule.FREE;
    } else if (longDocs.equals("window") && stride < seqLen) {
      maskRule = MaskRule.WINDOW_PREFIX;
    } else if (longDocs.equals("truncate-middle")) {
      maskRule = MaskRule.MIDDLE_SEAM;
    } else {
      maskRule = MaskRule.EVERY_TARGET;
    }
    return new RowContract(
        seqLen,
        continuousPositions,
        variableRows,
        padToMultipleOf,
        maxSegments,
        sft,
        concat,
        longDocs,
        stride,
        seqLens,
        specialTokensInText,
        maskRule,
        sentinelsKnown,
        sentinelsKnown ? padId : NONE,
        sentinelsKnown ? bosId : NONE,
        sentinelsKnown ? eosId : NONE);
  }

  /** Whether every segment shorter than L must end with the EOS (see {@link #describe}). */
  boolean eosEndsShortSegments() {
    return !sft && !concat && eosId != NONE;
  }

  /** The contract in words, for the report. */
  String describe() {
    StringBuilder out = new StringBuilder();
    out.append(sft ? "sft" : "pretrain")
        .append(", L ")
        .append(seqLen)
        .append(", rows ")
        .append(variableRows ? "variable (multiple of " + padToMultipleOf + ")" : "fixed")
        .append(", positions ")
        .append(continuousPositions ? "continuous" : "reset")
        .append(", max segments ")
        .append(maxSegments == 0 ? "unlimited" : Integer.toString(maxSegments))
        .append(", packing ")
        .append(concat ? "concat" : "whole chunks")
        .append(
            sft
                ? ""
                : ", long docs " + longDocs + (longDocs.equals("window") ? " S=" + stride : ""))
        .append(", pad id ")
        .append(sentinelsKnown ? Integer.toString(padId) : "unknown")
        .append(", BOS ")
        .append(!sentinelsKnown ? "unknown" : bosId == NONE ? "none" : Integer.toString(bosId))
        .append(", EOS ")
        .append(!sentinelsKnown ? "unknown" : eosId == NONE ? "none" : Integer.toString(eosId));
    out.append("\n  loss_mask: ").append(maskRule.description);
    if (seqLens) {
      out.append("\n  seq_lens: the lengths of segments 1..k in order (output.emit-seq-lens)");
    }
    if (sft && !concat) {
      out.append("; at least one target per segment");
    }
    if (eosEndsShortSegments()) {
      out.append("\n  sentinels: every segment shorter than L ends with the EOS");
    }
    return out.toString();
  }
}
