package org.seqpack.core;

import java.util.Locale;

/**
 * One line of the driver's progress report: what is done, how fast, and how long it should take.
 */
public final class ProgressLine {
  private ProgressLine() {}

  /**
   * @param fractionRead input bytes read so far over all input bytes (0 when unknown): the ETA
   *     assumes the rest reads at the same pace
   */
  public static String format(
      int partitionsDone,
      int partitions,
      long documents,
      long tokens,
      double elapsedSeconds,
      double fractionRead) {
    double rate = elapsedSeconds > 0 ? tokens / elapsedSeconds : 0;
    String eta;
    if (partitionsDone == partitions) {
      eta = "done";
    } else if (fractionRead > 0 && fractionRead < 1) {
      eta = "ETA " + seconds(elapsedSeconds * (1 - fractionRead) / fractionRead);
    } else {
      eta = "ETA unknown";
    }
    return String.format(
        Locale.ROOT,
        "progress: %,d/%,d partitions, %,d documents, %,d tokens (%,.0f tokens/s), %s elapsed, %s",
        partitionsDone,
        partitions,
        documents,
        tokens,
        rate,
        seconds(elapsedSeconds),
        eta);
  }

  private static String seconds(double seconds) {
    long whole = Math.round(seconds);
    return whole < 60
        ? whole + " s"
        : whole < 3600
            ? String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60)
            : String.format(Locale.ROOT, "%d h %02d min", whole / 3600, whole % 3600 / 60);
  }
}
