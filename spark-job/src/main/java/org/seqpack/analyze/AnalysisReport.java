package org.seqpack.analyze;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.seqpack.core.BuildInfo;
import org.seqpack.core.Json;

/**
 * Turns a merged {@link Analysis} into {@code analysis.json} (docs/ANALYZE.md defines every field):
 * the sums, and the ratios derived from them (bytes/token, tokens/word, premium, vocabulary share,
 * rows and fill per L, attention cost per token).
 */
public final class AnalysisReport {
  /** The format name and version written as {@code format}. */
  public static final String FORMAT = "seqpack-analysis/1";

  /** Top tokens listed per group. */
  public static final int TOP_TOKENS = 20;

  private AnalysisReport() {}

  /** A tokenizer as the report names it. */
  public record TokenizerInfo(
      Vocabulary vocabulary, String path, String sha256, int sentinelsPerDocument) {}

  /** What the run was asked to do, recorded beside the numbers. */
  public record Settings(
      List<String> inputs,
      String format,
      double sampleFraction,
      String referenceLanguage,
      long windowTokens,
      String detector) {}

  public static ObjectNode build(
      Analysis analysis, List<TokenizerInfo> tokenizers, Settings settings, double seconds) {
    return build(analysis, tokenizers, settings, seconds, List.of());
  }

  /** As above, with the compression curves given by {@code --compression} (possibly none). */
  public static ObjectNode build(
      Analysis analysis,
      List<TokenizerInfo> tokenizers,
      Settings settings,
      double seconds,
      List<CompressionCurve> curves) {
    ObjectNode root = Json.object();
    root.put("format", FORMAT);
    root.put("seqpack", BuildInfo.current().describe());
    ObjectNode run = root.putObject("settings");
    settings.inputs().forEach(run.putArray("inputs")::add);
    run.put("input_format", settings.format());
    run.put("sample_fraction", settings.sampleFraction());
    run.put("reference_language", settings.referenceLanguage());
    ArrayNode seqLens = run.putArray("seq_lens");
    for (int seqLen : analysis.seqLens()) {
      seqLens.add(seqLen);
    }
    run.put("window_tokens", settings.windowTokens());
    run.put("language_detector", settings.detector());
    run.put("wall_seconds", Math.round(seconds * 100) / 100.0);

    ObjectNode documents = root.putObject("documents");
    documents.put("read", analysis.documentsRead());
    documents.put("analyzed", analysis.documentsAnalyzed());
    documents.put("rejected_total", analysis.rejectedTotal());
    ObjectNode rejected = documents.putObject("rejected");
    analysis.rejected().forEach(rejected::put);
    documents.put("with_repaired_text", analysis.documentsRepaired());
    ArrayNode examples = documents.putArray("rejected_examples");
    for (Analysis.Rejected example : analysis.examples()) {
      ObjectNode node = examples.addObject();
      node.put("source", example.source());
      node.put("position", example.position());
      node.put("reason", example.reason());
      node.put("excerpt", example.excerpt());
    }
    // Every rejected record is in one of these files of _rejected/, as in the job's output.
    ObjectNode files = documents.putObject("rejected_files");
    analysis.rejectedFiles().forEach(files::put);

    ArrayNode tokenizerNodes = root.putArray("tokenizers");
    for (int t = 0; t < tokenizers.size(); t++) {
      tokenizerNodes.add(
          tokenizer(analysis, t, tokenizers.get(t), settings.referenceLanguage(), settings));
    }
    // Always present, so that readers need not ask whether the key exists.
    ArrayNode curveNodes = root.putArray("compression_curves");
    for (CompressionCurve curve : curves) {
      curveNodes.add(curve.toJson());
    }
    return root;
  }

  private static ObjectNode tokenizer(
      Analysis analysis, int t, TokenizerInfo info, String reference, Settings settings) {
    Vocabulary vocabulary = info.vocabulary();
    ObjectNode node = Json.object();
    node.put("name", vocabulary.name());
    node.put("path", info.path());
    node.put("sha256", info.sha256());
    node.put("vocabulary_size", vocabulary.size());
    node.put("sentinels_per_document", info.sentinelsPerDocument());
    node.put("has_unknown_token", vocabulary.unknownId() >= 0);
    node.put("has_byte_fallback", vocabulary.hasByteFallback());

    Map<Analysis.Group, GroupStats> groups = analysis.groups(t);
    TreeMap<String, GroupStats> languages = new TreeMap<>();
    GroupStats total = new GroupStats();
    for (Map.Entry<Analysis.Group, GroupStats> entry : groups.entrySet()) {
      languages
          .computeIfAbsent(entry.getKey().language(), l -> new GroupStats())
          .merge(entry.getValue());
      total.merge(entry.getValue());
    }
    GroupStats referenceStats = languages.get(reference);
    Double referenceTokensPerChar =
        referenceStats == null || referenceStats.chars == 0
            ? null
            : (double) referenceStats.tokens / referenceStats.chars;

    node.set("total", stats(total, vocabulary, referenceTokensPerChar));
    ArrayNode byLanguage = node.putArray("languages");
    languages.forEach(
        (language, stats) -> {
          ObjectNode entry = byLanguage.addObject();
          entry.put("language", language);
          entry.setAll(stats(stats, vocabulary, referenceTokensPerChar));
        });
    ArrayNode bySource = node.putArray("groups");
    groups.forEach(
        (group, stats) -> {
          ObjectNode entry = bySource.addObject();
          entry.put("language", group.language());
          entry.put("source", group.source());
          entry.setAll(stats(stats, vocabulary, referenceTokensPerChar));
        });
    node.set("lengths", lengths(analysis.lengths(t), settings.windowTokens()));
    return node;
  }

