package org.seqpack.analyze;

import java.util.ArrayList;
import java.util.List;
import org.seqpack.core.BestFitDecreasing;
import org.seqpack.core.Chunk;
import org.seqpack.core.PackedRow;
import org.seqpack.core.RowRepair;

/**
 * Rows that the job's packer makes from a multiset of chunk lengths: {@link BestFitDecreasing},
 * then {@link RowRepair} (the job's defaults, {@code --packing bfd --repair true}), over windows of
 * at most {@code windowTokens} tokens as the job packs them. The chunks of each length are dealt
 * round-robin over the windows, so each window holds the same mix of lengths; the job's windows
 * hold documents in input order, so its rows can differ from these by the partly filled rows of its
 * windows. Also the attention cost of the rows: Σ nᵢ² over the segments of each row with document
 * masking, L² per row with full causal attention (both count query × key pairs of a square; halve
 * for the causal triangle, the ratio does not change).
 */
public final class PackingSimulation {
  private PackingSimulation() {}

  /** Rows and their attention cost. */
  public record Result(
      long chunks,
      long tokens,
      long rowsBestFit,
      long rows,
      long lowerBound,
      double fill,
      double maskedPairs,
      double causalPairs) {}

  /**
   * Packs {@code chunkLengths[n]} chunks of n tokens (n from 1 to L) into rows of {@code seqLen}.
   */
  public static Result pack(long[] chunkLengths, int seqLen, long windowTokens) {
    long chunks = 0;
    long tokens = 0;
    for (int n = 1; n < chunkLengths.length; n++) {
      chunks += chunkLengths[n];
      tokens += chunkLengths[n] * n;
    }
    if (chunks == 0) {
      return new Result(0, 0, 0, 0, 0, 0, 0, 0);
    }
    long windows = Math.max(1, (tokens + windowTokens - 1) / windowTokens);
    // One array of L tokens backs every chunk: the packer reads lengths only.
    int[] shared = new int[seqLen];
    long rowsBestFit = 0;
    long rows = 0;
    double masked = 0;
    BestFitDecreasing packer = new BestFitDecreasing();
    RowRepair repair = new RowRepair();
    for (long w = 0; w < windows; w++) {
      List<Chunk> window = new ArrayList<>();
      // Where this length's run starts in the global round-robin deal (the same for every w).
      long cursor = 0;
      for (int n = 1; n < chunkLengths.length; n++) {
        long count = chunkLengths[n];
        // Window w takes chunks cursor+w, cursor+w+windows, ... of this length's run.
        long share = count / windows;
        long first = Math.floorMod(w - cursor, windows);
        if (first < count % windows) {
          share++;
        }
        for (long k = 0; k < share; k++) {
          window.add(new Chunk(shared, null, 0, n, window.size()));
        }
        cursor = (cursor + count) % windows;
      }
      if (window.isEmpty()) {
        continue;
      }
      List<PackedRow> packed = packer.pack(window, seqLen, Integer.MAX_VALUE);
      rowsBestFit += packed.size();
      List<PackedRow> repaired = repair.repair(packed, seqLen, Integer.MAX_VALUE, 0L);
      rows += repaired.size();
      for (PackedRow row : repaired) {
        for (Chunk segment : row.segments()) {
          masked += (double) segment.length() * segment.length();
        }
      }
    }
    return new Result(
        chunks,
        tokens,
        rowsBestFit,
        rows,
        (tokens + seqLen - 1) / seqLen,
        (double) tokens / ((double) rows * seqLen),
        masked,
        (double) rows * seqLen * seqLen);
  }
}
