package org.seqpack.verify;

import java.util.Arrays;
import org.seqpack.config.JobOptions;
import org.seqpack.verify.Findings.Kind;

/**
 * Checks rows one at a time against a {@link RowContract}, recording violations; it reuses scratch
 * arrays from row to row, so one checker serves one thread.
 */
final class RowChecker {
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

  private final RowContract contract;
  private final Findings findings;

  // Scratch: the lengths of the row's segments (runs of equal segment ids), for checkSeqLens.
  private int[] segmentLengths = new int[16];

  /** Ids that only the job may place (as BOS first or EOS last in a segment); null: unchecked. */
  private boolean[] specialIds;

  // The row being checked, for the findings.
  private String file;
  private long row;

  RowChecker(RowContract contract, Findings findings) {
    this.contract = contract;
    this.findings = findings;
  }

  /**
   * Checks that special-token ids appear only where the job puts sentinels: the BOS as a segment's
   * first token, the EOS as its last (pretraining with special tokens kept out of text only).
   */
  void checkSpecialIds(boolean[] special) {
    if (!contract.sentinelsKnown() || contract.sft() || contract.specialTokensInText()) {
      throw new IllegalStateException(
          "special ids are checked only for pretraining with known"
              + " sentinels and special tokens kept out of text");
    }
    this.specialIds = special;
  }

  boolean checksSpecialIds() {
    return specialIds != null;
  }

