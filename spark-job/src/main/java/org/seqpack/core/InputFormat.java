package org.seqpack.core;

import java.util.Locale;

/** How input files hold documents. */
public enum InputFormat {
  /** One document per line. */
  TEXT,
  /** One JSON object per line; the document is a string field. */
  JSONL,
  /** A string column of Parquet files. */
  PARQUET;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
