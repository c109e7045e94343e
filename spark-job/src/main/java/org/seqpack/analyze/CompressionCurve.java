package org.seqpack.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.seqpack.core.Json;
import org.seqpack.core.SeqpackException;

/**
 * A compression curve written by {@code train-tokenizer --vocab-sizes} ({@code compression.json}):
 * held-out bytes per token at increasing vocabulary sizes of one training, checked as it is read so
 * that {@code analyze --compression} fails before Spark starts.
 *
 * @param name the folder the curve was read from, naming its series in the report
 * @param path the path as given
 * @param pattern the pre-tokenizer pattern of the training, or null when the file has none
 */
public record CompressionCurve(
    String name,
    String path,
    String pattern,
    double heldOutFraction,
    long heldOutDocuments,
    List<Point> points) {

  /** The option that names curves, in error messages. */
  public static final String OPTION = "--compression";

  /** One size of the curve, as {@code compression.json} writes it. */
  public record Point(int vocabSize, int merges, long bytes, long tokens, double bytesPerToken) {}

  public CompressionCurve {
    points = List.copyOf(points);
  }

  /**
   * Parses and checks one {@code compression.json}: an object with a non-empty {@code points}
   * array; sizes strictly increasing; bytes, tokens and bytes/token positive and consistent.
   */
  public static CompressionCurve parse(String name, String path, byte[] json) {
    JsonNode root;
    try {
      root = Json.parse(json);
    } catch (IOException e) {
      throw problem(path, "is not valid JSON: " + Json.describe(e));
    }
    if (!root.isObject()) {
      throw problem(path, "must hold a JSON object, but holds " + kind(root));
    }
    JsonNode points = root.get("points");
    if (points == null || !points.isArray() || points.isEmpty()) {
      throw problem(path, "must have a non-empty array 'points' (train-tokenizer --vocab-sizes)");
    }
    List<Point> parsed = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      JsonNode point = points.get(i);
      String where = "points[" + i + "]";
      if (!point.isObject()) {
        throw problem(path, where + " must be an object, but is " + kind(point));
      }
      long vocabSize = integer(path, point, where, "vocab_size", 1);
      long merges = integer(path, point, where, "merges", 0);
      long bytes = integer(path, point, where, "bytes", 1);
      long tokens = integer(path, point, where, "tokens", 1);
      if (vocabSize > Integer.MAX_VALUE || merges > Integer.MAX_VALUE) {
        throw problem(path, where + " has a size over " + Integer.MAX_VALUE);
      }
      JsonNode ratio = point.get("bytes_per_token");
      if (ratio == null || !ratio.isNumber() || !(ratio.asDouble() > 0)) {
        throw problem(
            path, where + ".bytes_per_token is " + ratio + "; must be a number greater than 0");
      }
      // Written as bytes ÷ tokens: a mismatch means the file was edited or is of another kind.
      double expected = (double) bytes / tokens;
      if (Math.abs(ratio.asDouble() - expected) > 1e-6 * expected) {
        throw problem(
            path,
            where
                + ".bytes_per_token is "
                + ratio.asDouble()
                + "; must be bytes ÷ tokens = "
                + expected);
      }
      if (!parsed.isEmpty() && vocabSize <= parsed.get(parsed.size() - 1).vocabSize()) {
        throw problem(
            path,
            where
                + ".vocab_size is "
                + vocabSize
                + "; must be greater than the previous point's "
                + parsed.get(parsed.size() - 1).vocabSize()
                + " (sizes strictly increasing)");
      }
      parsed.add(new Point((int) vocabSize, (int) merges, bytes, tokens, ratio.asDouble()));
    }
    JsonNode pattern = root.get("pattern");
    JsonNode fraction = root.get("held_out_fraction");
    JsonNode documents = root.get("held_out_documents");
    return new CompressionCurve(
        name,
        path,
        pattern != null && pattern.isTextual() ? pattern.asText() : null,
        fraction != null && fraction.isNumber() ? fraction.asDouble() : 0,
        documents != null && documents.canConvertToLong() ? documents.asLong() : 0,
        parsed);
  }

  /** The curve as {@code analysis.json} lists it under {@code compression_curves}. */
  public ObjectNode toJson() {
    ObjectNode node = Json.object();
    node.put("name", name);
    node.put("path", path);
    if (pattern == null) {
      node.putNull("pattern");
    } else {
      node.put("pattern", pattern);
    }
    node.put("held_out_fraction", heldOutFraction);
    node.put("held_out_documents", heldOutDocuments);
    ArrayNode array = node.putArray("points");
    for (Point point : points) {
      ObjectNode entry = array.addObject();
      entry.put("vocab_size", point.vocabSize());
      entry.put("merges", point.merges());
      entry.put("bytes", point.bytes());
      entry.put("tokens", point.tokens());
      entry.put("bytes_per_token", point.bytesPerToken());
    }
    return node;
  }

  private static long integer(String path, JsonNode point, String where, String field, long min) {
    JsonNode value = point.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw problem(path, where + "." + field + " is " + value + "; must be an integer");
    }
    if (value.asLong() < min) {
      throw problem(
          path, where + "." + field + " is " + value.asLong() + "; must be at least " + min);
    }
    return value.asLong();
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** A problem with one file: {@code '--compression' is 'PATH'; PROBLEM}. */
  public static SeqpackException problem(String path, String problem) {
    return new SeqpackException("'" + OPTION + "' is '" + path + "'; " + problem);
  }
}
