package org.seqpack.verify;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.seqpack.verify.Findings.Kind;

/**
 * The row contract of docs/FORMAT.md under one recorded configuration, and its check of one row.
 * Independent of the job's layout code: everything is derived from the columns and the recorded
 * configuration keys.
 */
final class RowRules {
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

  /** Receives each segment of a row whose segment ids are well formed. */
  interface SegmentSink {
    void segment(String file, long row, int segment, int[] ids, int from, int to);
  }

  /** Running sums over the rows checked, for the comparison with stats.json. */
  static final class Totals {
    long rows;
    long numTokens;
    long numSegments;
    long targets;
    long capacity;
  }

  final int seqLen;
  final boolean continuousPositions;
  final boolean variableRows;
  final int padToMultipleOf;
  final int maxSegments;
  final boolean sft;
  final boolean concat;
  final String longDocs;
  final int stride;
  final boolean seqLens;
  final boolean specialTokensInText;
  final MaskRule maskRule;
  final int padId;
  final int bosId;
  final int eosId;

  /** Whether pad, BOS and EOS ids are known (from stats.json). */
  final boolean sentinelsKnown;

  // Scratch: the lengths of the row's segments (runs of equal segment ids), for checkSeqLens.
  private int[] segmentLengths = new int[16];

  /** Ids that only the job may place (as BOS first or EOS last in a segment); null: unchecked. */
  private boolean[] specialIds;

  private RowRules(
      Map<String, String> config, boolean sentinelsKnown, int padId, int bosId, int eosId) {
    this.seqLen = integer(config, "pack.seq-len", null, 2);
    this.continuousPositions = choice(config, "pack.positions", "reset", "reset", "continuous");
    this.variableRows = choice(config, "pack.row-length", "fixed", "fixed", "variable");
    this.padToMultipleOf = integer(config, "pack.pad-to-multiple-of", "1", 1);
    if (variableRows && seqLen % padToMultipleOf != 0) {
      throw new IllegalArgumentException(
          "'pack.pad-to-multiple-of' is " + padToMultipleOf + "; must divide " + seqLen);
    }
    this.maxSegments = integer(config, "pack.max-segments-per-row", "0", 0);
    this.sft = choice(config, "job.task", "pretrain", "pretrain", "sft");
    String strategy = value(config, "pack.strategy", "bfd");
    if (!List.of("bfd", "ffd", "first-fit", "concat", "none").contains(strategy)) {
      throw new IllegalArgumentException(
          "'pack.strategy' is '" + strategy + "'; must be bfd, ffd, first-fit, concat or none");
    }
    this.concat = strategy.equals("concat");
    this.longDocs = value(config, "pack.long-docs", "split");
    if (!List.of("split", "truncate-tail", "truncate-head", "truncate-middle", "drop", "window")
        .contains(longDocs)) {
      throw new IllegalArgumentException(
          "'pack.long-docs' is '"
              + longDocs
              + "'; must be split, truncate-tail, truncate-head, truncate-middle, drop or window");
    }
    this.stride = integer(config, "pack.stride", "0", 0);
    if (!sft && longDocs.equals("window") && (stride < 1 || stride > seqLen)) {
      throw new IllegalArgumentException(
          "'pack.stride' is " + stride + "; must be between 1 and " + seqLen + " for window");
    }
    this.seqLens = choice(config, "output.emit-seq-lens", "false", "false", "true");
    this.specialTokensInText =
        choice(config, "tokenizer.allow-special-tokens-in-text", "false", "false", "true");
    boolean trainOnPrompt = choice(config, "sft.train-on-prompt", "false", "false", "true");
    if (sft) {
      this.maskRule = trainOnPrompt ? MaskRule.EVERY_TARGET : MaskRule.FREE;
    } else if (longDocs.equals("window") && stride < seqLen) {
      this.maskRule = MaskRule.WINDOW_PREFIX;
    } else if (longDocs.equals("truncate-middle")) {
      this.maskRule = MaskRule.MIDDLE_SEAM;
    } else {
      this.maskRule = MaskRule.EVERY_TARGET;
    }
    this.sentinelsKnown = sentinelsKnown;
    this.padId = sentinelsKnown ? padId : NONE;
    this.bosId = sentinelsKnown ? bosId : NONE;
    this.eosId = sentinelsKnown ? eosId : NONE;
  }

