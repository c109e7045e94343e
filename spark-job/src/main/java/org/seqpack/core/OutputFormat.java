package org.seqpack.core;

/** What the job writes (docs/FORMAT.md): packed rows, or documents as flat token files. */
public enum OutputFormat {
  /** Rows of exactly L tokens with segment, position and loss-mask columns (Parquet). */
  PARQUET("packed-rows/1"),
  /** Megatron-LM indexed datasets: a {@code .bin} + {@code .idx} pair per partition. */
  MEGATRON("megatron-indexed/1"),
  /** llm.c token shards: 256-int32 header, then the tokens. */
  LLMC("llmc-shards/1");

  private final String version;

  OutputFormat(String version) {
    this.version = version;
  }

  /** The format's name and version, as stats.json and {@code _manifest.json} record them. */
  public String version() {
    return version;
  }

  public String configName() {
    return ConfigNames.of(this);
  }

  /** Whether the output is rows (packing applies) rather than documents. */
  public boolean rows() {
    return this == PARQUET;
  }
}