  /** Checks one row; records violations and adds the row to {@code totals}. */
  void check(String file, long row, PackedRowFile.Row columns, Totals totals, SegmentSink sink) {
    this.file = file;
    this.row = row;
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
      report(
          Kind.ROW_LENGTH,
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
    checkLength(n, real);
    checkPadding(columns, n, real);
    if (real == 0) {
      report(Kind.SEGMENT_IDS, PackedRowFile.SEGMENT_IDS, 0, "is 0: the row holds no real token");
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
          maskReported |= checkSegment(segments, columns, start, i, maskReported);
          if (segmentIdsOk) {
            sink.segment(file, row, segments, ids, start, i);
          }
        }
        segments++;
        start = i;
        if (segmentIdsOk && seg[i] != segments) {
          segmentIdsOk = false;
          report(
              Kind.SEGMENT_IDS,
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
        if (!contract.continuousPositions() && pos[i] != 0 && !positionReported) {
          positionReported = true;
          report(
              Kind.POSITION_IDS,
              PackedRowFile.POSITION_IDS,
              i,
              "is " + pos[i] + " on the first token of segment " + segments + "; must be 0");
        }
        if (mask[i] != 0 && !maskReported) {
          maskReported = true;
          report(
              Kind.LOSS_MASK,
              PackedRowFile.LOSS_MASK,
              i,
              "is "
                  + mask[i]
                  + " on the first token of segment "
                  + segments
                  + "; must be 0 (nothing in the row predicts it)");
        }
      } else {
        if (!contract.continuousPositions() && pos[i] != pos[i - 1] + 1 && !positionReported) {
          positionReported = true;
          report(
              Kind.POSITION_IDS,
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
          report(Kind.LOSS_MASK, PackedRowFile.LOSS_MASK, i, "is " + mask[i] + "; must be 0 or 1");
        }
      }
      if (contract.continuousPositions() && pos[i] != i && !positionReported) {
        positionReported = true;
        report(
            Kind.POSITION_IDS,
            PackedRowFile.POSITION_IDS,
            i,
            "is " + pos[i] + "; must be " + i + " (pack.positions continuous)");
      }
    }
    if (real > 0) {
      segmentLength(segments, real - start);
      checkSegment(segments, columns, start, real, maskReported);
      if (segmentIdsOk) {
        sink.segment(file, row, segments, ids, start, real);
      }
    }
    checkSeqLens(columns, segments);
    if (columns.numTokens != real) {
      report(
          Kind.NUM_TOKENS,
          "num_tokens is "
              + columns.numTokens
              + "; the row has "
              + real
              + " real tokens (segment_ids ≠ 0)");
    }
    if (columns.numSegments != segments) {
      report(
          Kind.NUM_SEGMENTS,
          "num_segments is " + columns.numSegments + "; the row has " + segments + " segments");
    }
    if (contract.maxSegments() > 0 && segments > contract.maxSegments()) {
      report(
          Kind.NUM_SEGMENTS,
          "the row has "
              + segments
              + " segments; must be at most "
              + contract.maxSegments()
              + " (pack.max-segments-per-row)");
    }
  }

  /** Records the length of the row's segment number {@code segment} (1-based). */
  private void segmentLength(int segment, int length) {
    if (segment > segmentLengths.length) {
      segmentLengths = Arrays.copyOf(segmentLengths, segment * 2);
    }
    segmentLengths[segment - 1] = length;
  }

  /**
   * {@code seq_lens} is present exactly when the configuration asks for it, and then holds the
   * length of each run of equal segment ids before the padding, in order.
   */
  private void checkSeqLens(PackedRowFile.Row columns, int segments) {
    if (columns.hasSeqLens != contract.seqLens()) {
      report(
          Kind.SEQ_LENS,
          columns.hasSeqLens
              ? "the file has a seq_lens column; output.emit-seq-lens is false"
              : "the file has no seq_lens column; output.emit-seq-lens is true");
      return;
    }
    if (!contract.seqLens()) {
      return;
    }
    int count = columns.lengths[PackedRowFile.SEQ_LENS_LIST];
    if (!Arrays.equals(columns.seqLens(), 0, count, segmentLengths, 0, segments)) {
      report(
          Kind.SEQ_LENS,
          "seq_lens is "
              + Arrays.toString(Arrays.copyOf(columns.seqLens(), count))
              + "; the segments in segment_ids have lengths "
              + Arrays.toString(Arrays.copyOf(segmentLengths, segments)));
    }
  }

  private void checkLength(int n, int real) {
    int seqLen = contract.seqLen();
    if (!contract.variableRows()) {
      if (n != seqLen) {
        report(
            Kind.ROW_LENGTH,
            "arrays have length " + n + "; must be " + seqLen + " (pack.seq-len, fixed rows)");
      }
      return;
    }
    int multiple = contract.padToMultipleOf();
    int expected = (real + multiple - 1) / multiple * multiple;
    if (n != expected || n > seqLen) {
      report(
          Kind.ROW_LENGTH,
          "arrays have length "
              + n
              + " for "
              + real
              + " real tokens; must be "
              + expected
              + " (variable rows: real tokens rounded up to a multiple of "
              + multiple
              + ", at most "
              + seqLen
              + ")");
    }
  }

  private void checkPadding(PackedRowFile.Row columns, int n, int real) {
    int[] ids = columns.inputIds();
    int[] seg = columns.segmentIds();
    int[] pos = columns.positionIds();
    int[] mask = columns.lossMask();
    int padId = contract.padId();
    boolean segReported = false;
    boolean idReported = false;
    boolean posReported = false;
    boolean maskReported = false;
    for (int i = real; i < n; i++) {
      if (seg[i] != 0 && !segReported) {
        segReported = true;
        report(
            Kind.PADDING,
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
      if (padId != RowContract.NONE && ids[i] != padId && !idReported) {
        idReported = true;
        report(
            Kind.PADDING,
            PackedRowFile.INPUT_IDS,
            i,
            "is " + ids[i] + " on padding; must be the pad id " + padId);
      }
      if (pos[i] != 0 && !posReported) {
        posReported = true;
        report(
            Kind.PADDING, PackedRowFile.POSITION_IDS, i, "is " + pos[i] + " on padding; must be 0");
      }
      if (mask[i] != 0 && !maskReported) {
        maskReported = true;
        report(
            Kind.PADDING, PackedRowFile.LOSS_MASK, i, "is " + mask[i] + " on padding; must be 0");
      }
    }
  }

  /**
   * The rules on one segment {@code [from, to)}: its mask beyond the first token, the EOS closing a
   * short segment, special ids only as sentinels. Returns whether a mask violation was recorded.
   */
  private boolean checkSegment(
      int segment, PackedRowFile.Row columns, int from, int to, boolean maskReported) {
    int[] ids = columns.inputIds();
    int length = to - from;
    boolean reported = false;
    if (!maskReported) {
      reported = checkMask(segment, columns.lossMask(), from, to);
    }
    int eosId = contract.eosId();
    if (contract.eosEndsShortSegments() && length < contract.seqLen() && ids[to - 1] != eosId) {
      report(
          Kind.SENTINELS,
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
          boolean sentinel = (i == from && id == contract.bosId()) || (i == to - 1 && id == eosId);
          if (!sentinel) {
            report(
                Kind.SENTINELS,
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

  /** The mask rule on segment {@code [from, to)} beyond its first token; whether it reported. */
  private boolean checkMask(int segment, int[] mask, int from, int to) {
    int seqLen = contract.seqLen();
    int length = to - from;
    String problem = null;
    int at = -1;
    switch (contract.maskRule()) {
      case EVERY_TARGET:
        for (int i = from + 1; i < to && problem == null; i++) {
          if (mask[i] == 0) {
            at = i;
            problem =
                "is 0 inside segment "
                    + segment
                    + "; must be 1 ("
                    + (contract.sft()
                        ? JobOptions.TRAIN_ON_PROMPT.key()
                        : "pretraining with long docs " + contract.longDocs())
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
            && !contract.concat()
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
        int overlap = seqLen - contract.stride();
        if (problem == null && !contract.concat() && prefix != 1 && prefix != overlap) {
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
        if (contract.sft() && !contract.concat()) {
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
        throw new IllegalStateException("unhandled rule " + contract.maskRule());
    }
    if (problem == null) {
      return false;
    }
    report(Kind.LOSS_MASK, PackedRowFile.LOSS_MASK, at, problem);
    return true;
  }

  private void report(Kind kind, String column, int index, String message) {
    findings.atRow(kind, file, row, column, index, message);
  }

  private void report(Kind kind, String message) {
    findings.atRow(kind, file, row, message);
  }
}
