package org.seqpack.spark;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the job's Parquet output with DuckDB, an implementation independent of Spark's. */
final class OutputReader {
  /** One row as DuckDB returns it. */
  record Row(
      String file,
      int[] inputIds,
      int[] segmentIds,
      int[] positionIds,
      int[] lossMask,
      int numTokens,
      int numSegments) {}

  private OutputReader() {}

  static List<Row> rows(Path output) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT filename, input_ids, segment_ids, position_ids, loss_mask, num_tokens,"
                    + " num_segments FROM read_parquet('"
                    + output.resolve("*.parquet")
                    + "', filename = true) ORDER BY filename, file_row_number")) {
      while (result.next()) {
        rows.add(
            new Row(
                result.getString(1),
                ints(result.getArray(2)),
                ints(result.getArray(3)),
                ints(result.getArray(4)),
                ints(result.getArray(5)),
                result.getInt(6),
                result.getInt(7)));
      }
    }
    return rows;
  }

  /**
   * Rows whose {@code seq_lens} is not, in DuckDB's own SQL, the list of the lengths of segments
   * 1..k counted in {@code segment_ids} (k = {@code num_segments}), or does not sum to {@code
   * num_tokens}.
   */
  static long seqLensMismatches(Path output) throws SQLException {
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT count(*) FROM read_parquet('"
                    + output.resolve("*.parquet")
                    + "') WHERE seq_lens IS DISTINCT FROM list_transform(range(1, num_segments +"
                    + " 1), lambda s: len(list_filter(segment_ids, lambda x: x = s)))"
                    + " OR list_sum(seq_lens) IS DISTINCT FROM num_tokens")) {
      result.next();
      return result.getLong(1);
    }
  }

  /** Key-value footer metadata of every file: file name to (key to value). */
  static Map<String, Map<String, String>> footers(Path output) throws SQLException {
    Map<String, Map<String, String>> footers = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT file_name, decode(key), decode(value) FROM parquet_kv_metadata('"
                    + output.resolve("*.parquet")
                    + "')")) {
      while (result.next()) {
        footers
            .computeIfAbsent(result.getString(1), f -> new LinkedHashMap<>())
            .put(result.getString(2), result.getString(3));
      }
    }
    return footers;
  }

  /** The column types DuckDB sees, column name to type. */
  static Map<String, String> schema(Path output) throws SQLException {
    Map<String, String> types = new LinkedHashMap<>();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "DESCRIBE SELECT * FROM read_parquet('" + output.resolve("*.parquet") + "')")) {
      while (result.next()) {
        types.put(result.getString(1), result.getString(2));
      }
    }
    return types;
  }

  private static int[] ints(Array array) throws SQLException {
    Object[] values = (Object[]) array.getArray();
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = ((Number) values[i]).intValue();
    }
    return out;
  }
}
