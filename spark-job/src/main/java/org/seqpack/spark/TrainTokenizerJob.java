package org.seqpack.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;
import org.seqpack.core.EncodedDocuments;
import org.seqpack.core.InputConfig;
import org.seqpack.core.Json;
import org.seqpack.core.PackStats;
import org.seqpack.core.RejectedRecord;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.tokenizer.bpe.PreTokenizer;
import org.seqpack.train.BpeTrainer;
import org.seqpack.train.Compression;
import org.seqpack.train.HeldOut;
import org.seqpack.train.PreTokenPattern;
import org.seqpack.train.TokenizerJson;
import org.seqpack.train.TrainedBpe;
import org.seqpack.train.TrainingOptions;
import org.seqpack.train.Words;
import scala.Tuple2;

/**
 * {@code seqpack train-tokenizer}: word counts computed by Spark (pre-tokenized per partition,
 * summed by key with map-side combining, which spills, then pruned by the minimum frequency), the
 * merges learned on the driver by {@link BpeTrainer}, the tokenizer files written to the output.
 */
public final class TrainTokenizerJob {
  /** Keys of counted rejections and documents, beside the words (no byte-level word has U+0000). */
  private static final char COUNTER = '\u0000';

  /** Prefix of the held-out documents' words (no byte-level word has U+0001). */
  private static final char HELD_OUT = '\u0001';

  private static final String DOCUMENTS = COUNTER + "documents";
  private static final String HELD_OUT_DOCUMENTS = COUNTER + "held_out_documents";
  private static final String WORDS = COUNTER + "words";
  private static final String REJECTED = COUNTER + "rejected:";
  private static final String REJECTED_FILE = COUNTER + "rejected_file:";

  private final InputConfig input;
  private final String output;
  private final boolean overwrite;
  private final TrainingOptions options;
  private final Configuration hadoopConf;
  private final Inputs.Listing listing;

  private TrainTokenizerJob(
      InputConfig input,
      String output,
      boolean overwrite,
      TrainingOptions options,
      Configuration hadoopConf,
      Inputs.Listing listing) {
    this.input = input;
    this.output = output;
    this.overwrite = overwrite;
    this.options = options;
    this.hadoopConf = hadoopConf;
    this.listing = listing;
  }

  /** What a training read, kept and wrote; its {@link #json} is the output's training.json. */
  public record Result(
      long documents,
      Map<String, Long> rejected,
      Map<String, Long> rejectedFiles,
      long heldOutDocuments,
      long words,
      long distinctWords,
      long keptWords,
      int vocabSize,
      int merges,
      List<Compression.Point> compression,
      double countSeconds,
      double mergeSeconds) {

    /** The summary printed by the command. */
    public String summary(String output) {
      long rejectedTotal = rejected.values().stream().mapToLong(Long::longValue).sum();
      StringBuilder text = new StringBuilder();
      text.append(
          String.format(
              "documents: %,d read, %,d rejected, %,d held out%n",
              documents, rejectedTotal, heldOutDocuments));
      text.append(
          String.format(
              "words:     %,d in training, %,d distinct, %,d kept (count >= min frequency)%n",
              words, distinctWords, keptWords));
      text.append(String.format("vocabulary: %,d tokens, %,d merges%n", vocabSize, merges));
      for (Compression.Point point : compression) {
        text.append(
            String.format(
                "held out:  %.3f bytes/token at %,d%n", point.bytesPerToken(), point.vocabSize()));
      }
      text.append(
          String.format(
              "time:      %.1f s counting words (Spark), %.1f s merging (driver)%n",
              countSeconds, mergeSeconds));
      text.append("output:    ").append(output).append(System.lineSeparator());
      return text.toString();
    }
  }

  /** Checks the inputs and the output folder before Spark starts. */
  public static TrainTokenizerJob prepare(
      InputConfig input,
      String output,
      boolean overwrite,
      TrainingOptions options,
      SparkConf sparkConf) {
    Configuration conf = HadoopConf.fromSparkConf(sparkConf);
    Inputs.Listing listing = Inputs.validate(input, conf);
    try {
      for (String name : List.of("tokenizer.json", RejectedRecord.FOLDER)) {
        Path path = new Path(output, name);
        if (!overwrite && path.getFileSystem(conf).exists(path)) {
          throw new SeqpackException(
              "'--output' is '"
                  + output
                  + "'; it holds a "
                  + name
                  + " already: must not, or give --overwrite");
        }
      }
    } catch (IOException e) {
      throw new SeqpackException("'--output' is '" + output + "'; cannot be read: " + e, e);
    }
    return new TrainTokenizerJob(input, output, overwrite, options, conf, listing);
  }

