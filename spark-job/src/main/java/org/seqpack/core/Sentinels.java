package org.seqpack.core;

import java.io.Serializable;

/**
 * The token ids the job itself adds: BOS before each document and EOS after it ({@link #NONE} when
 * not added), and the padding id.
 */
public record Sentinels(int bos, int eos, int pad) implements Serializable {
  public static final int NONE = -1;

  public Sentinels {
    if (pad < 0) {
      throw new IllegalArgumentException("pad id is " + pad + "; must be >= 0");
    }
  }

  /** {@code ids} with BOS prepended and EOS appended as configured. */
  public int[] wrap(int[] ids) {
    int extra = (bos != NONE ? 1 : 0) + (eos != NONE ? 1 : 0);
    if (extra == 0) {
      return ids;
    }
    int[] out = new int[ids.length + extra];
    int at = 0;
    if (bos != NONE) {
      out[at++] = bos;
    }
    System.arraycopy(ids, 0, out, at, ids.length);
    if (eos != NONE) {
      out[out.length - 1] = eos;
    }
    return out;
  }
}
