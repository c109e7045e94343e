package org.seqpack.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;
import org.seqpack.core.BoundedTextEncoder;
import org.seqpack.core.ChunkedDocument;
import org.seqpack.core.CountedDocuments;
import org.seqpack.core.DocumentChunker;
import org.seqpack.core.DocumentEncoder;
import org.seqpack.core.EncodedDocuments;
import org.seqpack.core.LengthLanes;
import org.seqpack.core.OutputFile;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackStats;
import org.seqpack.core.PackingConfig;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.PretrainEncoder;
import org.seqpack.core.RowArrays;
import org.seqpack.core.SeamedTextEncoder;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.SpecialStrings;
import org.seqpack.core.TextEncoder;
import org.seqpack.flat.FlatFile;
import org.seqpack.flat.LlmcWriter;
import org.seqpack.flat.MegatronWriter;
import org.seqpack.parquet.RowFileWriter;
import org.seqpack.sft.SftConfig;
import org.seqpack.sft.SftDocumentEncoder;
import org.seqpack.sft.SftEncoder;
import org.seqpack.sft.SharedSftEncoders;
import org.seqpack.tokenizer.JavaEngine;
import org.seqpack.tokenizer.SharedEncoders;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The whole per-partition pipeline in one task: tokenize, pack and write, and the partition's
 * rejected records into {@code _rejected/}, where {@link TaskFiles} says; then record the result in
 * the run's folder. With several lengths each is a lane with its own output (files, rejected
 * records, record), all from one reading and one tokenization of the partition. A retried or
 * speculative attempt never leaves a half file (or duplicated lines) under a name another attempt
 * completed; the files' content is a pure function of the partition's input. Partitions a resumed
 * run kept are not read at all.
 */
final class PackPartition implements FlatMapFunction<Iterator<SourceDocument>, PackPartition.Done> {
  private static final long serialVersionUID = 1L;

  /** One output of the run: its length's packing, where its files go, their footers. */
  record Lane(PackingConfig packing, TaskFiles files, Map<String, String> metadata)
      implements Serializable {}

  /** What a task wrote for one lane (by its index). */
  record Done(int lane, PartitionResult result) implements Serializable {}

  private final Broadcast<TokenizerSpec> tokenizer;
  private final Sentinels sentinels;
  private final List<Lane> lanes;
  private final SftConfig sft;
  private final String chatTemplate;
  private final BitSet kept;
  private final HadoopConf hadoopConf;
  private final int zstdLevel;
  private final boolean emitSeqLens;
  private final OutputFormat format;
  private final long shardTokens;
  private final int vocabularySize;
  private final boolean javaEngine;
  private final boolean seams;
  private final int maxCharsPerCall;
  private final LongAccumulator documentsCounter;
  private final LongAccumulator tokensCounter;

  PackPartition(
      Broadcast<TokenizerSpec> tokenizer,
      Sentinels sentinels,
      List<Lane> lanes,
      SftConfig sft,
      String chatTemplate,
      BitSet kept,
      HadoopConf hadoopConf,
      int zstdLevel,
      boolean emitSeqLens,
      OutputFormat format,
      long shardTokens,
      int vocabularySize,
      boolean javaEngine,
      boolean seams,
      int maxCharsPerCall,
      LongAccumulator documentsCounter,
      LongAccumulator tokensCounter) {
    this.tokenizer = tokenizer;
    this.sentinels = sentinels;
    this.lanes = List.copyOf(lanes);
    this.sft = sft;
    this.chatTemplate = chatTemplate;
    this.kept = kept;
    this.hadoopConf = hadoopConf;
    this.zstdLevel = zstdLevel;
    this.emitSeqLens = emitSeqLens;
    this.format = format;
    this.shardTokens = shardTokens;
    this.vocabularySize = vocabularySize;
    this.javaEngine = javaEngine;
    this.seams = seams;
    this.maxCharsPerCall = maxCharsPerCall;
    this.documentsCounter = documentsCounter;
    this.tokensCounter = tokensCounter;
  }

  /**
   * The encoder of a lane's length. Pretraining lanes share {@code text}, which remembers the last
   * document's ids, so the lanes after the first do not tokenize again.
   */
  private DocumentEncoder documentEncoder(PackingConfig packing, TextEncoder text) {
    if (sft.enabled()) {
      SftEncoder encoder =
          SharedSftEncoders.get(tokenizer.value(), chatTemplate, sft.options(packing.seqLen()));
      return new SftDocumentEncoder(sft, encoder, chatTemplate != null);
    }
    return new PretrainEncoder(
        text,
        sentinels,
        new DocumentChunker(packing.seqLen(), packing.longDocs(), packing.stride()),
        packing.minDocTokens());
  }

