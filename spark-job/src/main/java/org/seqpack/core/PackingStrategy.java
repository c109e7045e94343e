package org.seqpack.core;

/** How chunks are placed into rows, by configuration name ({@code bfd}, {@code ffd}, ...). */
public enum PackingStrategy {
  /** Best-fit decreasing: fewest rows in practice; O(n log n). */
  BFD(new BestFitDecreasing()),
  /** First-fit decreasing: leftmost row with room after sorting longest first; O(n log n). */
  FFD(new FirstFitDecreasing()),
  /** First-fit in arrival order, no sorting; O(n log n). */
  FIRST_FIT(new FirstFit()),
  /** Concatenate then cut every L tokens; rows full, documents cut across rows. */
  CONCAT(new ConcatPacker()),
  /** One chunk per row, padded. */
  NONE(new OnePerRow());

  private final Packer packer;

  PackingStrategy(Packer packer) {
    this.packer = packer;
  }

  /**
   * The strategy named {@code value} as written in configuration ({@code bfd}, {@code ffd}, {@code
   * first-fit}, {@code concat}, {@code none}); case and {@code -}/{@code _} do not matter.
   *
   * @throws IllegalArgumentException naming the valid names when {@code value} is none of them
   */
  public static PackingStrategy fromName(String value) {
    return ConfigNames.parse(PackingStrategy.class, value, "packing strategy");
  }

  public String configName() {
    return ConfigNames.of(this);
  }

  /** The packer; packers hold no state, so one instance serves every thread. */
  public Packer packer() {
    return packer;
  }
}
