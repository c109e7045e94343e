package org.seqpack.analyze;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.seqpack.tokenizer.TestPaths;

/**
 * The accuracy of the language detector on test-data/langid-sample.tsv (labelled translations of
 * GNU gettext catalogs, 120–700 characters each; see test-data/README.md), printed per language and
 * in all; docs/ANALYZE.md states the figure. The bound asserted is a floor, not the figure.
 */
class LinguaAccuracyTest {
  static final double FLOOR = 0.95;

  @Test
  void accuracyOnTheLabelledSample() throws Exception {
    List<String> lines =
        Files.readAllLines(
            TestPaths.projectRoot().resolve("test-data/langid-sample.tsv"), StandardCharsets.UTF_8);
    LanguageDetector detector = LinguaDetector.shared();
    Map<String, int[]> byLanguage = new TreeMap<>();
    Map<String, Integer> confusions = new TreeMap<>();
    int right = 0;
    long start = System.nanoTime();
    for (String line : lines) {
      String[] fields = line.split("\t", 3);
      String detected = detector.detect(fields[2]);
      int[] counts = byLanguage.computeIfAbsent(fields[0], l -> new int[2]);
      counts[1]++;
      if (detected.equals(fields[0])) {
        counts[0]++;
        right++;
      } else {
        confusions.merge(fields[0] + "->" + detected, 1, Integer::sum);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double accuracy = (double) right / lines.size();
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "Lingua accuracy: %d of %d (%.1f %%) in %.1f s; ",
            right,
            lines.size(),
            100 * accuracy,
            seconds));
    byLanguage.forEach(
        (l, c) -> report.append(l).append(' ').append(c[0]).append('/').append(c[1]).append(' '));
    report.append("; wrong: ").append(confusions);
    System.out.println(report);
    assertEquals(341, lines.size());
    assertTrue(accuracy >= FLOOR, report.toString());
  }
}
