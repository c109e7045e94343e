package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.seqpack.core.RecordParser;
import org.seqpack.core.SeqpackException;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.TextEncoder;
import org.seqpack.tokenizer.TestPaths;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * The analysis of a small corpus against counts made here independently: ids by DJL's own
 * HuggingFaceTokenizer (not the job's encoder), words by a regular expression of the documented
 * rule, bytes and code points by the JDK, lengths over L by a loop.
 */
class CorpusAnalyzerTest {
  private static final int[] SEQ_LENS = {64, 256, 1024};
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{Nd}\\p{Mn}\\p{Mc}\\p{Me}]+");
  private static final Pattern BYTE_PIECE = Pattern.compile("<0x[0-9A-Fa-f]{2}>");
  private static final List<String> NAMES = List.of("gpt2", "sp-bpe");
  private static final List<TokenEncoder> ENCODERS = new ArrayList<>();
  private static final List<Vocabulary> VOCABULARIES = new ArrayList<>();
  private static final List<HuggingFaceTokenizer> DIRECT = new ArrayList<>();
  private static final List<JsonNode> JSON = new ArrayList<>();

  @BeforeAll
  static void load() throws Exception {
    for (String name : NAMES) {
      Path json =
          TestPaths.projectRoot().resolve("test-data/tokenizers/" + name + "/tokenizer.json");
      byte[] bytes = Files.readAllBytes(json);
      TokenizerSpec spec = TokenizerSpec.parse(json.toString(), bytes, null, false);
      ENCODERS.add(TokenEncoder.load(spec));
      VOCABULARIES.add(Vocabulary.parse(name, spec.loadableJson()));
      DIRECT.add(
          HuggingFaceTokenizer.newInstance(
              json,
              Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false")));
      JSON.add(new ObjectMapper().readTree(bytes));
    }
  }

  @AfterAll
  static void close() {
    ENCODERS.forEach(TokenEncoder::close);
    DIRECT.forEach(HuggingFaceTokenizer::close);
  }

  /** A stand-in detector: the language is decided by the first letter, so groups are known. */
  private static String language(String text) {
    return text.charAt(0) < 'M' ? "en" : "it";
  }

  private static List<SourceDocument> corpus() throws Exception {
    List<String> lines =
        Files.readAllLines(
                TestPaths.projectRoot().resolve("test-data/europarl-1k.txt"),
                StandardCharsets.UTF_8)
            .subList(0, 120);
    RecordParser text = new RecordParser(false, null, false);
    RecordParser jsonl = new RecordParser(true, "text", false);
    List<SourceDocument> documents = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      byte[] bytes = lines.get(i).getBytes(StandardCharsets.UTF_8);
      documents.add(text.parse(i < 60 ? "dir/a.txt" : "dir/b.txt", i, bytes, bytes.length));
    }
    // Bad records, rejected as the job rejects them.
    for (String bad : List.of("{\"text\": 3}", "not json", "[1]", "{\"title\": \"x\"}")) {
      byte[] bytes = bad.getBytes(StandardCharsets.UTF_8);
      documents.add(jsonl.parse("c.jsonl", 0, bytes, bytes.length));
    }
    byte[] blank = "   ".getBytes(StandardCharsets.UTF_8);
    documents.add(text.parse("dir/a.txt", 999, blank, blank.length));
    return documents;
  }

  private static Analysis analyze(List<SourceDocument> documents, int[] sentinels) {
    List<TextEncoder> encoders = new ArrayList<>();
    ENCODERS.forEach(encoder -> encoders.add(encoder::encode));
    CorpusAnalyzer analyzer =
        new CorpusAnalyzer(
            encoders, VOCABULARIES, sentinels, SEQ_LENS, CorpusAnalyzerTest::language);
    // Two partial analyses merged, as Spark's reduce does.
    int half = documents.size() / 2;
    return analyzer
        .analyze(documents.subList(0, half).iterator())
        .merge(analyzer.analyze(documents.subList(half, documents.size()).iterator()));
  }

  @Test
  void numbersEqualIndependentCounts() throws Exception {
    List<SourceDocument> documents = corpus();
    int[] sentinels = {1, 2};
    Analysis analysis = analyze(documents, sentinels);
    analysis.checkAccounting();

    assertEquals(125, analysis.documentsRead());
    assertEquals(120, analysis.documentsAnalyzed());
    assertEquals(
        Map.of(
            "field_not_string", 1L,
            "invalid_json", 1L,
            "not_an_object", 1L,
            "missing_field", 1L,
            "empty", 1L),
        analysis.rejected());

    for (int t = 0; t < NAMES.size(); t++) {
      Map<Analysis.Group, long[]> expected = new HashMap<>();
      Map<Integer, Long> idCounts = new HashMap<>();
      long[] over = new long[SEQ_LENS.length];
      long[] lost = new long[SEQ_LENS.length];
      long withByteFallback = 0;
      String[] pieces = pieces(t);
      for (SourceDocument document : documents) {
        if (document.isRejected() || document.text().isBlank()) {
          continue;
        }
        String text = document.text();
        long[] ids = DIRECT.get(t).encode(text, false, false).getIds();
        long words = 0;
        Matcher matcher = WORD.matcher(text);
        while (matcher.find()) {
          words++;
        }
        Analysis.Group group =
            new Analysis.Group(
                language(text), document.source().substring(document.source().indexOf('/') + 1));
        long[] sums = expected.computeIfAbsent(group, g -> new long[5]);
        sums[0]++;
        sums[1] += text.getBytes(StandardCharsets.UTF_8).length;
        sums[2] += text.codePointCount(0, text.length());
        sums[3] += words;
        sums[4] += ids.length;
        boolean fallback = false;
        for (long id : ids) {
          idCounts.merge((int) id, 1L, Long::sum);
          fallback |= pieces[(int) id] != null && BYTE_PIECE.matcher(pieces[(int) id]).matches();
        }
        withByteFallback += fallback ? 1 : 0;
        long length = ids.length + sentinels[t];
        for (int i = 0; i < SEQ_LENS.length; i++) {
          if (length > SEQ_LENS[i]) {
            over[i]++;
            lost[i] += length - SEQ_LENS[i];
          }
        }
      }
      Map<Analysis.Group, GroupStats> groups = analysis.groups(t);
      assertEquals(expected.keySet(), groups.keySet());
      long byteFallbackDocuments = 0;
      TokenCounts merged = new TokenCounts();
      for (Map.Entry<Analysis.Group, long[]> entry : expected.entrySet()) {
        GroupStats stats = groups.get(entry.getKey());
        long[] sums = entry.getValue();
        String where = NAMES.get(t) + " " + entry.getKey();
        assertEquals(sums[0], stats.documents(), where);
        assertEquals(sums[1], stats.bytes(), where);
        assertEquals(sums[2], stats.chars(), where);
        assertEquals(sums[3], stats.words(), where);
        assertEquals(sums[4], stats.tokens(), where);
        byteFallbackDocuments += stats.documentsWithByteFallback();
        merged.merge(stats.tokenCounts());
      }
      assertEquals(withByteFallback, byteFallbackDocuments, NAMES.get(t));
      assertEquals(idCounts.size(), merged.distinct());
      idCounts.forEach((id, count) -> assertEquals(count, merged.count(id)));
      LengthStats lengths = analysis.lengths(t);
      for (int i = 0; i < SEQ_LENS.length; i++) {
        assertEquals(over[i], lengths.documentsOver(i), NAMES.get(t) + " L=" + SEQ_LENS[i]);
        assertEquals(lost[i], lengths.tokensOver(i), NAMES.get(t) + " L=" + SEQ_LENS[i]);
      }
    }
    // The SentencePiece-style tokenizer of 3,000 pieces falls back to bytes on Europarl's rarer
    // letters; byte-level GPT-2 has no fallback pieces at all.
    assertTrue(VOCABULARIES.get(1).hasByteFallback());
    assertEquals(false, VOCABULARIES.get(0).hasByteFallback());
  }

  @Test
  void reportDerivesRatiosAndPremiumFromTheSums() {
    Analysis analysis =
        analyze(
            List.of(
                SourceDocument.accepted("a.txt", 0, "Hello world, this is English text."),
                SourceDocument.accepted("a.txt", 1, "Questo è un testo italiano, più lungo.")),
            new int[] {1, 1});
    var json =
        AnalysisReport.build(
            analysis,
            List.of(
                new AnalysisReport.TokenizerInfo(VOCABULARIES.get(0), "gpt2", "x", 1),
                new AnalysisReport.TokenizerInfo(VOCABULARIES.get(1), "sp-bpe", "y", 1)),
            new AnalysisReport.Settings(List.of("a.txt"), "text", 1.0, "en", 1 << 22, "test"),
            0);
    JsonNode languages = json.get("tokenizers").get(0).get("languages");
    JsonNode en = languages.get(0);
    JsonNode it = languages.get(1);
    assertEquals("en", en.get("language").asText());
    assertEquals(1.0, en.get("premium").asDouble(), 1e-9);
    double tokensPerChar =
        it.get("tokens").asDouble()
            / it.get("characters").asDouble()
            / (en.get("tokens").asDouble() / en.get("characters").asDouble());
    assertEquals(tokensPerChar, it.get("premium").asDouble(), 1e-5);
    assertEquals(
        it.get("tokens").asDouble() / it.get("words").asDouble(),
        it.get("tokens_per_word").asDouble(),
        1e-5);
    assertNotNull(
        json.get("tokenizers").get(0).get("lengths").get("by_seq_len").get(0).get("split"));
  }

  @Test
  void accountingFailsWhenADocumentIsMissing() {
    Analysis analysis =
        analyze(List.of(SourceDocument.accepted("a.txt", 0, "Hello")), new int[] {1, 1});
    analysis.documentsRead++;
    assertThrows(SeqpackException.class, analysis::checkAccounting);
  }

  /** Id to piece, from the tokenizer.json read here; only where byte fallback is on. */
  private static String[] pieces(int tokenizer) {
    JsonNode model = JSON.get(tokenizer).get("model");
    String[] pieces = new String[1 << 18];
    if (!model.path("byte_fallback").asBoolean(false)) {
      return pieces;
    }
    model.get("vocab").fields().forEachRemaining(e -> pieces[e.getValue().asInt()] = e.getKey());
    return pieces;
  }
}
