package org.seqpack.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns one raw input line into a document or a counted rejection. Lines must be valid UTF-8; JSONL
 * lines must be one JSON object whose text field is a string.
 */
public final class RecordParser implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String INVALID_UTF8 = "invalid_utf8";
  public static final String INVALID_JSON = "invalid_json";
  public static final String NOT_AN_OBJECT = "not_an_object";
  public static final String MISSING_FIELD = "missing_field";
  public static final String NULL_FIELD = "null_field";
  public static final String FIELD_NOT_STRING = "field_not_string";

  private final boolean jsonl;
  private final String textField;
  private transient CharsetDecoder decoder;
  private transient JsonFactory jsonFactory;

  public RecordParser(boolean jsonl, String textField) {
    this.jsonl = jsonl;
    this.textField = textField;
  }

  /**
   * Parses {@code bytes[0, length)}, the line starting at byte {@code position} of {@code source}.
   */
  public SourceDocument parse(String source, long position, byte[] bytes, int length) {
    String line;
    try {
      line = decoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      return SourceDocument.rejected(source, position, INVALID_UTF8, lenientExcerpt(bytes, length));
    }
    return jsonl
        ? parseJson(source, position, line)
        : SourceDocument.accepted(source, position, line);
  }

  private SourceDocument parseJson(String source, long position, String line) {
    String reason;
    try (JsonParser parser = jsonFactory().createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return reject(
            source, position, line.isBlank() ? PartitionPacker.EMPTY : NOT_AN_OBJECT, line);
      }
      String text = null;
      reason = MISSING_FIELD;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(textField)) {
          if (value == JsonToken.VALUE_STRING) {
            text = parser.getText();
            reason = null;
          } else {
            text = null;
            reason = value == JsonToken.VALUE_NULL ? NULL_FIELD : FIELD_NOT_STRING;
          }
        }
        parser.skipChildren();
      }
      if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
        return reject(source, position, INVALID_JSON, line);
      }
      return reason == null
          ? SourceDocument.accepted(source, position, text)
          : reject(source, position, reason, line);
    } catch (JsonProcessingException e) {
      return reject(source, position, INVALID_JSON, line);
    } catch (IOException e) {
      throw new SeqpackException("cannot parse line at byte " + position + " of " + source, e);
    }
  }

  private static SourceDocument reject(String source, long position, String reason, String line) {
    return SourceDocument.rejected(
        source, position, reason, line.length() <= 1024 ? line : line.substring(0, 1024));
  }

  private static String lenientExcerpt(byte[] bytes, int length) {
    return new String(bytes, 0, Math.min(length, 1024), StandardCharsets.UTF_8);
  }

  private CharsetDecoder decoder() {
    if (decoder == null) {
      decoder =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
    }
    return decoder;
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
                      .maxNestingDepth(1000)
                      .build())
              .build();
    }
    return jsonFactory;
  }
}
