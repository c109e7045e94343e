package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.config.JobOptions;
import org.seqpack.core.Json;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;
import org.seqpack.verify.Findings.Kind;

/**
 * The tokenizer an output was made with (given, or found where stats.json records it, and matching
 * the recorded SHA-256): its specs, special ids, and native encoders once loaded.
 */
final class RecordedTokenizer implements AutoCloseable {
  private static final String TOKENIZER_JSON = "tokenizer.json";
  private static final long MAX_TOKENIZER_BYTES = 512L << 20;

  final String location;
  private final TokenizerSpec originalSpec;
  private final TokenizerSpec usedSpec;
  private final boolean[] specialIds;
  private TokenEncoder original;
  private TokenEncoder used;

  private RecordedTokenizer(
      String location, TokenizerSpec originalSpec, TokenizerSpec usedSpec, boolean[] specialIds) {
    this.location = location;
    this.originalSpec = originalSpec;
    this.usedSpec = usedSpec;
    this.specialIds = specialIds;
  }

  /**
   * The tokenizer for the sentinel and round-trip checks, or null (with the reason recorded).
   *
   * @param given the {@code --tokenizer} location, or null for the recorded one
   * @param stats stats.json, or null when missing
   * @param config the recorded configuration
   * @param sha256 the recorded SHA-256, or null
   */
  static RecordedTokenizer find(
      String given,
      JsonNode stats,
      Map<String, String> config,
      String sha256,
      RowContract contract,
      Configuration conf,
      Findings findings) {
    String location = given;
    if (given == null) {
      JsonNode tokenizer = stats == null ? null : object(stats, "tokenizer");
      location = tokenizer == null ? null : string(tokenizer, "path");
      if (location == null) {
        location = config.get(JobOptions.TOKENIZER.key());
      }
      if (location == null || location.isEmpty()) {
        findings.skipped("special ids and round trip: no --tokenizer and none recorded");
        return null;
      }
    }
    byte[] bytes;
    String source;
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      Path file = fs.getFileStatus(path).isDirectory() ? new Path(path, TOKENIZER_JSON) : path;
      FileStatus status = fs.getFileStatus(file);
      if (status.getLen() > MAX_TOKENIZER_BYTES) {
        throw new IOException(status.getLen() + " bytes is too large for a tokenizer.json");
      }
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      source = file.toString();
    } catch (IOException | RuntimeException e) {
      if (given != null) {
        findings.add(Kind.TOKENIZER, location, "cannot be read: " + e.getMessage());
      } else {
        findings.skipped(
            "special ids and round trip: no --tokenizer, and the recorded tokenizer '"
                + location
                + "' is not readable ("
                + e.getMessage()
                + ")");
      }
      return null;
    }
    String actual = TokenizerSpec.sha256(bytes);
    if (sha256 == null) {
      findings.skipped(
          "special ids and round trip: no recorded tokenizer SHA-256 to match " + source);
      return null;
    }
    if (!actual.equals(sha256)) {
      if (given != null) {
        findings.add(
            Kind.TOKENIZER,
            source,
            "has SHA-256 " + actual + "; the output was made with " + sha256);
      } else {
        findings.skipped(
            "special ids and round trip: the tokenizer now at the recorded path "
                + source
                + " has SHA-256 "
                + actual
                + ", not the recorded "
                + sha256
                + " (pass --tokenizer)");
      }
      return null;
    }
    findings.checked("tokenizer " + source + " has the recorded SHA-256 " + sha256);
    try {
      TokenizerSpec original = TokenizerSpec.parse(source, bytes, null, true);
      TokenizerSpec used = TokenizerSpec.parse(source, bytes, null, contract.specialTokensInText());
      return new RecordedTokenizer(source, original, used, specialIds(original, bytes));
    } catch (RuntimeException e) {
      findings.add(Kind.TOKENIZER, source, "cannot be parsed: " + e.getMessage());
      return null;
    }
  }

  /** Special added tokens' ids, except the model's unknown token, which text can produce. */
  private static boolean[] specialIds(TokenizerSpec spec, byte[] json) {
    String unknown = null;
    try {
      JsonNode model = Json.parse(json).get("model");
      if (model != null && JsonFields.isScalar(model.get("unk_token"))) {
        unknown = model.get("unk_token").asText();
      }
    } catch (IOException | RuntimeException e) {
      // TokenizerSpec parsed it already; a model without unk_token is the common case.
    }
    int max = -1;
    for (int id : spec.specialTokens().values()) {
      max = Math.max(max, id);
    }
    boolean[] special = new boolean[max + 1];
    for (Map.Entry<String, Integer> token : spec.specialTokens().entrySet()) {
      if (!token.getKey().equals(unknown) && token.getValue() >= 0) {
        special[token.getValue()] = true;
      }
    }
    return special;
  }

  /** Special ids, by id: those only the job may place. */
  boolean[] specialIds() {
    return specialIds;
  }

  /** Whether {@code id} is a special id. */
  boolean isSpecial(int id) {
    return id >= 0 && id < specialIds.length && specialIds[id];
  }

  /** Loads the native encoders. */
  void load() {
    original = TokenEncoder.load(originalSpec);
    used = TokenEncoder.load(usedSpec);
  }

  /** The original tokenizer's encoder, once loaded. */
  TokenEncoder original() {
    return original;
  }

  /** The encoder the job used (special tokens kept out of text unless recorded otherwise). */
  TokenEncoder used() {
    return used;
  }

  @Override
  public void close() {
    if (original != null) {
      original.close();
    }
    if (used != null) {
      used.close();
    }
  }
}
