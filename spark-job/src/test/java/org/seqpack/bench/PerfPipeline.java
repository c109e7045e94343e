package org.seqpack.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.util.LineReader;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.config.Settings;
import org.seqpack.core.DocumentChunker;
import org.seqpack.core.PackStats;
import org.seqpack.core.PartitionPacker;
import org.seqpack.core.PretrainEncoder;
import org.seqpack.core.RecordParser;
import org.seqpack.core.RowArrays;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.TextEncoder;
import org.seqpack.parquet.RowFileWriter;
import org.seqpack.tokenizer.SentinelResolver;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * One partition's pipeline without Spark, as {@code PackPartition} runs it (Hadoop's line reader,
 * {@link RecordParser}, {@link PretrainEncoder}, {@link PartitionPacker}, {@link RowFileWriter} on
 * a Hadoop local path), timed by the thread's CPU clock per stage, so that other processes on the
 * machine do not inflate the figures. The job's own stage timers are wall-clock. Before the
 * pipeline, the raw encode of the same documents in a tight loop gives the floor in the same JVM.
 * Passes: {@code passes} times the raw encode and the pipeline, alternating; the first pass
 * includes JIT warm-up, as a fresh executor does. Prints one {@code perf-pipeline} JSON line per
 * pass.
 *
 * <p>Usage: {@code PerfPipeline <lines.txt> <tokenizer folder> <output.parquet> [passes] [job
 * flags...]}.
 */
public final class PerfPipeline {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private PerfPipeline() {}

  public static void main(String[] args) throws Exception {
    Path corpus = Paths.get(args[0]);
    Path tokenizerDir = Paths.get(args[1]);
    Path output = Paths.get(args[2]).toAbsolutePath();
    int passes = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    TokenizerSpec spec = PerfRawEncode.load(tokenizerDir);
    Settings settings =
        Settings.empty()
            .withFlag(JobOptions.INPUT, corpus.toString(), true)
            .withFlag(JobOptions.TOKENIZER, tokenizerDir.toString(), true)
            .withFlag(JobOptions.OUTPUT, output.toString(), true);
    for (int i = 4; i + 1 < args.length; i += 2) {
      settings.withFlag(JobOptions.byFlag(args[i]).orElseThrow(), args[i + 1], true);
    }
    JobConfig config = JobConfig.from(settings);
    Sentinels sentinels = config.sentinels(new SentinelResolver(spec));
    try (TokenEncoder encoder = TokenEncoder.load(spec)) {
      for (int pass = 1; pass <= passes; pass++) {
        long rawCpu = rawEncodeCpu(corpus, encoder);
        Stages stages = pipeline(corpus, encoder, sentinels, config, output);
        System.out.printf(
            Locale.ROOT,
            "perf-pipeline {\"pass\":%d,\"tokens\":%d,\"rows\":%d,\"bytes\":%d,"
                + "\"raw_encode_cpu\":%.4f,\"total_cpu\":%.4f,\"read_cpu\":%.4f,"
                + "\"tokenize_cpu\":%.4f,\"pack_and_layout_cpu\":%.4f,\"write_cpu\":%.4f,"
                + "\"pack_wall\":%.4f,\"layout_wall\":%.4f}%n",
            pass,
            stages.stats.rowTokens,
            stages.stats.rows,
            Files.size(output),
            rawCpu / 1e9,
            stages.total / 1e9,
            stages.read / 1e9,
            stages.tokenize / 1e9,
            (stages.total - stages.read - stages.tokenize - stages.write) / 1e9,
            stages.write / 1e9,
            stages.stats.packNanos / 1e9,
            stages.stats.layoutNanos / 1e9);
      }
    }
  }

  /** CPU nanoseconds of TokenEncoder.encode over every line, in a tight loop. */
  private static long rawEncodeCpu(Path corpus, TokenEncoder encoder) throws IOException {
    List<String> lines = Files.readAllLines(corpus);
    long start = THREADS.getCurrentThreadCpuTime();
    long tokens = 0;
    for (String line : lines) {
      tokens += encoder.encode(line).length;
    }
    long cpu = THREADS.getCurrentThreadCpuTime() - start;
    if (tokens < 0) {
      throw new AssertionError();
    }
    return cpu;
  }

  private static final class Stages {
    long read;
    long tokenize;
    long write;
    long total;
    final PackStats stats = new PackStats();
  }

  private static Stages pipeline(
      Path corpus, TokenEncoder encoder, Sentinels sentinels, JobConfig config, Path output)
      throws IOException {
    Stages stages = new Stages();
    Files.deleteIfExists(output);
    Configuration conf = new Configuration();
    long start = THREADS.getCurrentThreadCpuTime();
    try (InputStream in = Files.newInputStream(corpus)) {
      LineReader reader = new LineReader(in, 1 << 16);
      RecordParser parser = new RecordParser(false, "text");
      String source = corpus.toUri().toString();
      Iterator<SourceDocument> documents =
          new Iterator<>() {
            private final Text line = new Text();
            private long position;
            private boolean ready;
            private boolean done;

            @Override
            public boolean hasNext() {
              long t = THREADS.getCurrentThreadCpuTime();
              try {
                if (!ready && !done) {
                  int read = reader.readLine(line);
                  if (read == 0) {
                    done = true;
                  } else {
                    ready = true;
                  }
                }
                return ready;
              } catch (IOException e) {
                throw new IllegalStateException(e);
              } finally {
                stages.read += THREADS.getCurrentThreadCpuTime() - t;
              }
            }

            @Override
            public SourceDocument next() {
              if (!hasNext()) {
                throw new NoSuchElementException();
              }
              long t = THREADS.getCurrentThreadCpuTime();
              ready = false;
              SourceDocument document =
                  parser.parse(source, position, line.getBytes(), line.getLength());
              position += line.getLength() + 1;
              stages.read += THREADS.getCurrentThreadCpuTime() - t;
              return document;
            }
          };
      TextEncoder timed =
          text -> {
            long t = THREADS.getCurrentThreadCpuTime();
            int[] ids = encoder.encode(text);
            stages.tokenize += THREADS.getCurrentThreadCpuTime() - t;
            return ids;
          };
      PretrainEncoder documentEncoder =
          new PretrainEncoder(
              timed,
              sentinels,
              new DocumentChunker(
                  config.packing().seqLen(),
                  config.packing().longDocs(),
                  config.packing().stride()),
              config.packing().minDocTokens());
      PartitionPacker rows =
          new PartitionPacker(
              documents, documentEncoder, config.packing(), sentinels.pad(), 0, stages.stats, null);
      org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(output.toUri());
      try (RowFileWriter writer =
          RowFileWriter.create(path, conf, Map.of(), config.output().zstdLevel())) {
        while (rows.hasNext()) {
          RowArrays row = rows.next();
          long t = THREADS.getCurrentThreadCpuTime();
          writer.write(row);
          stages.write += THREADS.getCurrentThreadCpuTime() - t;
        }
        long t = THREADS.getCurrentThreadCpuTime();
        writer.close();
        stages.write += THREADS.getCurrentThreadCpuTime() - t;
      }
    }
    stages.total = THREADS.getCurrentThreadCpuTime() - start;
    return stages;
  }
}
