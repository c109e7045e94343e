package org.seqpack.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Turns one raw input record into a document or a counted rejection. Bytes are checked as UTF-8
 * first: ill-formed sequences are replaced by U+FFFD (and the document marked) or the record is
 * rejected as {@code invalid_utf8}. JSONL lines must be one JSON object whose text field is a
 * string; its lone surrogate escapes are treated like invalid UTF-8 (reason {@code
 * lone_surrogate}). A record is decoded straight from its bytes into one {@code String}.
 */
public final class RecordParser implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_UTF8 = "invalid_utf8";
  public static final String LONE_SURROGATE = "lone_surrogate";
  public static final String INVALID_JSON = "invalid_json";
  public static final String NOT_AN_OBJECT = "not_an_object";
  public static final String MISSING_FIELD = "missing_field";
  public static final String NULL_FIELD = "null_field";
  public static final String FIELD_NOT_STRING = "field_not_string";

  /** Reason for the unreadable rest of a corrupt or truncated file (with corrupt-files skip). */
  public static final String CORRUPT_FILE = "corrupt_file";

  /** Bytes of a rejected record kept as its excerpt. */
  public static final int EXCERPT_BYTES = 1024;

  /** Nesting deeper than this is invalid JSON (Jackson stops there, without recursion). */
  public static final int MAX_JSON_DEPTH = 1000;

  private final boolean jsonl;
  private final String textField;
  private final boolean rejectInvalidUtf8;
  private final String groupField;
  private transient JsonFactory jsonFactory;

  /** A strict parser: invalid UTF-8 is rejected. */
  public RecordParser(boolean jsonl, String textField) {
    this(jsonl, textField, true);
  }

  /**
   * @param jsonl parse each record as a JSON object and take {@code textField}; else the whole
   *     record is the text
   * @param rejectInvalidUtf8 reject records with invalid UTF-8 (or lone surrogates) instead of
   *     replacing them by U+FFFD
   */
  public RecordParser(boolean jsonl, String textField, boolean rejectInvalidUtf8) {
    this(jsonl, textField, rejectInvalidUtf8, null);
  }

  /**
   * As above; for JSONL also keeps the string value of {@code groupField} as the document's {@link
   * SourceDocument#group} (empty when the record lacks it as a string; null field: not read).
   */
  public RecordParser(
      boolean jsonl, String textField, boolean rejectInvalidUtf8, String groupField) {
    this.jsonl = jsonl;
    this.textField = textField;
    this.rejectInvalidUtf8 = rejectInvalidUtf8;
    this.groupField = groupField;
  }

  /**
   * Parses {@code bytes[0, length)}, the record at {@code position} (byte offset of a line, or row
   * index) of {@code source}.
   */
  public SourceDocument parse(String source, long position, byte[] bytes, int length) {
    int repairs = 0;
    byte[] valid = bytes;
    int validLength = length;
    if (Utf8.firstInvalid(bytes, 0, length) >= 0) {
      if (rejectInvalidUtf8) {
        return SourceDocument.rejected(source, position, INVALID_UTF8, excerpt(bytes, length));
      }
      valid = Utf8.repair(bytes, 0, length);
      validLength = valid.length;
      repairs = SourceDocument.INVALID_UTF8_REPLACED;
    }
    if (!jsonl) {
      // Well-formed now, so the JDK decodes without replacing; ASCII takes its copy-only path.
      return SourceDocument.accepted(
          source, position, new String(valid, 0, validLength, StandardCharsets.UTF_8), repairs);
    }
    return parseJson(source, position, valid, validLength, repairs);
  }

  private SourceDocument parseJson(
      String source, long position, byte[] bytes, int length, int repairs) {
    try (JsonParser parser = jsonFactory().createParser(bytes, 0, length)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return reject(source, position, EncodedDocuments.EMPTY, bytes, length, repairs);
      }
      if (first != JsonToken.START_OBJECT) {
        return reject(source, position, NOT_AN_OBJECT, bytes, length, repairs);
      }
      long textAt = -1;
      String reason = MISSING_FIELD;
      String group = groupField == null ? null : "";
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(groupField)) {
          group = value == JsonToken.VALUE_STRING ? parser.getText() : "";
        }
        if (name.equals(textField)) {
          if (value == JsonToken.VALUE_STRING) {
            // Only the position: the parser skips the string without building it.
            textAt = parser.currentTokenLocation().getByteOffset();
            reason = null;
          } else {
            textAt = -1;
            reason = value == JsonToken.VALUE_NULL ? NULL_FIELD : FIELD_NOT_STRING;
          }
        }
        parser.skipChildren();
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return reject(source, position, INVALID_JSON, bytes, length, repairs);
      }
      if (reason != null) {
        return reject(source, position, reason, bytes, length, repairs);
      }
      JsonStrings.Decoded text = JsonStrings.decode(bytes, (int) textAt, length);
      if (text.loneSurrogates() > 0) {
        if (rejectInvalidUtf8) {
          return reject(source, position, LONE_SURROGATE, bytes, length, repairs);
        }
        repairs |= SourceDocument.LONE_SURROGATES_REPLACED;
      }
      return new SourceDocument(source, position, text.text(), null, null, repairs, group);
    } catch (JsonProcessingException e) {
      return reject(source, position, INVALID_JSON, bytes, length, repairs);
    } catch (IOException e) {
      throw new SeqpackException("cannot parse line at byte " + position + " of " + source, e);
    }
  }

  private static SourceDocument reject(
      String source, long position, String reason, byte[] bytes, int length, int repairs) {
    return new SourceDocument(source, position, null, reason, excerpt(bytes, length), repairs);
  }

  private static String excerpt(byte[] bytes, int length) {
    return Utf8.excerpt(bytes, 0, length, EXCERPT_BYTES);
  }

  private JsonFactory jsonFactory() {
    if (jsonFactory == null) {
      // Documents may be long strings; nesting stays bounded so hostile input cannot recurse
      // deeply.
      jsonFactory =
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxStringLength(Integer.MAX_VALUE)
                      .maxNestingDepth(MAX_JSON_DEPTH)
                      .build())
              .build();
    }
    return jsonFactory;
  }
}