  private static ObjectNode stats(
      GroupStats stats, Vocabulary vocabulary, Double referenceTokensPerChar) {
    ObjectNode node = Json.object();
    node.put("documents", stats.documents());
    node.put("bytes", stats.bytes());
    node.put("characters", stats.chars());
    node.put("words", stats.words());
    node.put("tokens", stats.tokens());
    node.put("bytes_per_token", ratio(stats.bytes(), stats.tokens()));
    node.put("characters_per_token", ratio(stats.chars(), stats.tokens()));
    node.put("tokens_per_word", ratio(stats.tokens(), stats.words()));
    if (referenceTokensPerChar == null || stats.chars() == 0) {
      node.putNull("premium");
    } else {
      node.put("premium", round(stats.tokens() / (double) stats.chars() / referenceTokensPerChar));
    }
    int used = stats.tokenCounts().distinct();
    node.put("vocabulary_used", used);
    node.put("vocabulary_share", round((double) used / vocabulary.size()));
    node.put("documents_with_unknown", stats.documentsWithUnknown());
    node.put("documents_with_byte_fallback", stats.documentsWithByteFallback());
    ArrayNode top = node.putArray("top_tokens");
    for (TokenCounts.Entry entry : stats.tokenCounts().top(TOP_TOKENS)) {
      ObjectNode token = top.addObject();
      token.put("id", entry.id());
      token.put("token", vocabulary.token(entry.id()));
      token.put("count", entry.count());
    }
    return node;
  }

  private static ObjectNode lengths(LengthStats lengths, long windowTokens) {
    ObjectNode node = Json.object();
    node.put("documents", lengths.documents());
    node.put("tokens", lengths.tokens());
    node.put("max", lengths.maxLength());
    node.put("mean", ratio(lengths.tokens(), lengths.documents()));
    ArrayNode histogram = node.putArray("histogram");
    long[] buckets = lengths.logHistogram();
    for (int b = 0; b < buckets.length; b++) {
      if (buckets[b] > 0) {
        ObjectNode bucket = histogram.addObject();
        bucket.put("from", LengthStats.bucketStart(b));
        bucket.put("to", LengthStats.bucketStart(b + 1) - 1);
        bucket.put("documents", buckets[b]);
      }
    }
    ArrayNode bySeqLen = node.putArray("by_seq_len");
    int[] seqLens = lengths.seqLens();
    for (int i = 0; i < seqLens.length; i++) {
      int seqLen = seqLens[i];
      ObjectNode entry = bySeqLen.addObject();
      entry.put("seq_len", seqLen);
      entry.put("documents_over", lengths.documentsOver(i));
      entry.put("share_over", round(ratio(lengths.documentsOver(i), lengths.documents())));
      PackingSimulation.Result split =
          PackingSimulation.pack(lengths.splitChunks(i), seqLen, windowTokens);
      ObjectNode splitNode = entry.putObject("split");
      packing(splitNode, split);
      splitNode.put("tokens_lost", 0);
      splitNode.put("targets_lost", lengths.splitCuts(i));
      PackingSimulation.Result truncated =
          PackingSimulation.pack(lengths.truncatedChunks(i), seqLen, windowTokens);
      ObjectNode truncateNode = entry.putObject("truncate");
      packing(truncateNode, truncated);
      truncateNode.put("tokens_lost", lengths.tokensOver(i));
      ObjectNode drop = entry.putObject("drop");
      drop.put("documents_lost", lengths.documentsOver(i));
      drop.put("tokens_lost", lengths.tokensInDocumentsOver(i));
    }
    return node;
  }

  private static void packing(ObjectNode node, PackingSimulation.Result result) {
    node.put("chunks", result.chunks());
    node.put("tokens", result.tokens());
    node.put("rows", result.rows());
    node.put("rows_best_fit", result.rowsBestFit());
    node.put("lower_bound", result.lowerBound());
    node.put("fill", round(result.fill()));
    ObjectNode attention = node.putObject("attention");
    attention.put("masked_pairs_per_token", round(ratio(result.maskedPairs(), result.tokens())));
    attention.put("causal_pairs_per_token", round(ratio(result.causalPairs(), result.tokens())));
    attention.put("masked_share", round(ratio(result.maskedPairs(), result.causalPairs())));
  }

  private static double ratio(double a, double b) {
    return b == 0 ? 0 : round(a / b);
  }

  private static double round(double value) {
    return Math.round(value * 1e6) / 1e6;
  }
}
