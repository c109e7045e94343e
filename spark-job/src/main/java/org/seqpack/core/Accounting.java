package org.seqpack.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The end-of-run checks: every document accounted for, and the share of rejections bounded. */
public final class Accounting {
  private Accounting() {}

  /**
   * Every document read is packed or rejected, every rejected one is in {@code _rejected/}, and
   * every packed token is in a row.
   */
  public static void check(PackStats total) {
    check(total, total.rowTokens, "in rows");
  }

  /**
   * As {@link #check(PackStats)}, for output that is not rows: every packed token is among the
   * {@code written} tokens of the files ({@code where} names them in the message).
   */
  public static void check(PackStats total, long written, String where) {
    if (total.documentsRead != total.documentsPacked + total.rejectedTotal()) {
      throw new SeqpackException(
          "accounting failed: "
              + total.documentsRead
              + " documents read != "
              + total.documentsPacked
              + " packed + "
              + total.rejectedTotal()
              + " rejected");
    }
    if (total.rejectedRecordsWritten != total.rejectedTotal()) {
      throw new SeqpackException(
          "accounting failed: "
              + total.rejectedTotal()
              + " documents rejected != "
              + total.rejectedRecordsWritten
              + " records written to "
              + RejectedRecord.FOLDER
              + "/");
    }
    if (total.tokens != written) {
      throw new SeqpackException(
          "accounting failed: " + total.tokens + " tokens packed != " + written + " " + where);
    }
  }

  /** Share of rejected documents above which the run still succeeds but warns. */
  public static final double WARN_REJECTED_FRACTION = 0.01;

  /**
   * Fails when more than {@code maxFraction} of the documents read were rejected, and always when
   * every document was (an output without rows is never what was asked for).
   *
   * @param maxFractionKey the option that sets {@code maxFraction}, named in the message
   */
  public static void checkRejectedFraction(
      PackStats total, double maxFraction, String maxFractionKey) {
    long rejected = total.rejectedTotal();
    if (total.documentsRead == 0) {
      return;
    }
    boolean all = rejected == total.documentsRead;
    if (all || total.rejectedFraction() > maxFraction) {
      throw new SeqpackException(
          String.format(
              Locale.ROOT,
              "%,d of %,d documents read were rejected (%.2f %%, %s); '%s' is %s%s. First"
                  + " rejected: %s. Nothing was committed",
              rejected,
              total.documentsRead,
              100.0 * total.rejectedFraction(),
              total.rejected,
              maxFractionKey,
              maxFraction,
              all ? ", and a run that rejects every document always fails" : "",
              String.join("; ", total.rejectedExamples)));
    }
  }

  /** The warnings a successful run prints and records in stats.json. */
  public static List<String> warnings(PackStats total) {
    List<String> warnings = new ArrayList<>();
    if (total.rejectedFraction() > WARN_REJECTED_FRACTION) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "%.2f %% of the documents were rejected %s (above %.0f %%; see %s/)",
              100.0 * total.rejectedFraction(),
              total.rejected,
              100.0 * WARN_REJECTED_FRACTION,
              RejectedRecord.FOLDER));
    }
    return warnings;
  }
}