  /**
   * The rules of a recorded configuration (dotted keys, as in the footer's {@code seqpack.config}).
   *
   * @param sentinelsKnown whether the ids below are known (stats.json was read)
   * @param padId the pad id
   * @param bosId the BOS id, or {@link #NONE} when none is added
   * @param eosId the EOS id, or {@link #NONE} when none is added
   * @throws IllegalArgumentException naming a missing or malformed key
   */
  static RowRules of(
      Map<String, String> config, boolean sentinelsKnown, int padId, int bosId, int eosId) {
    return new RowRules(config, sentinelsKnown, padId, bosId, eosId);
  }

  /**
   * Checks that special-token ids appear only where the job puts sentinels: the BOS as a segment's
   * first token, the EOS as its last (pretraining with special tokens kept out of text only).
   */
  void checkSpecialIds(boolean[] special) {
    if (!sentinelsKnown || sft || specialTokensInText) {
      throw new IllegalStateException(
          "special ids are checked only for pretraining with known"
              + " sentinels and special tokens kept out of text");
    }
    this.specialIds = special;
  }

  boolean checksSpecialIds() {
    return specialIds != null;
  }

  /** Whether every segment shorter than L must end with the EOS (see {@link #describe}). */
  boolean eosEndsShortSegments() {
    return !sft && !concat && eosId != NONE;
  }

  /** The rules in words, for the report. */
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