  /** Counts, trains and writes; returns what it did. */
  public Result run(SparkSession spark) {
    long start = System.nanoTime();
    LongAccumulator distinct = spark.sparkContext().longAccumulator("distinct words");
    long minFrequency = options.trainer().minFrequency();
    RejectedFolder rejectedFolder = RejectedFolder.prepare(output, hadoopConf);
    List<Tuple2<String, Long>> counted =
        Inputs.readText(spark, input, hadoopConf, listing.bytes())
            .mapPartitionsToPair(
                new CountWords(options.pattern(), options.heldOutFraction(), rejectedFolder))
            .reduceByKey(Long::sum)
            .filter(
                entry -> {
                  char first = entry._1().isEmpty() ? 'x' : entry._1().charAt(0);
                  if (first == COUNTER || first == HELD_OUT) {
                    return true;
                  }
                  distinct.add(1);
                  return entry._2() >= minFrequency;
                })
            .collect();
    Map<String, Long> words = new HashMap<>();
    Map<String, Long> heldOut = new HashMap<>();
    Map<String, Long> rejected = new TreeMap<>();
    Map<String, Long> rejectedFiles = new TreeMap<>();
    long documents = 0;
    long heldOutDocuments = 0;
    long wordTotal = 0;
    for (Tuple2<String, Long> entry : counted) {
      String key = entry._1();
      if (key.equals(DOCUMENTS)) {
        documents = entry._2();
      } else if (key.equals(HELD_OUT_DOCUMENTS)) {
        heldOutDocuments = entry._2();
      } else if (key.equals(WORDS)) {
        wordTotal = entry._2();
      } else if (key.startsWith(REJECTED_FILE)) {
        rejectedFiles.put(key.substring(REJECTED_FILE.length()), entry._2());
      } else if (key.startsWith(REJECTED)) {
        rejected.put(key.substring(REJECTED.length()), entry._2());
      } else if (!key.isEmpty() && key.charAt(0) == HELD_OUT) {
        heldOut.put(key.substring(1), entry._2());
      } else {
        words.put(key, entry._2());
      }
    }
    counted = null; // the words are in the maps now
    rejectedFolder.finish(
        rejectedFiles, rejected.values().stream().mapToLong(Long::longValue).sum());
    double countSeconds = (System.nanoTime() - start) / 1e9;
    long mergeStart = System.nanoTime();
    TrainedBpe bpe = new BpeTrainer(options.trainer()).train(words);
    double mergeSeconds = (System.nanoTime() - mergeStart) / 1e9;
    List<Compression.Point> compression =
        heldOut.isEmpty()
            ? List.of()
            : Compression.curve(
                bpe,
                heldOut,
                options.vocabSizes().stream().filter(size -> size <= bpe.vocabSize()).toList());
    Result result =
        new Result(
            documents,
            rejected,
            rejectedFiles,
            heldOutDocuments,
            wordTotal,
            distinct.value(),
            words.size(),
            bpe.vocabSize(),
            bpe.merges().size(),
            compression,
            countSeconds,
            mergeSeconds);
    write(bpe, result);
    return result;
  }

  private void write(TrainedBpe bpe, Result result) {
    try {
      Path folder = new Path(output);
      FileSystem fs = folder.getFileSystem(hadoopConf);
      // No .crc files beside the tokenizer's on local disks.
      fs.setWriteChecksum(false);
      fs.mkdirs(folder);
      write(
          fs,
          new Path(folder, "tokenizer.json"),
          Json.compact(TokenizerJson.tokenizer(bpe, options.pattern(), options.addedTokens())));
      write(
          fs,
          new Path(folder, "tokenizer_config.json"),
          Json.pretty(TokenizerJson.config(bpe, options.addedTokens())));
      if (!result.compression().isEmpty()) {
        write(fs, new Path(folder, "compression.json"), Json.pretty(compressionJson(result)));
      }
      write(fs, new Path(folder, "training.json"), Json.pretty(trainingJson(bpe, result)));
    } catch (IOException e) {
      throw new SeqpackException("cannot write to '--output' '" + output + "': " + e, e);
    }
  }

  private static void write(FileSystem fs, Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
  }

  private ObjectNode compressionJson(Result result) {
    ObjectNode root = Json.object();
    root.put("held_out_fraction", options.heldOutFraction());
    root.put("held_out_documents", result.heldOutDocuments());
    root.put("pattern", options.pattern().cliName());
    ArrayNode points = root.putArray("points");
    for (Compression.Point point : result.compression()) {
      ObjectNode node = points.addObject();
      node.put("vocab_size", point.vocabSize());
      node.put("merges", point.merges());
      node.put("bytes", point.bytes());
      node.put("tokens", point.tokens());
      node.put("bytes_per_token", point.bytesPerToken());
    }
    return root;
  }

