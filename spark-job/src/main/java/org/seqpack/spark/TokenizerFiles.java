package org.seqpack.spark;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TokenizerSpec;

/** Reads tokenizer.json (and tokenizer_config.json beside it) from any Hadoop filesystem. */
final class TokenizerFiles {
  static final String TOKENIZER_JSON = "tokenizer.json";
  static final String TOKENIZER_CONFIG_JSON = "tokenizer_config.json";
  private static final long MAX_BYTES = 512L << 20;

  private TokenizerFiles() {}

  static TokenizerSpec read(
      String key, String location, boolean specialTokensInText, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new SeqpackException(
            "'"
                + key
                + "' is '"
                + location
                + "'; must be a tokenizer.json file or a folder holding one, but it does not exist");
      }
      Path tokenizerJson;
      Path configJson;
      if (fs.getFileStatus(path).isDirectory()) {
        tokenizerJson = new Path(path, TOKENIZER_JSON);
        if (!fs.exists(tokenizerJson)) {
          throw new SeqpackException(
              "'" + key + "' is '" + location + "'; the folder must hold a tokenizer.json");
        }
        configJson = new Path(path, TOKENIZER_CONFIG_JSON);
      } else {
        tokenizerJson = path;
        configJson = new Path(path.getParent(), TOKENIZER_CONFIG_JSON);
      }
      byte[] tokenizer = readAll(fs, tokenizerJson);
      byte[] config = fs.exists(configJson) ? readAll(fs, configJson) : null;
      return TokenizerSpec.parse(tokenizerJson.toString(), tokenizer, config, specialTokensInText);
    } catch (IOException e) {
      throw new SeqpackException(
          "'" + key + "' is '" + location + "'; cannot read it: " + e.getMessage(), e);
    }
  }

  /** A small UTF-8 text file (e.g. a chat template) from any Hadoop filesystem. */
  static String readText(String key, String location, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path) || fs.getFileStatus(path).isDirectory()) {
        throw new SeqpackException(
            "'" + key + "' is '" + location + "'; must be a readable file, but it does not exist");
      }
      return new String(readAll(fs, path), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SeqpackException(
          "'" + key + "' is '" + location + "'; cannot read it: " + e.getMessage(), e);
    }
  }

  private static byte[] readAll(FileSystem fs, Path path) throws IOException {
    FileStatus status = fs.getFileStatus(path);
    if (status.getLen() > MAX_BYTES) {
      throw new SeqpackException(
          "tokenizer file '"
              + path
              + "' is "
              + status.getLen()
              + " bytes; must be at most "
              + MAX_BYTES);
    }
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }
}
