package org.seqpack.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.seqpack.core.Json;

/**
 * {@code analyze} and {@code train-tokenizer} as the cluster tests run them, and the local-mode
 * outputs (submit/local.sh, local[2]) every cluster run of them must equal: the same JSONL input
 * with bad records (two files, fixed partition count), the same flags.
 */
final class Subcommands {
  static final int PARTITIONS = 3;

  /** Records of the input that the job rejects, by reason. */
  static final List<String> BAD_LINES =
      List.of("{broken", "{\"text\": 7}", "{\"text\": \"  \"}", "[1]", "{\"title\": \"x\"}");

  private static Path input;
  private static Path localAnalysis;
  private static Path localTokenizer;

  private Subcommands() {}

  /** Two JSONL files: Europarl documents with the bad records between them. */
  static synchronized Path input() throws IOException {
    if (input == null) {
      Path dir = ClusterBuild.workDir("subcommands-input");
      List<String> lines =
          Files.readAllLines(
              ClusterBuild.root().resolve("test-data/europarl-1k.jsonl"), StandardCharsets.UTF_8);
      List<String> a = new ArrayList<>(lines.subList(0, 200));
      a.addAll(100, BAD_LINES);
      List<String> b = new ArrayList<>(lines.subList(200, 400));
      b.add(BAD_LINES.get(0));
      Files.write(dir.resolve("a.jsonl"), a, StandardCharsets.UTF_8);
      Files.write(dir.resolve("b.jsonl"), b, StandardCharsets.UTF_8);
      input = dir;
    }
    return input;
  }

  static List<String> analyzeArgs(String input, String tokenizer, String output) {
    return List.of(
        "analyze",
        "--input",
        input,
        "--format",
        "jsonl",
        "--partitions",
        String.valueOf(PARTITIONS),
        "--tokenizer",
        tokenizer,
        "--seq-len",
        "256,1024",
        "--output",
        output,
        "--overwrite");
  }

  static List<String> trainArgs(String input, String output) {
    return List.of(
        "train-tokenizer",
        "--input",
        input,
        "--format",
        "jsonl",
        "--partitions",
        String.valueOf(PARTITIONS),
        "--vocab-size",
        "600",
        "--vocab-sizes",
        "400",
        "--held-out-fraction",
        "0.1",
        "--output",
        output,
        "--overwrite");
  }

  static String gpt2() {
    return ClusterBuild.root().resolve("test-data/tokenizers/gpt2").toString();
  }

  /** The local-mode analysis, made once per JVM. */
  static synchronized Path localAnalysis(ChildProcesses processes) throws Exception {
    if (localAnalysis == null) {
      // Each run its own work folder: workDir empties the folder it names.
      Path output = ClusterBuild.workDir("subcommands-local-analysis").resolve("analysis");
      runLocal(processes, analyzeArgs(input().toString(), gpt2(), output.toString()), output);
      localAnalysis = output;
    }
    return localAnalysis;
  }

  /** The local-mode trained tokenizer, made once per JVM. */
  static synchronized Path localTokenizer(ChildProcesses processes) throws Exception {
    if (localTokenizer == null) {
      Path output = ClusterBuild.workDir("subcommands-local-tokenizer").resolve("tokenizer");
      runLocal(processes, trainArgs(input().toString(), output.toString()), output);
      localTokenizer = output;
    }
    return localTokenizer;
  }

