package org.seqpack.core;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The project's JSON setup (Jackson) for whole documents: bounded parsing of files handed in, and
 * output byte-identical to what the job wrote with Gson before.
 */
public final class Json {
  // Files handed in (tokenizer.json up to ~11 MB of small strings, tokenizer_config.json,
  // stats.json, footers, rejected records) may be hostile: bound them where they are parsed.
  // (Checked here rather than with StreamReadConstraints.maxDocumentLength, which Jackson 2.15, the
  // one Spark 3.5 ships, lacks.)
  private static final long MAX_DOCUMENT_BYTES = 512L << 20; // far above any tokenizer.json

  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxStringLength(32 << 20) // chat templates and charsmaps are far below this
          .maxNestingDepth(200) // tokenizer.json nests about 10 deep
          .build();

  private static final JsonMapper MAPPER =
      JsonMapper.builder(
              new JsonFactoryBuilder()
                  .streamReadConstraints(LIMITS)
                  .characterEscapes(new GsonEscapes())
                  .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final ObjectWriter PRETTY = MAPPER.writer(new GsonLayout());

  private Json() {}

  /** Parses one JSON document (exactly one value, nothing after it). */
  public static JsonNode parse(byte[] json) throws IOException {
    checkLength(json.length);
    return MAPPER.readTree(json);
  }

  /** Parses one JSON document (exactly one value, nothing after it). */
  public static JsonNode parse(String json) throws IOException {
    checkLength(json.length());
    return MAPPER.readTree(json);
  }

  private static void checkLength(long length) throws IOException {
    if (length > MAX_DOCUMENT_BYTES) {
      throw new IOException(
          "document is " + length + " long; must be at most " + MAX_DOCUMENT_BYTES);
    }
  }

  /** A parse or read failure in one line: the problem and, when known, where it is. */
  public static String describe(IOException e) {
    if (e instanceof JsonProcessingException json && json.getLocation() != null) {
      return json.getOriginalMessage()
          + " at line "
          + json.getLocation().getLineNr()
          + " column "
          + json.getLocation().getColumnNr();
    }
    return e.getMessage();
  }

  /** An empty object whose fields keep their insertion order. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** A value as a tree (a number as its JSON number). */
  public static JsonNode tree(Object value) {
    return MAPPER.valueToTree(value);
  }

  /** A tree as an object of {@code type} (public fields and records); unknown fields fail. */
  public static <T> T convert(JsonNode json, Class<T> type) throws IOException {
    try {
      return MAPPER.treeToValue(json, type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new IOException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Compact JSON, as Gson's {@code JsonElement.toString()} wrote it. */
  public static String compact(JsonNode json) {
    try {
      return MAPPER.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Compact JSON in UTF-8. */
  public static byte[] compactBytes(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Pretty JSON laid out as Gson's {@code setPrettyPrinting()} did. */
  public static String pretty(JsonNode json) {
    try {
      return PRETTY.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Gson's pretty printing: 2-space indent, {@code "key": value}, one array element per line, and
   * {@code {}} and {@code []} for empty ones. Written against the methods Jackson 2.15 (Spark 3.5)
   * and 2.21 (Spark 4.2) share.
   */
  private static final class GsonLayout extends DefaultPrettyPrinter {
    private static final long serialVersionUID = 1L;

    GsonLayout() {
      indentObjectsWith(new DefaultIndenter("  ", "\n"));
      indentArraysWith(new DefaultIndenter("  ", "\n"));
    }

    @Override
    public GsonLayout createInstance() {
      return new GsonLayout();
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
      close(g, _objectIndenter, entries, '}');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
      close(g, _arrayIndenter, values, ']');
    }

    /** Like Jackson's, but nothing between the brackets of an empty one. */
    private void close(JsonGenerator g, Indenter indenter, int count, char bracket)
        throws IOException {
      if (!indenter.isInline()) {
        --_nesting;
      }
      if (count > 0) {
        indenter.writeIndentation(g, _nesting);
      }
      g.writeRaw(bracket);
    }
  }

  /**
   * Gson's string escapes (without HTML escaping, which neither {@code JsonElement.toString()} nor
   * the report's writer used): JSON's own, lower-case hex, and U+2028 and U+2029, which JavaScript
   * does not allow raw in strings.
   */
  private static final class GsonEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private static final SerializedString LINE_SEPARATOR = new SerializedString("\\u2028");
    private static final SerializedString PARAGRAPH_SEPARATOR = new SerializedString("\\u2029");

    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      if (ch == 0x2028) {
        return LINE_SEPARATOR;
      }
      return ch == 0x2029 ? PARAGRAPH_SEPARATOR : null;
    }
  }
}
