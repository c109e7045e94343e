package org.seqpack.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.core.Accounting;
import org.seqpack.core.BuildInfo;
import org.seqpack.core.Json;
import org.seqpack.core.LengthsReport;
import org.seqpack.core.OutputFile;
import org.seqpack.core.OutputFormat;
import org.seqpack.core.PackStats;
import org.seqpack.core.PartitionResult;
import org.seqpack.core.RunIdentity;
import org.seqpack.core.RunReport;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.parquet.RowFileWriter;
import org.seqpack.sft.ChatTemplate;
import org.seqpack.sft.Message;
import org.seqpack.sft.SftEncoder;
import org.seqpack.sft.SftResult;
import org.seqpack.tokenizer.JavaEngine;
import org.seqpack.tokenizer.SentinelResolver;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The driver: validates everything before Spark starts ({@link #prepare}), then wires read →
 * tokenize and pack per partition → write → stats ({@link #run}). No algorithm lives here.
 */
public final class PrepareJob {
  private static final String PROBE_TEXT = "Probe: hello, world! 123 héllo 世界";

  private final JobConfig config;
  private final TokenizerSpec tokenizer;
  private final Sentinels sentinels;
  private final Configuration hadoopConf;
  private final Inputs.Listing inputs;
  private final OutputFolder output;
  private final String chatTemplate;
  private final int vocabularySize;
  private final TokenizerEngine engine;

  private PrepareJob(
      JobConfig config,
      TokenizerSpec tokenizer,
      Sentinels sentinels,
      Configuration hadoopConf,
      Inputs.Listing inputs,
      OutputFolder output,
      String chatTemplate,
      int vocabularySize,
      TokenizerEngine engine) {
    this.config = config;
    this.vocabularySize = vocabularySize;
    this.engine = engine;
    this.chatTemplate = chatTemplate;
    this.tokenizer = tokenizer;
    this.sentinels = sentinels;
    this.hadoopConf = hadoopConf;
    this.inputs = inputs;
    this.output = output;
  }

  /**
   * Checks the tokenizer (loads it and encodes a probe text), the inputs and the output folder,
   * without starting Spark. Throws {@link SeqpackException} naming the first broken thing.
   */
  public static PrepareJob prepare(JobConfig config, SparkConf sparkConf) {
    Configuration hadoopConf = HadoopConf.fromSparkConf(sparkConf);
    TokenizerSpec tokenizer =
        TokenizerFiles.read(
            JobOptions.TOKENIZER.key(),
            config.tokenizer().path(),
            config.tokenizer().specialTokensInText(),
            hadoopConf);
    try (TokenEncoder encoder = TokenEncoder.load(tokenizer)) {
      if (encoder.encode(PROBE_TEXT).length == 0) {
        throw new SeqpackException(
            "'"
                + JobOptions.TOKENIZER.key()
                + "' is '"
                + config.tokenizer().path()
                + "'; must encode text to tokens, but the probe text gave none");
      }
    }
    SentinelResolver resolver = new SentinelResolver(tokenizer);
    Sentinels sentinels = config.sentinels(resolver);
    String chatTemplate =
        config.sft().enabled() ? chatTemplate(config, tokenizer, hadoopConf) : null;
    Inputs.Listing inputs = Inputs.validate(config.input(), hadoopConf);
    TokenizerEngine engine = TokenizerEngine.choose(config, tokenizer, hadoopConf);
    System.err.println(
        "seqpack: tokenizer engine "
            + engine.name()
            + ": "
            + engine.reason()
            + (engine.measured().isEmpty() ? "" : "; " + engine.measured()));
    OutputFolder output =
        new OutputFolder(config.output().path(), newRunId(), config.output().commit(), hadoopConf);
    output.checkWritable(config.output().overwrite());
    return new PrepareJob(
        config,
        tokenizer,
        sentinels,
        hadoopConf,
        inputs,
        output,
        chatTemplate,
        resolver.vocabularySize(),
        engine);
  }

  /** 12 hex digits: short enough for file names, random enough for the runs of one output. */
  private static String newRunId() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * The chat template source (the file given, else the tokenizer's; null when neither exists),
   * checked by encoding a sample conversation so that template errors stop the run before Spark.
   */
  private static String chatTemplate(
      JobConfig config, TokenizerSpec tokenizer, Configuration hadoopConf) {
    String path = config.sft().chatTemplatePath();
    String source =
        path.isEmpty()
            ? tokenizer.config().chatTemplate().orElse(null)
            : TokenizerFiles.readText(JobOptions.CHAT_TEMPLATE.key(), path, hadoopConf);
    try (TokenEncoder encoder = TokenEncoder.load(tokenizer)) {
      SftEncoder sft =
          new SftEncoder(
              tokenizer,
              encoder,
              source == null ? null : ChatTemplate.of(source, tokenizer.config(), Map.of()),
              config.sft().options(config.packing().seqLen()));
      if (source != null) {
        SftResult sample =
            sft.encodeChat(
                List.of(
                    Message.system("You are helpful."),
                    Message.user("Hello?"),
                    Message.assistant("Hello! How can I help?")));
        if (sample instanceof SftResult.Rejected rejected) {
          throw new SeqpackException(
              "'"
                  + JobOptions.CHAT_TEMPLATE.key()
                  + "' is '"
                  + (path.isEmpty() ? "the tokenizer's chat_template" : path)
                  + "'; must render a sample conversation, but it gave "
                  + rejected.reason().counterName()
                  + ": "
                  + rejected.detail());
        }
      }
    } catch (SeqpackException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new SeqpackException(
          "'" + JobOptions.CHAT_TEMPLATE.key() + "' cannot be used: " + e.getMessage(), e);
    }
    return source;
  }

  public Sentinels sentinels() {
    return sentinels;
  }

  /** Runs the job on {@code spark} without progress lines; returns the report in stats.json. */
  public RunReport run(SparkSession spark) {
    return run(spark, null);
  }

  /**
   * Runs the job on {@code spark}, printing progress lines to {@code progress} (none when null);
   * returns the report written to stats.json (the first length's, when there are several).
   */
  public RunReport run(SparkSession spark, PrintStream progressOut) {
    return runLengths(spark, progressOut).get(0);
  }

  /** One length's output during a run: its configuration, folder, identity and kept partitions. */
  private static final class LaneRun {
    final int seqLen;
    final JobConfig config;
    OutputFolder folder;
    RunIdentity identity;
    final List<PartitionResult> kept = new ArrayList<>();
    final List<PartitionResult> results = new ArrayList<>();
    boolean resumed;

    LaneRun(int seqLen, JobConfig config) {
      this.seqLen = seqLen;
      this.config = config;
    }
  }

  /**
   * Runs the job, one output per length (the output folder itself for one length, {@code L=<n>/} in
   * it for several), from one reading and tokenization; returns each output's report, in the order
   * of the lengths.
   */
  public List<RunReport> runLengths(SparkSession spark, PrintStream progressOut) {
    long start = System.nanoTime();
    Configuration conf = HadoopConf.copyOf(spark.sparkContext().hadoopConfiguration(), Map.of());
    JavaRDD<SourceDocument> documents = Inputs.read(spark, config, conf, inputs.bytes());
    boolean several = config.seqLens().size() > 1;
    List<LaneRun> lanes = new ArrayList<>();
    for (int seqLen : config.seqLens()) {
      LaneRun lane = new LaneRun(seqLen, several ? config.forSeqLen(seqLen) : config);
      OutputFolder folder = several ? output.lengthFolder(seqLen, conf) : output;
      lane.folder = folder.forRun(output.runId(), conf);
      lane.identity = identity(lane, documents.getNumPartitions());
      lanes.add(lane);
    }
    if (config.output().resume()) {
      resume(lanes, conf);
    }
    try {
      for (LaneRun lane : lanes) {
        lane.folder.prepare(lane.identity);
      }
      if (several) {
        output.beginLengths();
      }
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      Broadcast<TokenizerSpec> broadcast = jsc.broadcast(tokenizer);
      LongAccumulator documentsCounter = spark.sparkContext().longAccumulator(Progress.DOCUMENTS);
      LongAccumulator tokensCounter = spark.sparkContext().longAccumulator(Progress.TOKENS);
      BitSet keptPartitions = new BitSet();
      for (PartitionResult result : lanes.get(0).kept) {
        keptPartitions.set(result.partition());
        documentsCounter.add(result.stats().documentsRead);
        tokensCounter.add(result.stats().tokens);
      }
      OutputFormat format = config.output().format();
      List<PackPartition.Lane> specs = new ArrayList<>();
      for (LaneRun lane : lanes) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(RowFileWriter.FORMAT_KEY, RowFileWriter.FORMAT_VERSION);
        metadata.put(RowFileWriter.TOKENIZER_SHA256_KEY, tokenizer.sha256());
        metadata.put(RowFileWriter.CONFIG_KEY, Json.compact(Json.tree(lane.config.recorded())));
        metadata.put(RowFileWriter.BUILD_KEY, BuildInfo.current().describe());
        specs.add(new PackPartition.Lane(lane.config.packing(), lane.folder.taskFiles(), metadata));
      }
      PackPartition pack =
          new PackPartition(
              broadcast,
              sentinels,
              specs,
              config.sft(),
              chatTemplate,
              keptPartitions,
              new HadoopConf(conf),
              config.output().zstdLevel(),
              config.output().emitSeqLens(),
              format,
              config.output().shardTokens(),
              vocabularySize,
              engine.java(),
              !JavaEngine.splitsWhereTextIsCut(tokenizer),
              config.tokenizer().maxCharsPerCall(),
              documentsCounter,
              tokensCounter);
      JavaRDD<PackPartition.Done> tasks = documents.mapPartitions(pack);
      List<PackPartition.Done> done;
      try (Progress progress =
          progressOut == null
              ? null
              : Progress.start(
                  spark.sparkContext(),
                  new Progress.Job(
                      documentsCounter, tokensCounter, tasks.getNumPartitions(), inputs.bytes()),
                  progressOut)) {
        done = tasks.collect();
      }
      for (PackPartition.Done result : done) {
        lanes.get(result.lane()).results.add(result.result());
      }
      double wallSeconds = (System.nanoTime() - start) / 1e9;
      List<RunReport> reports = new ArrayList<>();
      for (LaneRun lane : lanes) {
        reports.add(finish(spark, lane, format, wallSeconds));
      }
      if (several) {
        writeLengthsSummary(lanes, reports, (System.nanoTime() - start) / 1e9);
      }
      return reports;
    } catch (Exception e) {
      // Also Spark's checked SparkException (a failed task), which Scala throws undeclared.
      for (LaneRun lane : lanes) {
        lane.folder.abort(config.output().resume());
      }
      if (e instanceof SeqpackException seqpack) {
        throw seqpack;
      }
      throw new SeqpackException("the job failed: " + rootMessage(e), e);
    }
  }

  private RunIdentity identity(LaneRun lane, int partitions) {
    return new RunIdentity(
        lane.folder.runId(),
        System.currentTimeMillis(),
        lane.folder.commit().configName(),
        lane.config.recorded(),
        tokenizer.sha256(),
        chatTemplate == null ? "" : sha256(chatTemplate),
        inputs.sha256(),
        inputs.files(),
        inputs.bytes(),
        partitions,
        BuildInfo.current().describe());
  }

  /**
   * Continues each length's latest unfinished run that wrote what this one would; the partitions
   * kept are those every length finished (a partition is read once for all lengths).
   */
  private void resume(List<LaneRun> lanes, Configuration conf) {
    BitSet everywhere = null;
    for (LaneRun lane : lanes) {
      RunIdentity resumed = resumable(lane.folder, lane.identity);
      BitSet finished = new BitSet();
      if (resumed != null) {
        lane.identity = lane.identity.as(resumed.runId(), resumed.startedMillis());
        lane.folder = lane.folder.forRun(resumed.runId(), conf);
        try {
          lane.kept.addAll(lane.folder.finishedPartitions(lane.identity.partitions()));
        } catch (IOException e) {
          throw new SeqpackException(
              "cannot read the finished partitions of run " + resumed.runId() + ": " + e, e);
        }
        lane.kept.forEach(result -> finished.set(result.partition()));
        lane.resumed = true;
      }
      if (everywhere == null) {
        everywhere = finished;
      } else {
        everywhere.and(finished);
      }
    }
    for (LaneRun lane : lanes) {
      BitSet keep = everywhere;
      lane.kept.removeIf(result -> !keep.get(result.partition()));
      if (lane.resumed) {
        System.err.printf(
            "seqpack: resuming run %s of %s: %d of %d partitions finished, computing the rest%n",
            lane.folder.runId(),
            lane.folder.output(),
            lane.kept.size(),
            lane.identity.partitions());
      }
    }
  }

  /** Checks one length's results, writes its stats.json and commits its output. */
  private RunReport finish(SparkSession spark, LaneRun lane, OutputFormat format, double wall)
      throws IOException {
    List<PartitionResult> results = new ArrayList<>(lane.kept);
    results.addAll(lane.results);
    results.sort(Comparator.comparingInt(PartitionResult::partition));
    PackStats total = new PackStats();
    int rejectedFiles = 0;
    List<OutputFile> outputFiles = new ArrayList<>();
    for (PartitionResult result : results) {
      total.merge(result.stats());
      if (result.rejectedFile() != null) {
        rejectedFiles++;
      }
      outputFiles.addAll(result.files());
    }
    if (format.rows()) {
      Accounting.check(total);
    } else {
      Accounting.check(
          total,
          outputFiles.stream().mapToLong(OutputFile::tokens).sum(),
          "in the " + format.configName() + " files");
    }
    Accounting.checkRejectedFraction(
        total, config.output().maxRejectedFraction(), JobOptions.MAX_REJECTED_FRACTION.key());
    RunReport report =
        new RunReport(
            total,
            lane.seqLen,
            format,
            tokenizerInfo(total),
            lane.config.recorded(),
            versions(spark),
            results.size(),
            outputFiles,
            new RunReport.RejectedOutput(RejectedRecordsFile.FOLDER, rejectedFiles),
            Accounting.warnings(total),
            new RunReport.RunInfo(
                lane.folder.runId(), lane.folder.commit().configName(), lane.kept.size()),
            wall);
    lane.folder.commit(
        results, report.toJson(), format, tokenizer.sha256(), lane.config.recorded());
    return report;
  }

  /**
   * stats.json and {@code _SUCCESS} at the top of a several-length output, once every length is
   * committed: the lengths, what each output holds and cost, and what they shared.
   */
  private void writeLengthsSummary(List<LaneRun> lanes, List<RunReport> reports, double wall)
      throws IOException {
    List<LengthsReport.Length> lengths = new ArrayList<>();
    for (int i = 0; i < lanes.size(); i++) {
      lengths.add(
          new LengthsReport.Length(
              lanes.get(i).seqLen,
              OutputFolder.lengthFolderName(lanes.get(i).seqLen),
              reports.get(i).stats()));
    }
    output.commitLengths(
        new LengthsReport(lengths, config.recorded(), wall).toJson(),
        lanes.stream().map(lane -> OutputFolder.lengthFolderName(lane.seqLen)).toList());
  }

  /**
   * The latest unfinished run of the output when it wrote what this one would, else null when there
   * is none; throws, naming every difference, when the latest one differs.
   */
  private static RunIdentity resumable(OutputFolder folder, RunIdentity now) {
    List<RunIdentity> runs;
    try {
      runs = folder.unfinishedRuns();
    } catch (IOException e) {
      throw new SeqpackException(
          "'" + JobOptions.RESUME.key() + "' cannot list the runs of " + folder.output() + ": " + e,
          e);
    }
    if (runs.isEmpty()) {
      System.err.printf(
          "seqpack: %s: no unfinished run of %s; starting a new one%n",
          JobOptions.RESUME.flag(), folder.output());
      return null;
    }
    RunIdentity latest = runs.get(0);
    List<String> differences = latest.differences(now);
    if (!differences.isEmpty()) {
      throw new SeqpackException(
          "'"
              + JobOptions.RESUME.key()
              + "' cannot continue run "
              + latest.runId()
              + " of "
              + folder.output()
              + ": it differs in "
              + String.join("; ", differences)
              + ". Rerun with the same inputs and configuration, or without --resume to start"
              + " over (its commit removes the old run's files)");
    }
    return latest;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The engine that encodes the documents, and why. */
  public String engine() {
    return engine.name() + ": " + engine.reason();
  }

  private Map<String, Object> tokenizerInfo(PackStats total) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("path", config.tokenizer().path());
    info.put("sha256", tokenizer.sha256());
    info.put("bos_id", sentinels.bos());
    info.put("eos_id", sentinels.eos());
    info.put("pad_id", sentinels.pad());
    info.put("vocab_size", vocabularySize);
    info.put("engine", engine.name());
    info.put("engine_reason", engine.reason());
    info.put("texts_on_djl", total.textsOnDjl);
    info.put("special_tokens_in_text", tokenizer.specialTokensInText());
    return info;
  }

  static Map<String, String> versions(SparkSession spark) {
    Map<String, String> versions = new LinkedHashMap<>();
    BuildInfo build = BuildInfo.current();
    versions.put("seqpack", build.version());
    versions.put("seqpack_commit", build.commit());
    versions.put("seqpack_dirty", build.dirty());
    versions.put("spark", spark.version());
    String djl = djlVersion();
    int dash = djl.indexOf('-');
    versions.put("djl", dash < 0 ? djl : djl.substring(dash + 1));
    versions.put("tokenizers", dash < 0 ? djl : djl.substring(0, dash));
    versions.put("java", System.getProperty("java.version"));
    return versions;
  }

  private static String djlVersion() {
    try (InputStream in =
        TokenEncoder.class
            .getClassLoader()
            .getResourceAsStream("native/lib/tokenizers.properties")) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      if (cause instanceof SeqpackException) {
        return cause.getMessage();
      }
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
