package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.seqpack.TestJson.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Compares two outputs of the job with DuckDB (a Parquet reader independent of Spark's): the same
 * partitions' files, taken from each output's _manifest.json, holding the same rows in the same
 * order, and the same counts in stats.json. Files are matched by partition ({@code part-NNNNN}): an
 * output committed by manifest names them by run and attempt too.
 */
final class OutputComparison {
  private static final String COLUMNS =
      "input_ids, segment_ids, position_ids, loss_mask, num_tokens, num_segments";

  private OutputComparison() {}

  static void assertSameOutput(Path expected, Path actual) throws IOException, SQLException {
    assertTrue(Files.exists(actual.resolve("_SUCCESS")), "no _SUCCESS in " + actual);
    assertEquals(fileNames(expected), fileNames(actual), "output files differ");
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      long rows = count(statement, "SELECT count(*) FROM " + rows(expected));
      assertTrue(rows > 0, "no rows in " + expected);
      assertEquals(rows, count(statement, "SELECT count(*) FROM " + rows(actual)), "row counts");
      // Rows keyed by (file, row number): any row lost, duplicated, moved or changed shows here.
      String missing =
          "SELECT * FROM " + rows(expected) + " EXCEPT ALL SELECT * FROM " + rows(actual);
      String extra =
          "SELECT * FROM " + rows(actual) + " EXCEPT ALL SELECT * FROM " + rows(expected);
      assertEquals(
          0,
          count(statement, "SELECT count(*) FROM (" + missing + ")"),
          "rows of " + expected + " missing from " + actual + ": " + first(statement, missing));
      assertEquals(
          0,
          count(statement, "SELECT count(*) FROM (" + extra + ")"),
          "rows of " + actual + " not in " + expected + ": " + first(statement, extra));
    }
    JsonNode want = stats(expected);
    JsonNode got = stats(actual);
    for (String key : List.of("documents", "tokens", "rows", "segments", "partitions")) {
      assertEquals(want.get(key), got.get(key), "stats.json '" + key + "'");
    }
    assertEquals(fileRows(want), fileRows(got), "stats.json 'files'");
  }

  /** Name and row count of each file (bytes differ: the footer holds the output path). */
  private static List<String> fileRows(JsonNode stats) {
    List<String> files = new ArrayList<>();
    for (JsonNode file : stats.get("files")) {
      files.add(partition(file.get("name").textValue()) + ":" + file.get("rows").asLong());
    }
    return files;
  }

  static JsonNode stats(Path output) throws IOException {
    return JSON.readTree(Files.readString(output.resolve("stats.json")));
  }

  /** {@code part-NNNNN} of a data file's name. */
  private static String partition(String name) {
    return name.substring(0, "part-NNNNN".length());
  }

  /** The data files _manifest.json lists, relative to the output. */
  static List<String> dataFiles(Path output) throws IOException {
    List<String> files = new ArrayList<>();
    for (JsonNode file :
        JSON.readTree(Files.readString(output.resolve("_manifest.json"))).get("files")) {
      files.add(file.get("path").textValue());
    }
    return files;
  }

  private static String rows(Path output) throws IOException {
    List<String> quoted = new ArrayList<>();
    for (String file : dataFiles(output)) {
      quoted.add("'" + output.resolve(file) + "'");
    }
    return "(SELECT substr(parse_filename(filename), 1, 10) AS file, file_row_number AS row, "
        + COLUMNS
        + " FROM read_parquet(["
        + String.join(", ", quoted)
        + "], filename = true, file_row_number = true))";
  }

  /** The folder's entries, data files by partition, without stats.json and the manifest. */
  private static List<String> fileNames(Path output) throws IOException {
    List<String> data = dataFiles(output);
    List<String> names = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      files
          .map(p -> p.getFileName().toString())
          .map(name -> data.contains(name) ? partition(name) : name)
          .sorted()
          .forEach(names::add);
    }
    names.remove("stats.json");
    names.remove("_manifest.json");
    return names;
  }

  private static long count(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }

  private static String first(Statement statement, String sql) throws SQLException {
    try (ResultSet result = statement.executeQuery(sql + " ORDER BY file, row LIMIT 1")) {
      return result.next() ? result.getString("file") + " row " + result.getLong("row") : "none";
    }
  }
}