  /**
   * Adds what {@code stats} counted since the last call to the run's counters, which the driver's
   * progress lines read (running tasks' values travel with their heartbeats).
   */
  private void count(PackStats stats, long[] reported) {
    documentsCounter.add(stats.documentsRead - reported[0]);
    tokensCounter.add(stats.tokens - reported[1]);
    reported[0] = stats.documentsRead;
    reported[1] = stats.tokens;
  }

  @Override
  public Iterator<Done> call(Iterator<SourceDocument> documents) throws IOException {
    TaskContext task = TaskContext.get();
    int partition = task.partitionId();
    if (kept.get(partition)) {
      return Collections.emptyIterator(); // finished by the run this one resumes
    }
    long attemptId = task.taskAttemptId();
    Configuration conf = hadoopConf.get();
    // What reading and tokenizing count, once for all lanes; added to each lane's counters.
    PackStats input = new PackStats();
    Iterator<SourceDocument> counted =
        new CountedDocuments(
            documents, SpecialStrings.of(tokenizer.value().specialTokens().keySet()), input);
    TextEncoder text = null;
    if (!sft.enabled()) {
      TokenizerSpec spec = tokenizer.value();
      TokenEncoder djl = SharedEncoders.get(spec);
      TextEncoder bounded;
      if (seams) {
        bounded = new SeamedTextEncoder(djl.spans(), maxCharsPerCall, input);
      } else {
        TextEncoder engine =
            javaEngine
                ? new JavaEngine(SharedEncoders.java(spec), djl::encode, input)
                : djl::encode;
        bounded = new BoundedTextEncoder(engine, maxCharsPerCall, input);
      }
      text = new LengthLanes.LastText(bounded);
    }
    List<LaneTask> tasks = new ArrayList<>();
    long[] reported = new long[2];
    try {
      for (Lane lane : lanes) {
        tasks.add(new LaneTask(lane, partition, attemptId, conf));
      }
      LaneTask first = tasks.get(0);
      if (format.rows()) {
        List<LengthLanes.Lane> pushed = new ArrayList<>();
        for (LaneTask lane : tasks) {
          pushed.add(
              new LengthLanes.Lane(
                  documentEncoder(lane.lane.packing(), text),
                  lane.lane.packing(),
                  sentinels.pad(),
                  partition,
                  lane.stats,
                  lane.rejected,
                  row -> {
                    lane.write(row);
                    count(first.stats, reported);
                  }));
        }
        LengthLanes.run(counted, pushed, input);
      } else {
        writeDocuments(
            new EncodedDocuments(
                counted, documentEncoder(first.lane.packing(), text), first.stats, first.rejected),
            partition,
            first,
            reported);
      }
      List<Done> done = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        tasks.get(i).stats.addInputCounts(input);
        done.add(new Done(i, tasks.get(i).finish(partition)));
      }
      count(first.stats, reported);
      return done.iterator();
    } catch (IOException | RuntimeException e) {
      tasks.forEach(LaneTask::abort);
      throw new SeqpackException("partition " + partition + " failed: " + e.getMessage(), e);
    }
  }

  /** Documents in input order into Megatron's pair or llm.c's shards; no file when none. */
  private void writeDocuments(
      EncodedDocuments documents, int partition, LaneTask lane, long[] reported)
      throws IOException {
    PackStats stats = lane.stats;
    String prefix = TaskFiles.partitionName(partition);
    String suffix = lane.lane.files().suffix(lane.attempts.attemptId);
    MegatronWriter megatron = null;
    LlmcWriter llmc = null;
    if (format == OutputFormat.MEGATRON) {
      megatron =
          new MegatronWriter(
              prefix,
              suffix,
              MegatronWriter.Dtype.forVocabulary(vocabularySize),
              lane.attempts::create);
    } else {
      llmc =
          new LlmcWriter(
              prefix,
              suffix,
              LlmcWriter.Dtype.forVocabulary(vocabularySize),
              shardTokens,
              lane.attempts::create,
              java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
    }
    try {
      while (documents.hasNext()) {
        ChunkedDocument document = documents.next();
        long start = System.nanoTime();
        if (megatron != null) {
          megatron.add(document);
        } else {
          llmc.add(document);
        }
        stats.writeNanos += System.nanoTime() - start;
        count(stats, reported);
      }
      long start = System.nanoTime();
      List<FlatFile> flat = megatron != null ? megatron.finish() : llmc.finish();
      stats.writeNanos += System.nanoTime() - start;
      for (FlatFile file : flat) {
        lane.written.add(
            new OutputFile(
                file.name(), file.bytes(), 0, file.tokens(), file.documents(), file.sequences()));
        stats.outputBytes += file.bytes();
      }
    } finally {
      if (llmc != null) {
        llmc.abort(); // removes a scratch file a failure left; nothing after finish
      }
    }
  }

  /** One lane's part of a task: its counters, rejected records, files and row writer. */
  private final class LaneTask {
    final Lane lane;
    final PackStats stats = new PackStats();
    final RejectedRecordsFile rejected;
    final AttemptFiles attempts;
    final List<OutputFile> written = new ArrayList<>();
    private final Configuration conf;
    private final int partition;
    private RowFileWriter writer;
    private String rowFile;
    private Path rowPath;

    LaneTask(Lane lane, int partition, long attemptId, Configuration conf) throws IOException {
      this.lane = lane;
      this.partition = partition;
      this.conf = conf;
      this.rejected = new RejectedRecordsFile(lane.files(), partition, attemptId, conf, stats);
      this.attempts =
          new AttemptFiles(
              lane.files(), new Path(lane.files().dataFolder()).getFileSystem(conf), attemptId);
    }

    /** Writes a row to the lane's Parquet file, created with the first row. */
    void write(RowArrays row) throws IOException {
      if (writer == null) {
        rowFile = lane.files().dataFileName(partition, attempts.attemptId);
        rowPath = attempts.path(rowFile);
        writer =
            RowFileWriter.create(
                rowPath,
                conf,
                lane.metadata(),
                RowFileWriter.Options.DEFAULTS.withZstdLevel(zstdLevel),
                emitSeqLens);
      }
      long start = System.nanoTime();
      writer.write(row);
      stats.writeNanos += System.nanoTime() - start;
    }

    /** Completes the lane's files and records the partition as finished. */
    PartitionResult finish(int partition) throws IOException {
      if (writer != null) {
        long start = System.nanoTime();
        writer.close();
        stats.writeNanos += System.nanoTime() - start;
        writer = null;
        stats.outputBytes = attempts.fs.getFileStatus(rowPath).getLen();
        written.add(OutputFile.rows(rowFile, stats.outputBytes, stats.rows));
      }
      attempts.finish();
      String rejectedName = rejected.commit();
      rejected.close();
      PartitionResult result =
          new PartitionResult(partition, written, rejectedName, rejected.bytes(), stats);
      // Last: a partition with this record is finished, which --resume relies on.
      lane.files()
          .writeWhole(
              attempts.fs,
              lane.files().partitionRecord(partition),
              result.toJson(),
              attempts.attemptId);
      return result;
    }

    void abort() {
      if (writer != null) {
        try {
          writer.close();
        } catch (IOException | RuntimeException e) {
          // The failure that led here is the one to report.
        }
      }
      rejected.close();
      attempts.abort();
    }
  }

  /**
   * The files one task attempt writes for a lane: each streamed to {@link TaskFiles#writePath} and
   * moved to its name by {@link #finish} once every file is complete, or deleted by {@link #abort}.
   */
  private static final class AttemptFiles {
    final TaskFiles files;
    final FileSystem fs;
    final long attemptId;
    private final List<Path[]> written = new ArrayList<>();

    AttemptFiles(TaskFiles files, FileSystem fs, long attemptId) {
      this.files = files;
      this.fs = fs;
      this.attemptId = attemptId;
    }

    /** Where the file {@code name} is written; it is moved into place by {@link #finish}. */
    Path path(String name) {
      Path target = new Path(files.dataFolder(), name);
      Path attempt = files.writePath(target, attemptId);
      written.add(new Path[] {attempt, target});
      return attempt;
    }

    OutputStream create(String name) throws IOException {
      return fs.create(path(name), true);
    }

    void finish() throws IOException {
      for (Path[] file : written) {
        files.finish(fs, file[0], file[1]);
      }
      written.clear();
    }

    void abort() {
      for (Path[] file : written) {
        try {
          fs.delete(file[0], false);
        } catch (IOException e) {
          // The failure that led here is the one to report.
        }
      }
    }
  }
}
