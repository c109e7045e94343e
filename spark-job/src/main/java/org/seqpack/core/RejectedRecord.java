package org.seqpack.core;

/**
 * One line of a {@code _rejected/part-NNNNN.jsonl} file: {@code {"source", "position", "reason",
 * "excerpt"}}. Every character of the excerpt survives: control characters, U+2028/U+2029 and any
 * unpaired surrogate are written as {@code \\u} escapes, never replaced.
 */
public final class RejectedRecord {
  /** Folder of rejected records, in staging and in the output. */
  public static final String FOLDER = "_rejected";

  private RejectedRecord() {}

  /** The JSON object for a rejected record, without line end. */
  public static String jsonLine(SourceDocument record) {
    StringBuilder out = new StringBuilder(64 + lengthOf(record.excerpt()));
    out.append("{\"source\":");
    string(out, record.source());
    out.append(",\"position\":").append(record.position());
    out.append(",\"reason\":");
    string(out, record.rejection());
    out.append(",\"excerpt\":");
    string(out, trimmed(record.excerpt()));
    return out.append('}').toString();
  }

  private static int lengthOf(String text) {
    return text == null ? 4 : text.length() + 16;
  }

  /** An excerpt cut inside a surrogate pair loses the orphaned half. */
  private static String trimmed(String excerpt) {
    if (excerpt != null
        && !excerpt.isEmpty()
        && Character.isHighSurrogate(excerpt.charAt(excerpt.length() - 1))) {
      return excerpt.substring(0, excerpt.length() - 1);
    }
    return excerpt;
  }

  private static void string(StringBuilder out, String text) {
    if (text == null) {
      out.append("null");
      return;
    }
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean paired =
              Character.isHighSurrogate(c)
                      && i + 1 < text.length()
                      && Character.isLowSurrogate(text.charAt(i + 1))
                  || Character.isLowSurrogate(c)
                      && i > 0
                      && Character.isHighSurrogate(text.charAt(i - 1));
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c) && !paired) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
