package org.seqpack.core;

/**
 * Turns one accepted input record into chunks ready for packing, or names why it is rejected.
 * Implementations are thread-safe and hold only serializable configuration plus per-JVM state.
 */
@FunctionalInterface
public interface DocumentEncoder {

  /**
   * @param document an accepted record (its text is not null)
   * @param ordinal the document's position within its partition, for chunk identity
   */
  Result encode(SourceDocument document, long ordinal);

  /** Either chunks (possibly none, when the long-document policy dropped them) or a rejection. */
  record Result(ChunkedDocument chunked, String rejection) {
    public static Result of(ChunkedDocument chunked) {
      return new Result(chunked, null);
    }

    public static Result rejected(String reason) {
      return new Result(null, reason);
    }
  }
}
