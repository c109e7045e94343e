package org.seqpack.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a run's files depend on, recorded when the run starts ({@code _run.json} in its
 * folder) so that {@code --resume} keeps a killed run's finished partitions only when a clean run
 * would write the same bytes: the recorded configuration, the tokenizer's and the chat template's
 * content (empty when there is none), the input files (paths, sizes and modification times, as one
 * SHA-256), the number of partitions they were split into, the build, and how the output is
 * committed.
 *
 * @param startedMillis when the run started (not compared: it picks the latest of several runs)
 */
public record RunIdentity(
    String runId,
    long startedMillis,
    String commit,
    Map<String, String> config,
    String tokenizerSha256,
    String chatTemplateSha256,
    String inputSha256,
    long inputFiles,
    long inputBytes,
    int partitions,
    String build) {

  public RunIdentity {
    config = Map.copyOf(config);
  }

  /** The same identity for another run id and start. */
  public RunIdentity as(String otherRunId, long otherStartedMillis) {
    return new RunIdentity(
        otherRunId,
        otherStartedMillis,
        commit,
        config,
        tokenizerSha256,
        chatTemplateSha256,
        inputSha256,
        inputFiles,
        inputBytes,
        partitions,
        build);
  }

  /**
   * What differs between this (an earlier run) and {@code now}, one entry each, naming the key:
   * {@code pack.seq-len (1024 then, 2048 now)}; empty when the runs write the same files.
   */
  public List<String> differences(RunIdentity now) {
    List<String> differences = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(config.keySet());
    keys.addAll(now.config.keySet());
    for (String key : keys) {
      String then = config.get(key);
      String current = now.config.get(key);
      if (then == null ? current != null : !then.equals(current)) {
        differences.add(key + " (" + shown(then) + " then, " + shown(current) + " now)");
      }
    }
    if (!tokenizerSha256.equals(now.tokenizerSha256)) {
      differences.add(
          "the tokenizer's content (SHA-256 "
              + tokenizerSha256
              + " then, "
              + now.tokenizerSha256
              + " now)");
    }
    if (!chatTemplateSha256.equals(now.chatTemplateSha256)) {
      differences.add(
          "the chat template's content (SHA-256 "
              + shown(chatTemplateSha256)
              + " then, "
              + shown(now.chatTemplateSha256)
              + " now)");
    }
    if (!inputSha256.equals(now.inputSha256)) {
      differences.add(
          "the input files (paths, sizes or modification times: "
              + inputFiles
              + " files of "
              + inputBytes
              + " bytes then, "
              + now.inputFiles
              + " files of "
              + now.inputBytes
              + " bytes now)");
    }
    if (partitions != now.partitions) {
      differences.add(
          "the input's partitions ("
              + partitions
              + " then, "
              + now.partitions
              + " now; the default follows the cores, pass --partitions "
              + partitions
              + " to match)");
    }
    if (!build.equals(now.build)) {
      differences.add("the seqpack build (" + build + " then, " + now.build + " now)");
    }
    if (!commit.equals(now.commit)) {
      differences.add("output.commit (" + commit + " then, " + now.commit + " now)");
    }
    return differences;
  }

  private static String shown(String value) {
    return value == null ? "absent" : "'" + value + "'";
  }

  public byte[] toJson() {
    ObjectNode json = Json.object();
    json.put("run_id", runId);
    json.put("started_millis", startedMillis);
    json.put("commit", commit);
    ObjectNode configJson = json.putObject("config");
    new TreeMap<>(config).forEach(configJson::put);
    json.put("tokenizer_sha256", tokenizerSha256);
    json.put("chat_template_sha256", chatTemplateSha256);
    json.put("input_sha256", inputSha256);
    json.put("input_files", inputFiles);
    json.put("input_bytes", inputBytes);
    json.put("partitions", partitions);
    json.put("build", build);
    return Json.compactBytes(json);
  }

  /** Reads {@link #toJson}; anything else is an {@link IOException}. */
  public static RunIdentity parse(byte[] bytes) throws IOException {
    JsonNode json = Json.parse(bytes);
    JsonNode configJson = json.get("config");
    if (!json.isObject() || configJson == null || !configJson.isObject()) {
      throw new IOException("not a run record: no config object");
    }
    Map<String, String> config = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = configJson.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      config.put(entry.getKey(), entry.getValue().asText());
    }
    return new RunIdentity(
        text(json, "run_id"),
        number(json, "started_millis"),
        text(json, "commit"),
        config,
        text(json, "tokenizer_sha256"),
        text(json, "chat_template_sha256"),
        text(json, "input_sha256"),
        number(json, "input_files"),
        number(json, "input_bytes"),
        (int) number(json, "partitions"),
        text(json, "build"));
  }

  private static String text(JsonNode json, String field) throws IOException {
    JsonNode value = json.get(field);
    if (value == null || !value.isTextual()) {
      throw new IOException("not a run record: no text field '" + field + "'");
    }
    return value.asText();
  }

  private static long number(JsonNode json, String field) throws IOException {
    JsonNode value = json.get(field);
    if (value == null || !value.canConvertToLong()) {
      throw new IOException("not a run record: no number field '" + field + "'");
    }
    return value.longValue();
  }
}
