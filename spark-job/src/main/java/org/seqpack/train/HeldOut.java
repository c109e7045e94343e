package org.seqpack.train;

import java.nio.charset.StandardCharsets;

/**
 * Which documents are held out of training to measure compression: a hash of the document's file
 * name and position, so the choice depends neither on partitioning, nor on the order of reading,
 * nor on the folder the files are in.
 */
public final class HeldOut {
  private HeldOut() {}

  /** Whether the document at {@code source}, {@code position} is in the held-out fraction. */
  public static boolean contains(String source, long position, double fraction) {
    if (fraction <= 0) {
      return false;
    }
    long h = 0xcbf29ce484222325L; // FNV-1a over the source, then a 64-bit finalizer
    String name = source.substring(source.lastIndexOf('/') + 1);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= position * 0x9e3779b97f4a7c15L;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return (h >>> 11) * 0x1.0p-53 < fraction;
  }
}
