package org.seqpack.spark;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.seqpack.analyze.Analysis;
import org.seqpack.analyze.AnalysisReport;
import org.seqpack.analyze.CompressionCurve;
import org.seqpack.analyze.CorpusAnalyzer;
import org.seqpack.analyze.LinguaDetector;
import org.seqpack.analyze.ReportPage;
import org.seqpack.analyze.Vocabulary;
import org.seqpack.config.JobConfig;
import org.seqpack.config.JobOptions;
import org.seqpack.core.Json;
import org.seqpack.core.PackStats;
import org.seqpack.core.Sentinels;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.TextEncoder;
import org.seqpack.tokenizer.JavaEngine;
import org.seqpack.tokenizer.SentinelResolver;
import org.seqpack.tokenizer.SharedEncoders;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The driver of {@code seqpack analyze}: checks the tokenizers, inputs and output folder before
 * Spark starts ({@link #prepare}), then reads the input as the job does ({@link Inputs}), analyses
 * each partition into an {@link Analysis} ({@link CorpusAnalyzer}), merges them, and writes {@code
 * analysis.json} and {@code report.html}. Writes no rows.
 */
public final class AnalyzeJob {
  /** Tokenizers per run, at most. */
  public static final int MAX_TOKENIZERS = 8;

  /** File names in the output folder. */
  public static final String ANALYSIS_JSON = "analysis.json";

  public static final String REPORT_HTML = "report.html";

  /**
   * What {@code analyze} is asked, beside the input options it shares with the job (in {@code
   * config}: inputs, format, text field, invalid UTF-8 and corrupt-file handling, partitions).
   *
   * @param sourceField the JSONL field or Parquet column documents are grouped by, or null to group
   *     them by input file
   * @param compressions the compression.json files (or their folders) to draw in the report
   */
  public record Options(
      JobConfig config,
      List<String> tokenizers,
      int[] seqLens,
      double sampleFraction,
      String referenceLanguage,
      String output,
      boolean overwrite,
      String sourceField,
      List<String> compressions) {
    public Options {
      compressions = List.copyOf(compressions);
    }

    /** Without compression curves. */
    public Options(
        JobConfig config,
        List<String> tokenizers,
        int[] seqLens,
        double sampleFraction,
        String referenceLanguage,
        String output,
        boolean overwrite,
        String sourceField) {
      this(
          config,
          tokenizers,
          seqLens,
          sampleFraction,
          referenceLanguage,
          output,
          overwrite,
          sourceField,
          List.of());
    }
  }

  private final Options options;
  private final List<TokenizerSpec> specs;
  private final List<AnalysisReport.TokenizerInfo> infos;
  private final List<TokenizerEngine> engines;
  private final Inputs.Listing inputs;
  private final List<CompressionCurve> curves;

  private AnalyzeJob(
      Options options,
      List<TokenizerSpec> specs,
      List<AnalysisReport.TokenizerInfo> infos,
      List<TokenizerEngine> engines,
      Inputs.Listing inputs,
      List<CompressionCurve> curves) {
    this.options = options;
    this.specs = specs;
    this.infos = infos;
    this.engines = engines;
    this.inputs = inputs;
    this.curves = curves;
  }

  /**
   * Reads the compression curves, loads every tokenizer (and encodes a probe), checks the inputs
   * and the output folder.
   */
  public static AnalyzeJob prepare(Options options, SparkConf sparkConf) {
    Configuration conf = HadoopConf.fromSparkConf(sparkConf);
    if (sparkConf.get("spark.master", "").startsWith("local")) {
      // This JVM runs the tasks too: load Lingua's models now, on the core prepare leaves idle.
      LinguaDetector.preloadInBackground();
    }
    // First: reading a few small files costs nothing against loading the tokenizers.
    List<CompressionCurve> curves = CompressionFiles.readAll(options.compressions(), conf);
    List<TokenizerSpec> specs = new ArrayList<>();
    List<AnalysisReport.TokenizerInfo> infos = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String path : options.tokenizers()) {
      TokenizerSpec spec = TokenizerFiles.read(JobOptions.TOKENIZER.key(), path, false, conf);
      // The JVM's shared instance: the engine check and, in local mode, the tasks use it again.
      TokenEncoder encoder = SharedEncoders.get(spec);
      if (encoder.encode("Probe: hello, world!").length == 0) {
        throw new SeqpackException(
            "'--tokenizer' is '" + path + "'; must encode text to tokens, but the probe gave none");
      }
      String name = uniqueName(path, names);
      names.add(name);
      int perDocument = sentinelsPerDocument(spec);
      specs.add(spec);
      infos.add(
          new AnalysisReport.TokenizerInfo(
              Vocabulary.parse(name, spec.loadableJson()), path, spec.sha256(), perDocument));
    }
    Inputs.Listing inputs = Inputs.validate(options.config().input(), conf);
    checkOutput(options, conf);
    // The job's own engine choice, sample check included: analyze counts the tokens the job would
    // write, at the Java engine's speed where it gives the same ids.
    List<TokenizerEngine> engines = new ArrayList<>();
    for (TokenizerSpec spec : specs) {
      engines.add(TokenizerEngine.choose(options.config(), spec, conf));
    }
    return new AnalyzeJob(options, specs, infos, engines, inputs, curves);
  }

  /**
   * The sentinels the job adds to each document by default: tokenizer_config.json's EOS, and its
   * BOS when add_bos_token is set; none when the configuration names neither (the job would then
   * ask for --eos-token).
   */
  private static int sentinelsPerDocument(TokenizerSpec spec) {
    try {
      Sentinels sentinels =
          new SentinelResolver(spec)
              .resolve(
                  JobOptions.EOS_TOKEN.key(), "",
                  JobOptions.BOS_TOKEN.key(), "",
                  JobOptions.PAD_TOKEN.key(), "");
      return (sentinels.bos() == Sentinels.NONE ? 0 : 1)
          + (sentinels.eos() == Sentinels.NONE ? 0 : 1);
    } catch (SeqpackException e) {
      return 0;
    }
  }

  /** The tokenizer folder's (or file's parent folder's) name, numbered when already taken. */
  private static String uniqueName(String path, List<String> taken) {
    Path p = new Path(path);
    String name =
        p.getName().endsWith(".json") && p.getParent() != null
            ? p.getParent().getName()
            : p.getName();
    String unique = name;
    for (int n = 2; taken.contains(unique); n++) {
      unique = name + "-" + n;
    }
    return unique;
  }

  private static void checkOutput(Options options, Configuration conf) {
    try {
      Path out = new Path(options.output());
      FileSystem fs = out.getFileSystem(conf);
      if (fs.exists(out)) {
        if (!fs.getFileStatus(out).isDirectory()) {
          throw new SeqpackException(
              "'--output' is '" + options.output() + "'; must be a folder, but it is a file");
        }
        if (fs.listStatus(out).length > 0 && !options.overwrite()) {
          throw new SeqpackException(
              "'--output' is '"
                  + options.output()
                  + "'; must be empty or absent (or pass --overwrite to replace its report)");
        }
      }
    } catch (IOException e) {
      throw new SeqpackException(
          "'--output' is '" + options.output() + "'; cannot be checked: " + e.getMessage(), e);
    }
  }

  /** The analysis JSON written, and where. */
  public record Result(ObjectNode analysis, String output) {}

  /** Runs the analysis on {@code spark}; writes analysis.json and report.html. */
  public Result run(SparkSession spark) {
    long start = System.nanoTime();
    JobConfig config = options.config();
    Configuration conf = HadoopConf.copyOf(spark.sparkContext().hadoopConfiguration(), Map.of());
    JavaRDD<SourceDocument> documents =
        Inputs.read(spark, config, conf, inputs.bytes(), options.sourceField());
    if (options.sampleFraction() < 1.0) {
      documents = documents.sample(false, options.sampleFraction(), 0L);
    }
    RejectedFolder rejected = RejectedFolder.prepare(options.output(), conf);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<List<TokenizerSpec>> broadcast = jsc.broadcast(List.copyOf(specs));
    List<Vocabulary> vocabularies =
        infos.stream().map(AnalysisReport.TokenizerInfo::vocabulary).toList();
    int[] sentinels =
        infos.stream().mapToInt(AnalysisReport.TokenizerInfo::sentinelsPerDocument).toArray();
    Analysis analysis;
    try {
      analysis =
          documents
              .mapPartitions(
                  new AnalyzePartition(
                      broadcast,
                      jsc.broadcast(List.copyOf(vocabularies)),
                      sentinels,
                      options.seqLens(),
                      javaEngines(),
                      rejected))
              .reduce(Analysis::merge);
    } catch (Exception e) {
      if (e instanceof SeqpackException seqpack) {
        throw seqpack;
      }
      throw new SeqpackException("the analysis failed: " + e.getMessage(), e);
    }
    analysis.checkAccounting();
    rejected.finish(analysis.rejectedFiles(), analysis.rejectedTotal());
    double seconds = (System.nanoTime() - start) / 1e9;
    ObjectNode json =
        AnalysisReport.build(
            analysis,
            infos,
            new AnalysisReport.Settings(
                config.input().paths(),
                config.input().format().name().toLowerCase(java.util.Locale.ROOT),
                options.sampleFraction(),
                options.referenceLanguage(),
                config.packing().windowTokens(),
                LinguaDetector.description()),
            seconds,
            curves);
    ArrayNode engineNodes = json.putArray("engines");
    for (int t = 0; t < engines.size(); t++) {
      engineNodes
          .addObject()
          .put("tokenizer", infos.get(t).vocabulary().name())
          .put("engine", engines.get(t).name())
          .put("reason", engines.get(t).reason());
    }
    write(conf, ANALYSIS_JSON, Json.pretty(json));
    write(conf, REPORT_HTML, ReportPage.render(json));
    return new Result(json, options.output());
  }

  /** Per tokenizer, whether the Java engine encodes (see {@link TokenizerEngine}). */
  private boolean[] javaEngines() {
    boolean[] java = new boolean[engines.size()];
    for (int t = 0; t < java.length; t++) {
      java[t] = engines.get(t).java();
    }
    return java;
  }

  /** The engine chosen for each tokenizer, in the order of {@code --tokenizer}. */
  public List<TokenizerEngine> engines() {
    return engines;
  }

  private void write(Configuration conf, String name, String text) {
    Path path = new Path(options.output(), name);
    try {
      FileSystem fs = path.getFileSystem(conf);
      // No .crc files beside the two on local disks.
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(path, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new SeqpackException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  /** One partition's documents into one {@link Analysis}; only serializable fields. */
  private static final class AnalyzePartition
      implements FlatMapFunction<Iterator<SourceDocument>, Analysis> {
    private static final long serialVersionUID = 1L;
    private final Broadcast<List<TokenizerSpec>> specs;
    private final Broadcast<List<Vocabulary>> vocabularies;
    private final int[] sentinels;
    private final int[] seqLens;
    private final boolean[] javaEngines;
    private final RejectedFolder rejected;

    AnalyzePartition(
        Broadcast<List<TokenizerSpec>> specs,
        Broadcast<List<Vocabulary>> vocabularies,
        int[] sentinels,
        int[] seqLens,
        boolean[] javaEngines,
        RejectedFolder rejected) {
      this.specs = specs;
      this.vocabularies = vocabularies;
      this.sentinels = sentinels;
      this.seqLens = seqLens;
      this.javaEngines = javaEngines;
      this.rejected = rejected;
    }

    @Override
    public Iterator<Analysis> call(Iterator<SourceDocument> documents) throws IOException {
      List<TextEncoder> encoders = new ArrayList<>();
      List<TokenizerSpec> all = specs.value();
      for (int t = 0; t < all.size(); t++) {
        TokenEncoder djl = SharedEncoders.get(all.get(t));
        encoders.add(
            javaEngines[t]
                ? new JavaEngine(SharedEncoders.java(all.get(t)), djl::encode, new PackStats())
                : djl::encode);
      }
      PackStats stats = new PackStats();
      try (RejectedRecordsFile file = rejected.open(stats)) {
        Analysis analysis =
            new CorpusAnalyzer(
                    encoders,
                    vocabularies.value(),
                    sentinels,
                    seqLens,
                    LinguaDetector.shared(),
                    file)
                .analyze(documents);
        String name = file.commit();
        if (name != null) {
          analysis.rejectedFile(name, stats.rejectedRecordsWritten);
        }
        return Collections.singletonList(analysis).iterator();
      }
    }
  }
}
