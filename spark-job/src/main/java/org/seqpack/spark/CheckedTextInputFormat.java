package org.seqpack.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.seqpack.config.JobOptions;
import org.seqpack.core.SeqpackException;

/**
 * Hadoop's text input (lines, {@code .gz}/{@code .bz2} and, with {@link InputCodecs}, {@code
 * .zst}/{@code .zstd}/{@code .xz} decompressed, a UTF-8 byte-order mark at the start of a file
 * dropped, CR, LF and CRLF line ends) with one change: a file that cannot be read to its end (a
 * truncated {@code .gz}, a corrupt block, a bad header) either fails the task with a message naming
 * the file, or — when {@link #SKIP_CORRUPT} is set — ends the split with one marker record whose
 * key is {@code -1 - position} and whose value is the error, which {@link Inputs} turns into a
 * counted {@code corrupt_file} rejection. Either way Spark's own {@code ignoreCorruptFiles} never
 * gets to drop the rest of a file silently.
 */
public final class CheckedTextInputFormat extends TextInputFormat {
  /** Hadoop configuration key: skip the unreadable rest of a file instead of failing. */
  static final String SKIP_CORRUPT = "seqpack.input.skip-corrupt-files";

  @Override
  public RecordReader<LongWritable, Text> createRecordReader(
      InputSplit split, TaskAttemptContext context) {
    return new CheckedReader(
        super.createRecordReader(split, context),
        context.getConfiguration().getBoolean(SKIP_CORRUPT, false));
  }

  /** Whether {@code key} is the marker of an unreadable rest of a file. */
  static boolean isCorruptMarker(long key) {
    return key < 0;
  }

  /** The byte offset carried by a marker key. */
  static long markerPosition(long key) {
    return -1 - key;
  }

  private static final class CheckedReader extends RecordReader<LongWritable, Text> {
    private final RecordReader<LongWritable, Text> lines;
    private final boolean skip;
    private Path file;
    private long readUpTo;
    private long linesRead;
    private boolean failed;
    private boolean done;
    private LongWritable markerKey;
    private Text markerValue;

    CheckedReader(RecordReader<LongWritable, Text> lines, boolean skip) {
      this.lines = lines;
      this.skip = skip;
    }

    @Override
    public void initialize(InputSplit split, TaskAttemptContext context)
        throws InterruptedException {
      FileSplit fileSplit = (FileSplit) split;
      file = fileSplit.getPath();
      readUpTo = fileSplit.getStart();
      try {
        lines.initialize(split, context);
      } catch (IOException | RuntimeException e) {
        unreadable(e);
      }
    }

    @Override
    public boolean nextKeyValue() {
      if (done) {
        return false;
      }
      if (failed) {
        done = true;
        return true; // the marker prepared by unreadable()
      }
      try {
        if (!lines.nextKeyValue()) {
          done = true;
          return false;
        }
        linesRead++;
        // Assumes a one-byte line end: the exact end of a line is private to the reader.
        readUpTo = lines.getCurrentKey().get() + lines.getCurrentValue().getLength() + 1;
        return true;
      } catch (IOException | InterruptedException | RuntimeException e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        unreadable(e);
        done = true;
        return true;
      }
    }

    /** Fails, or prepares the marker record when skipping. */
    private void unreadable(Exception e) {
      if (e instanceof SeqpackException seqpack) {
        throw seqpack;
      }
      String error = e.getClass().getName() + ": " + e.getMessage();
      if (needsNativeCodec(e)) {
        // Not damage to the file: this machine cannot decompress it (a codec without its native
        // library). Never counted as a corrupt file, whatever corrupt-files says.
        throw new SeqpackException(
            "input file '"
                + file
                + "' cannot be decompressed here: its codec needs a native library this machine"
                + " lacks ("
                + error
                + "); the file is not known to be damaged. Without native libraries these read: "
                + String.join(", ", InputCodecs.SUPPORTED),
            e);
      }
      if (!skip) {
        throw new SeqpackException(
            "input file '"
                + file
                + "' cannot be read after byte "
                + readUpTo
                + " ("
                + linesRead
                + " lines read): "
                + error
                + "; it is truncated or corrupt. '"
                + JobOptions.CORRUPT_FILES.key()
                + "' is fail; set it to skip (--corrupt-files skip) to keep the lines before the"
                + " damage and count the rest as one corrupt_file rejection",
            e);
      }
      failed = true;
      markerKey = new LongWritable(-1 - readUpTo);
      markerValue =
          new Text((error + " (after " + linesRead + " lines)").getBytes(StandardCharsets.UTF_8));
    }

    private static boolean needsNativeCodec(Throwable e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("native")
            && (message.contains("not available")
                || message.contains("not loaded")
                || message.contains("built without"))) {
          return true;
        }
        if (cause.getCause() == cause) {
          break;
        }
      }
      return false;
    }

    @Override
    public LongWritable getCurrentKey() throws IOException, InterruptedException {
      return failed ? markerKey : lines.getCurrentKey();
    }

    @Override
    public Text getCurrentValue() throws IOException, InterruptedException {
      return failed ? markerValue : lines.getCurrentValue();
    }

    @Override
    public float getProgress() throws IOException, InterruptedException {
      return done ? 1.0f : failed ? 0.0f : lines.getProgress();
    }

    @Override
    public void close() throws IOException {
      try {
        lines.close();
      } catch (IOException | RuntimeException e) {
        if (!failed) {
          throw e;
        }
        // Closing a stream that already failed may fail again; the first error was reported.
      }
    }
  }
}