  private ObjectNode trainingJson(TrainedBpe bpe, Result result) {
    ObjectNode root = Json.object();
    ObjectNode settings = root.putObject("settings");
    settings.put("vocab_size", options.trainer().vocabSize());
    settings.put("min_frequency", options.trainer().minFrequency());
    settings.put("pattern", options.pattern().cliName());
    ArrayNode specials = settings.putArray("special_tokens");
    options.trainer().specialTokens().forEach(specials::add);
    ArrayNode added = settings.putArray("added_tokens");
    options.addedTokens().forEach(added::add);
    settings.put("held_out_fraction", options.heldOutFraction());
    ArrayNode inputs = settings.putArray("inputs");
    input.paths().forEach(inputs::add);
    ObjectNode documents = root.putObject("documents");
    documents.put("read", result.documents());
    documents.put("held_out", result.heldOutDocuments());
    ObjectNode rejected = documents.putObject("rejected");
    result.rejected().forEach(rejected::put);
    ObjectNode rejectedFiles = documents.putObject("rejected_files");
    result.rejectedFiles().forEach(rejectedFiles::put);
    ObjectNode words = root.putObject("words");
    words.put("total", result.words());
    words.put("distinct", result.distinctWords());
    words.put("kept", result.keptWords());
    ObjectNode vocabulary = root.putObject("vocabulary");
    vocabulary.put("size", bpe.vocabSize());
    vocabulary.put("merges", bpe.merges().size());
    ObjectNode time = root.putObject("seconds");
    time.put("counting", result.countSeconds());
    time.put("merging", result.mergeSeconds());
    return root;
  }

  /**
   * A partition's documents' words, each with count 1 (summed by key later); held-out documents'
   * words under {@link #HELD_OUT}; each document, and each rejection by reason, under {@link
   * #COUNTER} keys, so one pass counts all. Rejected records go to the partition's file of {@code
   * _rejected/}, whose name and record count come last. Lazy, so that Spark's map-side combining
   * (which spills) bounds the memory; the scanner is made once per task.
   */
  private static final class CountWords
      implements PairFlatMapFunction<Iterator<SourceDocument>, String, Long> {
    private static final long serialVersionUID = 1L;
    private final PreTokenPattern pattern;
    private final double heldOutFraction;
    private final RejectedFolder rejectedFolder;

    CountWords(PreTokenPattern pattern, double heldOutFraction, RejectedFolder rejectedFolder) {
      this.pattern = pattern;
      this.heldOutFraction = heldOutFraction;
      this.rejectedFolder = rejectedFolder;
    }

    @Override
    public Iterator<Tuple2<String, Long>> call(Iterator<SourceDocument> documents) {
      PreTokenizer scanner = pattern.scanner();
      PackStats stats = new PackStats();
      RejectedRecordsFile rejected = rejectedFolder.open(stats);
      // A failed task's file is closed and dropped; a finished one was committed first.
      TaskContext.get()
          .addTaskCompletionListener((TaskCompletionListener) task -> rejected.close());
      return new Iterator<>() {
        private Iterator<Tuple2<String, Long>> current = Collections.emptyIterator();
        private boolean finished;

        @Override
        public boolean hasNext() {
          while (!current.hasNext()) {
            if (documents.hasNext()) {
              current = words(documents.next(), scanner, rejected);
            } else if (!finished) {
              finished = true;
              current = committed(rejected, stats);
            } else {
              return false;
            }
          }
          return true;
        }

        @Override
        public Tuple2<String, Long> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          return current.next();
        }
      };
    }

    private Iterator<Tuple2<String, Long>> words(
        SourceDocument document, PreTokenizer scanner, RejectedRecordsFile rejects) {
      List<Tuple2<String, Long>> out = new ArrayList<>();
      out.add(new Tuple2<>(DOCUMENTS, 1L));
      if (document.isRejected() || document.text().isBlank()) {
        SourceDocument rejected = document.rejectedFor(EncodedDocuments.EMPTY);
        out.add(new Tuple2<>(REJECTED + rejected.rejection(), 1L));
        rejects.accept(rejected);
        return out.iterator();
      }
      boolean held = HeldOut.contains(document.source(), document.position(), heldOutFraction);
      if (held) {
        out.add(new Tuple2<>(HELD_OUT_DOCUMENTS, 1L));
      }
      String prefix = held ? String.valueOf(HELD_OUT) : "";
      int before = out.size();
      Words.split(document.text(), scanner, word -> out.add(new Tuple2<>(prefix + word, 1L)));
      if (!held) {
        out.add(new Tuple2<>(WORDS, (long) (out.size() - before)));
      }
      return out.iterator();
    }

    private static Iterator<Tuple2<String, Long>> committed(
        RejectedRecordsFile rejected, PackStats stats) {
      try {
        String name = rejected.commit();
        return name == null
            ? Collections.emptyIterator()
            : List.of(new Tuple2<>(REJECTED_FILE + name, stats.rejectedRecordsWritten)).iterator();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
