package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.seqpack.core.SourceDocument;
import org.seqpack.core.TextEncoder;
import org.seqpack.tokenizer.TestPaths;

/**
 * report.html in headless Chromium: it loads from disk with every host unresolvable (so nothing may
 * come from the network), logs no console message, renders its four charts (canvas elements and the
 * page's own count; a fifth with compression curves), and a screenshot is kept at {@code
 * target/analyze-report/report.png} (CI keeps it as an artifact; {@code report-compression.png}
 * beside it). Skipped, saying so, only when no chromium is installed here; CI installs it
 * (.ci/run).
 */
class ReportPageChromiumTest {
  private static final Pattern CONSOLE = Pattern.compile(":CONSOLE\\(\\d+\\)\\]");

  static String chromium() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        File file = new File(dir, name);
        if (file.canExecute()) {
          return file.getPath();
        }
      }
    }
    return null;
  }

  /** A small analysis: two tokenizers (one id per character or per word), three languages. */
  static ObjectNode sampleAnalysis() throws Exception {
    return sampleAnalysis(List.of());
  }

  /** Two compression curves of a training, as train-tokenizer --vocab-sizes writes them. */
  static List<CompressionCurve> sampleCurves() {
    List<CompressionCurve> curves = new ArrayList<>();
    for (String name : List.of("bpe-llama3", "bpe-gpt2")) {
      List<CompressionCurve.Point> points = new ArrayList<>();
      long tokens = name.endsWith("gpt2") ? 60_000 : 55_000;
      for (int size = 1024; size <= 65536; size *= 2) {
        points.add(
            new CompressionCurve.Point(size, size - 257, 200_000, tokens, 200_000.0 / tokens));
        tokens = tokens * 85 / 100;
      }
      curves.add(new CompressionCurve(name, "runs/" + name, "gpt2", 0.01, 30, points));
    }
    return curves;
  }

  static ObjectNode sampleAnalysis(List<CompressionCurve> curves) throws Exception {
    Vocabulary gpt2 =
        Vocabulary.parse(
            "gpt2",
            Files.readAllBytes(
                TestPaths.projectRoot().resolve("test-data/tokenizers/gpt2/tokenizer.json")));
    Vocabulary small =
        Vocabulary.parse(
            "sp-bpe",
            Files.readAllBytes(
                TestPaths.projectRoot().resolve("test-data/tokenizers/sp-bpe/tokenizer.json")));
    TextEncoder perChar = text -> text.codePoints().map(cp -> cp % 2000).toArray();
    TextEncoder perWord =
        text ->
            java.util.Arrays.stream(text.split(" "))
                .mapToInt(w -> Math.abs(w.hashCode()) % 2000)
                .toArray();
    CorpusAnalyzer analyzer =
        new CorpusAnalyzer(
            List.of(perChar, perWord),
            List.of(gpt2, small),
            new int[] {1, 2},
            new int[] {64, 128, 512},
            text -> text.startsWith("Il") ? "it" : text.startsWith("Der") ? "de" : "en");
    List<SourceDocument> documents = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String body = " word".repeat(1 + (i * 37) % 150);
      String lead = i % 3 == 0 ? "Il testo" : i % 3 == 1 ? "Der Text" : "The text </script><!--";
      documents.add(SourceDocument.accepted("corpus.txt", i, lead + body));
    }
    Analysis analysis = analyzer.analyze(documents.iterator());
    return AnalysisReport.build(
        analysis,
        List.of(
            new AnalysisReport.TokenizerInfo(gpt2, "gpt2", "a", 1),
            new AnalysisReport.TokenizerInfo(small, "sp-bpe", "b", 2)),
        new AnalysisReport.Settings(List.of("corpus.txt"), "text", 1.0, "en", 1 << 22, "test"),
        0.5,
        curves);
  }

  @Test
  void pageIsSelfContained() throws Exception {
    String html = ReportPage.render(sampleAnalysis());
    assertFalse(Pattern.compile("<script[^>]*\\ssrc=").matcher(html).find(), "external script");
    assertFalse(html.contains("<link"), "external stylesheet");
    // The document text "</script><!--" stays inside the JSON string.
    assertEquals(4, count(html, "</script>"));
  }

  @Test
  void rendersInHeadlessChromiumWithoutNetworkOrConsoleErrors() throws Exception {
    renders(sampleAnalysis(), "report", 4);
  }

  /** With --compression: one more chart, the curves and each tokenizer's marker. */
  @Test
  void rendersTheCompressionCurvesAsAFifthChart() throws Exception {
    ObjectNode analysis = sampleAnalysis(sampleCurves());
    assertEquals(2, analysis.get("compression_curves").size());
    renders(analysis, "report-compression", 5);
  }

  private static void renders(ObjectNode analysis, String name, int charts) throws Exception {
    String chromium = chromium();
    Assumptions.assumeTrue(
        chromium != null,
        "SKIPPED: no chromium on PATH; install it (apt-get install -y chromium) to run this test;"
            + " .ci/run installs it");
    Path dir = Path.of("target", "analyze-report").toAbsolutePath();
    Files.createDirectories(dir);
    Path page = dir.resolve(name + ".html");
    Files.writeString(page, ReportPage.render(analysis), StandardCharsets.UTF_8);

    Run dom = run(chromium, dir, "--dump-dom", page.toUri().toString());
    assertEquals(0, dom.exit, dom.stderr);
    assertTrue(
        dom.stdout.contains("data-charts-rendered=\"" + charts + "\""),
        "charts rendered: " + tail(dom.stdout));
    assertTrue(
        count(dom.stdout, "<canvas") >= charts, "canvas elements: " + count(dom.stdout, "<canvas"));
    assertTrue(
        dom.stdout.contains("<div id=\"errors\"></div>"), "page errors: " + tail(dom.stdout));
    Matcher console = CONSOLE.matcher(dom.stderr);
    assertFalse(console.find(), "console output: " + dom.stderr);

    Path screenshot = dir.resolve(name + ".png");
    Files.deleteIfExists(screenshot);
    Run shot =
        run(
            chromium,
            dir,
            "--screenshot=" + screenshot,
            "--window-size=1280,2400",
            page.toUri().toString());
    assertEquals(0, shot.exit, shot.stderr);
    assertTrue(
        Files.size(screenshot) > 20_000, "screenshot of " + Files.size(screenshot) + " bytes");
    assertFalse(CONSOLE.matcher(shot.stderr).find(), "console output: " + shot.stderr);
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(String chromium, Path dir, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                // Every host name fails to resolve: the page must need none.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--enable-logging=stderr",
                "--v=0",
                "--virtual-time-budget=5000",
                "--user-data-dir=" + dir.resolve("chromium-profile")));
    command.addAll(List.of(args));
    Path out = dir.resolve("chromium.out");
    Path err = dir.resolve("chromium.err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + command);
    }
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      count++;
    }
    return count;
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
  }
}
