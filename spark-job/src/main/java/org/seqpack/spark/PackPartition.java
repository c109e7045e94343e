package org.seqpack.spark;

import java.io.IOException;
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
import org.seqpack.core.CountedDocuments;
import org.seqpack.core.DocumentChunker;
import org.seqpack.core.DocumentEncoder;
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
    PartitionPacker rows =
        new PartitionPacker(
            counted, documentEncoder(stats), packing, sentinels.pad(), partition, stats, rejected);

    Path target = new Path(files.dataFolder(), files.dataFileName(partition, attemptId));
    Path attempt = files.writePath(target, attemptId);
    FileSystem fs = attempt.getFileSystem(conf);
    String written = null;
    PartitionResult result;
    long[] reported = new long[2];
    try (rejected) {
      if (rows.hasNext()) {
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
        stats.outputBytes = fs.getFileStatus(attempt).getLen();
        files.finish(fs, attempt, target);
        written = target.getName();
      }
      count(stats, reported);
      String rejectedName = rejected.commit();
      result = new PartitionResult(partition, written, rejectedName, rejected.bytes(), stats);
      // Last: a partition with this record is finished, which --resume relies on.
      files.writeWhole(fs, files.partitionRecord(partition), result.toJson(), attemptId);
    } catch (IOException | RuntimeException e) {
      fs.delete(attempt, false);
      throw new SeqpackException("partition " + partition + " failed: " + e.getMessage(), e);
    }
    return List.of(result).iterator();
  }
}