  /** Checks one row; records violations and adds the row to {@code totals}. */
  void check(
      String file,
      long row,
      PackedRowFile.Row columns,
      Findings findings,
      Totals totals,
      SegmentSink sink) {
    totals.rows++;
    totals.numTokens += columns.numTokens;
    totals.numSegments += columns.numSegments;
    int[] lengths = columns.lengths;
    int n = lengths[0];
    int[] mask = columns.lossMask();
    for (int i = 0; i < lengths[3]; i++) {
      totals.targets += mask[i];
    }
    totals.capacity += n;
    if (lengths[1] != n || lengths[2] != n || lengths[3] != n) {
      findings.atRow(
          Kind.ROW_LENGTH,
          file,
          row,
          "input_ids, segment_ids, position_ids and loss_mask have lengths "
              + n
              + ", "
              + lengths[1]
              + ", "
              + lengths[2]
              + ", "
              + lengths[3]
              + "; must be equal");
      return;
    }
    int[] ids = columns.inputIds();
    int[] seg = columns.segmentIds();
    int[] pos = columns.positionIds();
    int real = 0;
    while (real < n && seg[real] != 0) {
      real++;
    }
    checkLength(file, row, n, real, findings);
    checkPadding(file, row, columns, n, real, findings);
    if (real == 0) {
      findings.atRow(
          Kind.SEGMENT_IDS,
          file,
          row,
          PackedRowFile.SEGMENT_IDS,
          0,
          "is 0: the row holds no real token");
    }

    boolean segmentIdsOk = true;
    boolean positionReported = false;
    boolean maskReported = false;
    int segments = 0;
    int start = 0;
    for (int i = 0; i < real; i++) {
      boolean first = i == 0 || seg[i] != seg[i - 1];
      if (first) {
        if (i > 0) {
          segmentLength(segments, i - start);
          maskReported |=
              checkSegment(file, row, segments, columns, start, i, findings, maskReported);
          if (segmentIdsOk) {
            sink.segment(file, row, segments, ids, start, i);
          }
        }
        segments++;
        start = i;
        if (segmentIdsOk && seg[i] != segments) {
          segmentIdsOk = false;
          findings.atRow(
              Kind.SEGMENT_IDS,
              file,
              row,
              PackedRowFile.SEGMENT_IDS,
              i,
              i == 0
                  ? "is " + seg[i] + "; the first segment of a row must be 1"
                  : "is "
                      + seg[i]
                      + " after "
                      + seg[i - 1]
                      + "; must be "
                      + seg[i - 1]
                      + " or "
                      + (seg[i - 1] + 1)
                      + " (segments are numbered 1, 2, … in order, without gaps)");
        }
        if (!continuousPositions && pos[i] != 0 && !positionReported) {
          positionReported = true;
          findings.atRow(
              Kind.POSITION_IDS,
              file,
              row,
              PackedRowFile.POSITION_IDS,
              i,
              "is " + pos[i] + " on the first token of segment " + segments + "; must be 0");
        }
        if (mask[i] != 0 && !maskReported) {
          maskReported = true;
          findings.atRow(
              Kind.LOSS_MASK,
              file,
              row,
              PackedRowFile.LOSS_MASK,
              i,
              "is "
                  + mask[i]
                  + " on the first token of segment "
                  + segments
                  + "; must be 0 (nothing in the row predicts it)");
        }
      } else {
        if (!continuousPositions && pos[i] != pos[i - 1] + 1 && !positionReported) {
          positionReported = true;
          findings.atRow(
              Kind.POSITION_IDS,
              file,
              row,
              PackedRowFile.POSITION_IDS,
              i,
              "is "
                  + pos[i]
                  + " after "
                  + pos[i - 1]
                  + " in segment "
                  + segments
                  + "; must be "
                  + (pos[i - 1] + 1));
        }
        if (mask[i] != 0 && mask[i] != 1 && !maskReported) {
          maskReported = true;
          findings.atRow(
              Kind.LOSS_MASK,
              file,
              row,
              PackedRowFile.LOSS_MASK,
              i,
              "is " + mask[i] + "; must be 0 or 1");
        }
      }
      if (continuousPositions && pos[i] != i && !positionReported) {
        positionReported = true;
        findings.atRow(
            Kind.POSITION_IDS,
            file,
            row,
            PackedRowFile.POSITION_IDS,
            i,
            "is " + pos[i] + "; must be " + i + " (pack.positions continuous)");
      }
    }
    if (real > 0) {
      segmentLength(segments, real - start);
      checkSegment(file, row, segments, columns, start, real, findings, maskReported);
      if (segmentIdsOk) {
        sink.segment(file, row, segments, ids, start, real);
      }
    }
    checkSeqLens(file, row, columns, segments, findings);
    if (columns.numTokens != real) {
      findings.atRow(
          Kind.NUM_TOKENS,
          file,
          row,
          "num_tokens is "
              + columns.numTokens
              + "; the row has "
              + real
              + " real tokens (segment_ids ≠ 0)");
    }
    if (columns.numSegments != segments) {
      findings.atRow(
          Kind.NUM_SEGMENTS,
          file,
          row,
          "num_segments is " + columns.numSegments + "; the row has " + segments + " segments");
    }
    if (maxSegments > 0 && segments > maxSegments) {
      findings.atRow(
          Kind.NUM_SEGMENTS,
          file,
          row,
          "the row has "
              + segments
              + " segments; must be at most "
              + maxSegments
              + " (pack.max-segments-per-row)");
    }
  }

  /**
   * {@code seq_lens} is present exactly when the configuration asks for it, and then holds the
   * length of each run of equal segment ids before the padding, in order.
   */
  /** Records the length of the row's segment number {@code segment} (1-based). */
  private void segmentLength(int segment, int length) {
    if (segment > segmentLengths.length) {
      segmentLengths = Arrays.copyOf(segmentLengths, segment * 2);
    }
    segmentLengths[segment - 1] = length;
  }

  private void checkSeqLens(
      String file, long row, PackedRowFile.Row columns, int segments, Findings findings) {
    if (columns.hasSeqLens != seqLens) {
      findings.atRow(
          Kind.SEQ_LENS,
          file,
          row,
          columns.hasSeqLens
              ? "the file has a seq_lens column; output.emit-seq-lens is false"
              : "the file has no seq_lens column; output.emit-seq-lens is true");
      return;
    }
    if (!seqLens) {
      return;
    }
    int count = columns.lengths[PackedRowFile.SEQ_LENS_LIST];
    if (!Arrays.equals(columns.seqLens(), 0, count, segmentLengths, 0, segments)) {
      findings.atRow(
          Kind.SEQ_LENS,
          file,
          row,
          "seq_lens is "
              + Arrays.toString(Arrays.copyOf(columns.seqLens(), count))
              + "; the segments in segment_ids have lengths "
              + Arrays.toString(Arrays.copyOf(segmentLengths, segments)));
    }
  }