  private static void runLocal(ChildProcesses processes, List<String> args, Path output)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ClusterBuild.root().resolve("submit/local.sh").toString());
    command.addAll(List.of("--master", "local[2]", "--conf", "spark.driver.host=127.0.0.1"));
    command.add("--");
    command.addAll(args);
    Path log = output.resolveSibling(output.getFileName() + ".log");
    int exit =
        processes.run(command, ClusterBuild.root(), ClusterJob.scriptEnvironment(true), log, 600);
    assertEquals(0, exit, "local " + args.get(0) + " failed:\n" + ChildProcesses.tail(log, 80));
  }

  /**
   * The same analysis: analysis.json equal but for the run's own fields (time, input paths, the
   * names of the rejected-record files, which carry the run and attempt on an object store, and the
   * order partitions' examples arrived in), report.html written, and the same rejected records.
   */
  static void assertSameAnalysis(Path expected, Path actual) throws IOException {
    assertSameJson(comparable(analysis(expected)), comparable(analysis(actual)));
    assertTrue(Files.size(actual.resolve("report.html")) > 10_000, "report.html written");
    List<String> rejected = rejectedRecords(actual);
    assertEquals(rejectedRecords(expected), rejected);
    assertEquals(BAD_LINES.size() + 1, rejected.size(), rejected.toString());
  }

  /**
   * The same tokenizer: tokenizer.json, tokenizer_config.json and compression.json byte for byte,
   * training.json equal but for times and input paths, and the same rejected records.
   */
  static void assertSameTokenizer(Path expected, Path actual) throws IOException {
    for (String name : List.of("tokenizer.json", "tokenizer_config.json", "compression.json")) {
      assertArrayEquals(
          Files.readAllBytes(expected.resolve(name)),
          Files.readAllBytes(actual.resolve(name)),
          name);
    }
    assertSameJson(comparable(training(expected)), comparable(training(actual)));
    assertEquals(rejectedRecords(expected), rejectedRecords(actual));
    assertEquals(BAD_LINES.size() + 1, rejectedRecords(actual).size());
  }

  /** Equal JSON, or a failure naming the first differing fields (the whole files are long). */
  private static void assertSameJson(JsonNode expected, JsonNode actual) {
    List<String> differences = new ArrayList<>();
    differences("", expected, actual, differences);
    assertEquals(List.of(), differences);
  }

  private static void differences(String at, JsonNode a, JsonNode b, List<String> out) {
    if (out.size() >= 20 || a.equals(b)) {
      return;
    }
    if (a.isObject() && b.isObject()) {
      Set<String> names = new TreeSet<>();
      a.fieldNames().forEachRemaining(names::add);
      b.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode x = a.get(name);
        JsonNode y = b.get(name);
        if (x == null || y == null) {
          out.add(at + "/" + name + ": " + x + " against " + y);
        } else {
          differences(at + "/" + name, x, y, out);
        }
      }
    } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
      for (int i = 0; i < a.size(); i++) {
        differences(at + "/" + i, a.get(i), b.get(i), out);
      }
    } else {
      out.add(at + ": " + a + " against " + b);
    }
  }

  private static JsonNode analysis(Path folder) throws IOException {
    return Json.parse(Files.readAllBytes(folder.resolve("analysis.json")));
  }

  private static JsonNode training(Path folder) throws IOException {
    return Json.parse(Files.readAllBytes(folder.resolve("training.json")));
  }

  private static JsonNode comparable(JsonNode json) {
    ObjectNode copy = json.deepCopy();
    ObjectNode settings = (ObjectNode) copy.get("settings");
    settings.remove(List.of("wall_seconds", "inputs"));
    copy.remove("seconds");
    // Where the tokenizer was read from (its SHA-256 stays).
    if (copy.has("tokenizers")) {
      for (JsonNode tokenizer : copy.get("tokenizers")) {
        ((ObjectNode) tokenizer).remove("path");
      }
    }
    ObjectNode documents = (ObjectNode) copy.get("documents");
    long records = 0;
    for (JsonNode count : documents.get("rejected_files")) {
      records += count.asLong();
    }
    documents.put("rejected_files", records);
    JsonNode examples = documents.get("rejected_examples");
    if (examples != null) {
      List<JsonNode> sorted = new ArrayList<>();
      for (JsonNode example : examples) {
        ObjectNode node = example.deepCopy();
        node.put("source", fileName(node.get("source").asText()));
        sorted.add(node);
      }
      sorted.sort(Comparator.comparing(JsonNode::toString));
      ArrayNode array = documents.putArray("rejected_examples");
      sorted.forEach(array::add);
    }
    return copy;
  }

  /** The lines of {@code _rejected/}, sources reduced to their file names, sorted. */
  static List<String> rejectedRecords(Path output) throws IOException {
    List<String> records = new ArrayList<>();
    Path folder = output.resolve("_rejected");
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          ObjectNode record = (ObjectNode) Json.parse(line);
          record.put("source", fileName(record.get("source").asText()));
          records.add(record.toString());
        }
      }
    }
    records.sort(null);
    return records;
  }

  private static String fileName(String source) {
    return source.substring(source.lastIndexOf('/') + 1);
  }
}
