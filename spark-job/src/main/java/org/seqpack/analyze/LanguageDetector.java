package org.seqpack.analyze;

/** Names the language of a text: an ISO 639-1 code, or {@link #UNKNOWN}. Thread-safe. */
@FunctionalInterface
public interface LanguageDetector {
  /** The code of texts whose language is not identified. */
  String UNKNOWN = "und";

  String detect(String text);
}
