package org.seqpack.spark;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.seqpack.analyze.CompressionCurve;
import org.seqpack.core.SeqpackException;

/**
 * Reads the {@code compression.json} files given to {@code analyze --compression} from any Hadoop
 * filesystem: a file, or the train-tokenizer output folder holding one.
 */
public final class CompressionFiles {
  public static final String COMPRESSION_JSON = "compression.json";

  /** Far above any curve (a few hundred bytes a point). */
  private static final long MAX_BYTES = 16L << 20;

  private CompressionFiles() {}

  /** Every curve, named by its folder (numbered when taken); all problems in one exception. */
  public static List<CompressionCurve> readAll(List<String> locations, Configuration conf) {
    List<CompressionCurve> curves = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String location : locations) {
      try {
        CompressionCurve curve = read(location, conf);
        String name = curve.name();
        for (int n = 2; names.contains(name); n++) {
          name = curve.name() + "-" + n;
        }
        names.add(name);
        curves.add(
            new CompressionCurve(
                name,
                curve.path(),
                curve.pattern(),
                curve.heldOutFraction(),
                curve.heldOutDocuments(),
                curve.points()));
      } catch (SeqpackException e) {
        problems.add(e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new SeqpackException(String.join("; and ", problems));
    }
    return curves;
  }

  /** One curve: {@code location} is a compression.json or a folder holding one. */
  public static CompressionCurve read(String location, Configuration conf) {
    try {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw CompressionCurve.problem(
            location,
            "must be a compression.json or a train-tokenizer output folder holding one, but it"
                + " does not exist");
      }
      Path file = path;
      if (fs.getFileStatus(path).isDirectory()) {
        file = new Path(path, COMPRESSION_JSON);
        if (!fs.exists(file)) {
          throw CompressionCurve.problem(
              location,
              "the folder must hold a "
                  + COMPRESSION_JSON
                  + " (train-tokenizer writes one with --vocab-sizes and held-out documents)");
        }
      }
      long length = fs.getFileStatus(file).getLen();
      if (length > MAX_BYTES) {
        throw CompressionCurve.problem(
            location, "is " + length + " bytes; must be at most " + MAX_BYTES);
      }
      byte[] bytes;
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      Path folder = file.getParent();
      String name =
          folder == null || folder.getName().isEmpty() ? file.getName() : folder.getName();
      return CompressionCurve.parse(name, location, bytes);
    } catch (IOException e) {
      throw CompressionCurve.problem(location, "cannot be read: " + e.getMessage());
    }
  }
}
