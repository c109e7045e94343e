package org.seqpack.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.github.luben.zstd.Zstd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.NativeCodeLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.seqpack.core.SeqpackException;

/** A codec that cannot work here is a missing codec, not a damaged file. */
class CheckedTextInputFormatTest {
  @TempDir Path tmp;

  @Test
  void hadoopsZstdCodecWithoutItsNativeLibraryIsNotCorruption() throws Exception {
    assumeFalse(NativeCodeLoader.isNativeCodeLoaded(), "native libhadoop is loaded here");
    Path file = tmp.resolve("docs.txt.zst");
    Files.write(file, Zstd.compress("one\ntwo\n".getBytes(StandardCharsets.UTF_8)));
    // Hadoop's codecs only (no InputCodecs.register): .zst goes to its native ZStandardCodec.
    Configuration conf = new Configuration();
    conf.setBoolean(CheckedTextInputFormat.SKIP_CORRUPT, true);
    TaskAttemptContextImpl context = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    FileSplit split =
        new FileSplit(
            new org.apache.hadoop.fs.Path(file.toUri()), 0, Files.size(file), new String[0]);
    RecordReader<LongWritable, Text> reader =
        new CheckedTextInputFormat().createRecordReader(split, context);
    SeqpackException e =
        assertThrows(
            SeqpackException.class,
            () -> {
              reader.initialize(split, context);
              while (reader.nextKeyValue()) {
                // read to the end
              }
            });
    // Even with corrupt-files skip: it is not counted as a corrupt file.
    assertTrue(
        e.getMessage().contains("docs.txt.zst' cannot be decompressed here"), e.getMessage());
    assertTrue(e.getMessage().contains("not known to be damaged"), e.getMessage());
    assertFalse(e.getMessage().contains("truncated or corrupt"), e.getMessage());
  }
}
