package org.seqpack.spark;

import java.io.IOException;
import java.io.OutputStream;
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
import org.seqpack.core.OutputFile;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackStats;
import org.seqpack.core.PackingConfig;
import org.seqpack.core.PartitionPacker;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.PretrainEncoder;
import org.seqpack.core.RowArrays;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.SpecialStrings;
import org.seqpack.flat.FlatFile;
import org.seqpack.flat.LlmcWriter;
import org.seqpack.flat.MegatronWriter;
import org.seqpack.parquet.RowFileWriter;
import org.seqpack.sft.SftConfig;
import org.seqpack.sft.SftDocumentEncoder;
import org.seqpack.sft.SftEncoder;
import org.seqpack.sft.SharedSftEncoders;
import org.seqpack.tokenizer.SharedEncoders;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The whole per-partition pipeline in one task: tokenize, pack and write one Parquet file, and the
 * partition's rejected records into {@code _rejected/}, where {@link TaskFiles} says; then record
 * the result in the run's folder. A retried or speculative attempt never leaves a half file (or
 * duplicated lines) under a name another attempt completed; the files' content is a pure function
 * of the partition's input. Partitions a resumed run kept are not read at all.
 */
final class PackPartition implements FlatMapFunction<Iterator<SourceDocument>, PartitionResult> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<TokenizerSpec> tokenizer;
  private final Sentinels sentinels;
  private final PackingConfig packing;
  private final SftConfig sft;
  private final String chatTemplate;
  private final TaskFiles files;
  private final BitSet kept;
  private final HadoopConf hadoopConf;
  private final Map<String, String> metadata;
  private final int zstdLevel;
  private final boolean emitSeqLens;
  private final OutputFormat format;
  private final long shardTokens;
  private final int vocabularySize;
  private final int maxCharsPerCall;
  private final LongAccumulator documentsCounter;
  private final LongAccumulator tokensCounter;

  PackPartition(
      Broadcast<TokenizerSpec> tokenizer,
      Sentinels sentinels,
      PackingConfig packing,
      SftConfig sft,
      String chatTemplate,
      TaskFiles files,
      BitSet kept,
      HadoopConf hadoopConf,
      Map<String, String> metadata,
      int zstdLevel,
      boolean emitSeqLens,
      OutputFormat format,
      long shardTokens,
      int vocabularySize,
      int maxCharsPerCall,
      LongAccumulator documentsCounter,
      LongAccumulator tokensCounter) {
    this.tokenizer = tokenizer;
    this.sentinels = sentinels;
    this.packing = packing;
    this.sft = sft;
    this.chatTemplate = chatTemplate;
    this.files = files;
    this.kept = kept;
    this.hadoopConf = hadoopConf;
    this.metadata = metadata;
    this.zstdLevel = zstdLevel;
    this.emitSeqLens = emitSeqLens;
    this.format = format;
    this.shardTokens = shardTokens;
    this.vocabularySize = vocabularySize;
    this.maxCharsPerCall = maxCharsPerCall;
    this.documentsCounter = documentsCounter;
    this.tokensCounter = tokensCounter;
  }

  private DocumentEncoder documentEncoder(PackStats stats) {
    TokenizerSpec spec = tokenizer.value();
    if (sft.enabled()) {
      SftEncoder encoder = SharedSftEncoders.get(spec, chatTemplate, sft.options(packing.seqLen()));
      return new SftDocumentEncoder(sft, encoder, chatTemplate != null);
    }
    TokenEncoder encoder = SharedEncoders.get(spec);
    return new PretrainEncoder(
        new BoundedTextEncoder(encoder::encode, maxCharsPerCall, stats),
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
  public Iterator<PartitionResult> call(Iterator<SourceDocument> documents) throws IOException {
    TaskContext task = TaskContext.get();
    int partition = task.partitionId();
    if (kept.get(partition)) {
      return Collections.emptyIterator(); // finished by the run this one resumes
    }
    long attemptId = task.taskAttemptId();
    PackStats stats = new PackStats();
    Configuration conf = hadoopConf.get();
    RejectedRecordsFile rejected =
        new RejectedRecordsFile(files, partition, attemptId, conf, stats);
    Iterator<SourceDocument> counted =
        new CountedDocuments(
            documents, SpecialStrings.of(tokenizer.value().specialTokens().keySet()), stats);
    FileSystem fs = new Path(files.dataFolder()).getFileSystem(conf);
    AttemptFiles attempts = new AttemptFiles(fs, attemptId);
    PartitionResult result;
    long[] reported = new long[2];
    try (rejected) {
      List<OutputFile> written =
          format == OutputFormat.PARQUET
              ? writeRows(counted, rejected, partition, stats, reported, attempts, conf)
              : writeDocuments(
                  new EncodedDocuments(counted, documentEncoder(stats), stats, rejected),
                  partition,
                  stats,
                  reported,
                  attempts);
      attempts.finish();
      count(stats, reported);
      String rejectedName = rejected.commit();
      result = new PartitionResult(partition, written, rejectedName, rejected.bytes(), stats);
      // Last: a partition with this record is finished, which --resume relies on.
      files.writeWhole(fs, files.partitionRecord(partition), result.toJson(), attemptId);
    } catch (IOException | RuntimeException e) {
      attempts.abort();
      throw new SeqpackException("partition " + partition + " failed: " + e.getMessage(), e);
    }
    return List.of(result).iterator();
  }

  /** Packed rows into one Parquet file; no file when no row. */
  private List<OutputFile> writeRows(
      Iterator<SourceDocument> documents,
      RejectedRecordsFile rejected,
      int partition,
      PackStats stats,
      long[] reported,
      AttemptFiles attempts,
      Configuration conf)
      throws IOException {
    PartitionPacker rows =
        new PartitionPacker(
            documents,
            documentEncoder(stats),
            packing,
            sentinels.pad(),
            partition,
            stats,
            rejected);
    if (!rows.hasNext()) {
      return List.of();
    }
    String name = files.dataFileName(partition, attempts.attemptId);
    Path attempt = attempts.path(name);
    try (RowFileWriter writer =
        RowFileWriter.create(
            attempt,
            conf,
            metadata,
            RowFileWriter.Options.DEFAULTS.withZstdLevel(zstdLevel),
            emitSeqLens)) {
      while (rows.hasNext()) {
        RowArrays row = rows.next();
        long start = System.nanoTime();
        writer.write(row);
        stats.writeNanos += System.nanoTime() - start;
        count(stats, reported);
      }
      long start = System.nanoTime();
      writer.close();
      stats.writeNanos += System.nanoTime() - start;
    }
    stats.outputBytes = attempts.fs.getFileStatus(attempt).getLen();
    return List.of(OutputFile.rows(name, stats.outputBytes, stats.rows));
  }

  /** Documents in input order into Megatron's pair or llm.c's shards; no file when none. */
  private List<OutputFile> writeDocuments(
      EncodedDocuments documents,
      int partition,
      PackStats stats,
      long[] reported,
      AttemptFiles attempts)
      throws IOException {
    String prefix = TaskFiles.partitionName(partition);
    String suffix = files.suffix(attempts.attemptId);
    MegatronWriter megatron = null;
    LlmcWriter llmc = null;
    if (format == OutputFormat.MEGATRON) {
      megatron =
          new MegatronWriter(
              prefix, suffix, MegatronWriter.Dtype.forVocabulary(vocabularySize), attempts::create);
    } else {
      llmc =
          new LlmcWriter(
              prefix,
              suffix,
              LlmcWriter.Dtype.forVocabulary(vocabularySize),
              shardTokens,
              attempts::create,
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
      List<OutputFile> written = new ArrayList<>();
      for (FlatFile file : flat) {
        written.add(
            new OutputFile(
                file.name(), file.bytes(), 0, file.tokens(), file.documents(), file.sequences()));
        stats.outputBytes += file.bytes();
      }
      return written;
    } finally {
      if (llmc != null) {
        llmc.abort(); // removes a scratch file a failure left; nothing after finish
      }
    }
  }

  /**
   * The files one task attempt writes: each streamed to {@link TaskFiles#writePath} and moved to
   * its name by {@link #finish} once every file is complete, or deleted by {@link #abort}.
   */
  private final class AttemptFiles {
    final FileSystem fs;
    final long attemptId;
    private final List<Path[]> written = new ArrayList<>();

    AttemptFiles(FileSystem fs, long attemptId) {
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
