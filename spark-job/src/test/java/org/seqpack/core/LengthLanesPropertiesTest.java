package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Lanes of several lengths, pushed one document at a time, give each length exactly the rows, the
 * counters and the rejections that {@link PartitionPacker} pulling the same documents at that
 * length alone gives; and every document is tokenized once whatever the number of lanes.
 */
class LengthLanesPropertiesTest {

  /** Documents whose "text" names their ids; some blank (rejected as empty). */
  record Corpus(List<SourceDocument> documents, Map<String, int[]> ids) {}

  static Corpus corpus(long seed, int count, int maxLength) {
    Random random = new Random(seed);
    List<SourceDocument> documents = new ArrayList<>();
    Map<String, int[]> ids = new HashMap<>();
    for (int d = 0; d < count; d++) {
      if (random.nextInt(20) == 0) {
        documents.add(SourceDocument.accepted("in.txt", d, "  "));
        continue;
      }
      String text = "document " + d;
      ids.put(
          text,
          IntStream.range(0, 1 + random.nextInt(maxLength))
              .map(i -> random.nextInt(50_000))
              .toArray());
      documents.add(SourceDocument.accepted("in.txt", d, text));
    }
    return new Corpus(documents, ids);
  }

  static PackingConfig packing(int seqLen, LongDocPolicy policy, long windowTokens) {
    return new PackingConfig(
        seqLen,
        PackingStrategy.BFD,
        true,
        policy,
        Math.max(1, seqLen / 2),
        false,
        Integer.MAX_VALUE,
        false,
        1,
        2,
        7,
        windowTokens);
  }

  static DocumentEncoder encoder(TextEncoder text, PackingConfig packing) {
    return new PretrainEncoder(
        text,
        new Sentinels(Sentinels.NONE, 50_256, 50_256),
        new DocumentChunker(packing.seqLen(), packing.longDocs(), packing.stride()),
        packing.minDocTokens());
  }

  /** What one length's output holds: its rows, counters and rejected positions. */
  record Output(List<RowArrays> rows, PackStats stats, List<Long> rejected) {}

  @Property(tries = 60)
  void eachLaneIsTheRunOfItsLengthAlone(
      @ForAll @IntRange(min = 0, max = 120) int count,
      @ForAll LongDocPolicy policy,
      @ForAll @IntRange(min = 1, max = 3) int lengths,
      @ForAll long seed)
      throws IOException {
    Corpus corpus = corpus(seed, count, 300);
    int[] seqLens = {64, 200, 31}; // in the order given, not sorted
    long windowTokens = 700;

    int[] calls = {0};
    TextEncoder counting =
        text -> {
          calls[0]++;
          return corpus.ids().get(text);
        };
    TextEncoder shared = new LengthLanes.LastText(counting);
    List<LengthLanes.Lane> lanes = new ArrayList<>();
    List<Output> pushed = new ArrayList<>();
    for (int i = 0; i < lengths; i++) {
      PackingConfig packing = packing(seqLens[i], policy, windowTokens);
      Output output = new Output(new ArrayList<>(), new PackStats(), new ArrayList<>());
      pushed.add(output);
      lanes.add(
          new LengthLanes.Lane(
              encoder(shared, packing),
              packing,
              50_256,
              3,
              output.stats(),
              rejected -> output.rejected().add(rejected.position()),
              output.rows()::add));
    }
    LengthLanes.run(corpus.documents().iterator(), lanes, new PackStats());
    long encodable = corpus.documents().stream().filter(d -> !d.text().isBlank()).count();
    assertEquals(encodable, calls[0], "every document tokenized once");

    for (int i = 0; i < lengths; i++) {
      PackingConfig packing = packing(seqLens[i], policy, windowTokens);
      PackStats stats = new PackStats();
      List<Long> rejected = new ArrayList<>();
      PartitionPacker alone =
          new PartitionPacker(
              corpus.documents().iterator(),
              encoder(corpus.ids()::get, packing),
              packing,
              50_256,
              3,
              stats,
              document -> rejected.add(document.position()));
      List<RowArrays> rows = new ArrayList<>();
      alone.forEachRemaining(rows::add);
      Output lane = pushed.get(i);
      assertEquals(rows.size(), lane.rows().size(), "rows at L = " + seqLens[i]);
      for (int r = 0; r < rows.size(); r++) {
        assertArrayEquals(rows.get(r).inputIds(), lane.rows().get(r).inputIds());
        assertArrayEquals(rows.get(r).segmentIds(), lane.rows().get(r).segmentIds());
        assertArrayEquals(rows.get(r).positionIds(), lane.rows().get(r).positionIds());
        assertArrayEquals(rows.get(r).lossMask(), lane.rows().get(r).lossMask());
      }
      assertEquals(rejected, lane.rejected());
      assertEquals(stats.documentsRead, lane.stats().documentsRead);
      assertEquals(stats.documentsPacked, lane.stats().documentsPacked);
      assertEquals(stats.rejected, lane.stats().rejected);
      assertEquals(stats.tokens, lane.stats().tokens);
      assertEquals(stats.rowTokens, lane.stats().rowTokens);
      assertEquals(stats.chunksFromSplitting, lane.stats().chunksFromSplitting);
      assertEquals(stats.tokensLost, lane.stats().tokensLost);
    }
  }
}