  private void checkLength(String file, long row, int n, int real, Findings findings) {
    if (!variableRows) {
      if (n != seqLen) {
        findings.atRow(
            Kind.ROW_LENGTH,
            file,
            row,
            "arrays have length " + n + "; must be " + seqLen + " (pack.seq-len, fixed rows)");
      }
      return;
    }
    int expected = (real + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
    if (n != expected || n > seqLen) {
      findings.atRow(
          Kind.ROW_LENGTH,
          file,
          row,
          "arrays have length "
              + n
              + " for "
              + real
              + " real tokens; must be "
              + expected
              + " (variable rows: real tokens rounded up to a multiple of "
              + padToMultipleOf
              + ", at most "
              + seqLen
              + ")");
    }
  }

  private void checkPadding(
      String file, long row, PackedRowFile.Row columns, int n, int real, Findings findings) {
    int[] ids = columns.inputIds();
    int[] seg = columns.segmentIds();
    int[] pos = columns.positionIds();
    int[] mask = columns.lossMask();
    boolean segReported = false;
    boolean idReported = false;
    boolean posReported = false;
    boolean maskReported = false;
    for (int i = real; i < n; i++) {
      if (seg[i] != 0 && !segReported) {
        segReported = true;
        findings.atRow(
            Kind.PADDING,
            file,
            row,
            PackedRowFile.SEGMENT_IDS,
            i,
            "is "
                + seg[i]
                + " after padding began at "
                + real
                + "; padding must be only at the row's tail");
      }
      if (seg[i] != 0) {
        continue;
      }
      if (padId != NONE && ids[i] != padId && !idReported) {
        idReported = true;
        findings.atRow(
            Kind.PADDING,
            file,
            row,
            PackedRowFile.INPUT_IDS,
            i,
            "is " + ids[i] + " on padding; must be the pad id " + padId);
      }
      if (pos[i] != 0 && !posReported) {
        posReported = true;
        findings.atRow(
            Kind.PADDING,
            file,
            row,
            PackedRowFile.POSITION_IDS,
            i,
            "is " + pos[i] + " on padding; must be 0");
      }
      if (mask[i] != 0 && !maskReported) {
        maskReported = true;
        findings.atRow(
            Kind.PADDING,
            file,
            row,
            PackedRowFile.LOSS_MASK,
            i,
            "is " + mask[i] + " on padding; must be 0");
      }
    }
  }

  /**
   * The rules on one segment {@code [from, to)}: its mask beyond the first token, the EOS closing a
   * short segment, special ids only as sentinels. Returns whether a mask violation was recorded.
   */
  private boolean checkSegment(
      String file,
      long row,
      int segment,
      PackedRowFile.Row columns,
      int from,
      int to,
      Findings findings,
      boolean maskReported) {
    int[] ids = columns.inputIds();
    int[] mask = columns.lossMask();
    int length = to - from;
    boolean reported = false;
    if (!maskReported) {
      String problem = null;
      int at = -1;
      switch (maskRule) {
        case EVERY_TARGET:
          for (int i = from + 1; i < to && problem == null; i++) {
            if (mask[i] == 0) {
              at = i;
              problem =
                  "is 0 inside segment "
                      + segment
                      + "; must be 1 ("
                      + (sft ? "sft.train-on-prompt" : "pretraining with long docs " + longDocs)
                      + ": every real token but a segment's first is a target)";
            }
          }
          break;
        case MIDDLE_SEAM:
          int seam = -1;
          for (int i = from + 1; i < to && problem == null; i++) {
            if (mask[i] == 0) {
              if (seam >= 0) {
                at = i;
                problem =
                    "is 0 inside segment "
                        + segment
                        + " after a 0 at "
                        + seam
                        + "; truncate-middle leaves at most one context token (the seam)";
              }
              seam = i;
            }
          }
          int head = (seqLen + 1) / 2;
          if (problem == null
              && seam >= 0
              && !concat
              && (length != seqLen || seam - from != head)) {
            at = seam;
            problem =
                "is 0 at token "
                    + (seam - from)
                    + " of segment "
                    + segment
                    + " ("
                    + length
                    + " tokens); the only context token truncate-middle makes is token "
                    + head
                    + " of a segment of "
                    + seqLen;
          }
          break;
        case WINDOW_PREFIX:
          int prefix = 1;
          while (from + prefix < to && mask[from + prefix] == 0) {
            prefix++;
          }
          for (int i = from + prefix; i < to && problem == null; i++) {
            if (mask[i] == 0) {
              at = i;
              problem =
                  "is 0 after a target in segment "
                      + segment
                      + "; window context tokens must be a prefix of the segment";
            }
          }
          int overlap = seqLen - stride;
          if (problem == null && !concat && prefix != 1 && prefix != overlap) {
            at = from + prefix - 1;
            problem =
                "segment "
                    + segment
                    + " starts with "
                    + prefix
                    + " context tokens; must be 1 or the window overlap L − S = "
                    + overlap;
          }
          break;
        case FREE:
          if (sft && !concat) {
            boolean any = false;
            for (int i = from + 1; i < to && !any; i++) {
              any = mask[i] == 1;
            }
            if (!any) {
              at = from;
              problem =
                  "has no 1 in segment "
                      + segment
                      + "; every SFT segment has a target (examples without one are rejected)";
            }
          }
          break;
        default:
          throw new IllegalStateException("unhandled rule " + maskRule);
      }
      if (problem != null) {
        reported = true;
        findings.atRow(Kind.LOSS_MASK, file, row, PackedRowFile.LOSS_MASK, at, problem);
      }
    }
    if (eosEndsShortSegments() && length < seqLen && ids[to - 1] != eosId) {
      findings.atRow(
          Kind.SENTINELS,
          file,
          row,
          PackedRowFile.INPUT_IDS,
          to - 1,
          "is "
              + ids[to - 1]
              + " at the end of segment "
              + segment
              + " ("
              + length
              + " tokens < L); must be the EOS "
              + eosId
              + " (only a document's full-length chunks end without it)");
    }
    if (specialIds != null) {
      for (int i = from; i < to; i++) {
        int id = ids[i];
        if (id >= 0 && id < specialIds.length && specialIds[id]) {
          boolean sentinel = (i == from && id == bosId) || (i == to - 1 && id == eosId);
          if (!sentinel) {
            findings.atRow(
                Kind.SENTINELS,
                file,
                row,
                PackedRowFile.INPUT_IDS,
                i,
                "is special token id "
                    + id
                    + " at token "
                    + (i - from)
                    + " of segment "
                    + segment
                    + " ("
                    + length
                    + " tokens); special ids may only be the job's BOS (first) or EOS (last)"
                    + " when special tokens are kept out of text");
            break;
          }
        }
      }
    }
    return reported;
  }

  private static String value(Map<String, String> config, String key, String defaultValue) {
    String value = config.get(key);
    if (value == null) {
      if (defaultValue == null) {
        throw new IllegalArgumentException("has no '" + key + "'");
      }
      return defaultValue;
    }
    return value.trim();
  }

  private static int integer(Map<String, String> config, String key, String defaultValue, int min) {
    String value = value(config, key, defaultValue);
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + key + "' is '" + value + "'; must be an integer >= " + min);
    }
  }

  /** True for {@code second}, false for {@code first}. */
  private static boolean choice(
      Map<String, String> config, String key, String defaultValue, String first, String second) {
    String value = value(config, key, defaultValue);
    if (!value.equals(first) && !value.equals(second)) {
      throw new IllegalArgumentException(
          "'" + key + "' is '" + value + "'; must be " + first + " or " + second);
    }
    return value.equals(second);
  }
}
