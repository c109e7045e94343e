package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Each policy keeps exactly the tokens its documentation names, over random documents. */
class DocumentChunkerPropertiesTest {

  /** A chunk's tokens, copied out. */
  static int[] tokens(Chunk chunk) {
    return Arrays.copyOfRange(chunk.tokens(), chunk.offset(), chunk.offset() + chunk.length());
  }

  static int[] concat(List<Chunk> chunks) {
    return chunks.stream().flatMapToInt(chunk -> Arrays.stream(tokens(chunk))).toArray();
  }

  /** A document with distinct, arbitrary-looking ids so positions cannot be confused. */
  static int[] document(int n, int seed) {
    int[] tokens = new int[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = (i * 31 + seed) ^ 0x5bd1;
    }
    return tokens;
  }

  @Property(tries = 2000)
  void eachPolicyKeepsWhatItDocuments(
      @ForAll LongDocPolicy policy,
      @ForAll @IntRange(min = 1, max = 400) int n,
      @ForAll @IntRange(min = 2, max = 100) int seqLen,
      @ForAll @IntRange(min = 1, max = 100) int strideSeed,
      @ForAll int seed) {
    int stride = 1 + (strideSeed - 1) % seqLen;
    int[] doc = document(n, seed);
    DocumentChunker chunker = new DocumentChunker(seqLen, policy, stride);
    ChunkedDocument result = chunker.chunkDocument(doc, 42);
    List<Chunk> chunks = result.chunks();

    // Window and truncate-middle chunks hold fresh arrays: compare what they show.
    assertEquals(
        DocumentChunkerTest.show(chunks),
        DocumentChunkerTest.show(chunker.chunk(doc, 42)),
        "the List form agrees");
    for (Chunk chunk : chunks) {
      assertTrue(chunk.length() <= seqLen, "chunk of " + chunk.length());
      assertEquals(42, chunk.document());
    }
    if (n <= seqLen) {
      assertEquals(List.of(Chunk.of(doc, 42)), chunks);
      assertEquals(ChunkedDocument.Kind.KEPT, result.kind());
      assertEquals(0, result.tokensLost());
      return;
    }
    switch (policy) {
      case SPLIT -> {
        assertArrayEquals(doc, concat(chunks));
        assertEquals((n + seqLen - 1) / seqLen, chunks.size());
        for (int i = 0; i + 1 < chunks.size(); i++) {
          assertEquals(seqLen, chunks.get(i).length());
        }
        assertEquals(ChunkedDocument.Kind.SPLIT, result.kind());
        assertEquals(0, result.tokensLost());
      }
      case TRUNCATE_TAIL -> assertTruncated(result, Arrays.copyOfRange(doc, 0, seqLen), n - seqLen);
      case TRUNCATE_HEAD ->
          assertTruncated(result, Arrays.copyOfRange(doc, n - seqLen, n), n - seqLen);
      case TRUNCATE_MIDDLE -> {
        int head = (seqLen + 1) / 2;
        int[] expected = new int[seqLen];
        System.arraycopy(doc, 0, expected, 0, head);
        System.arraycopy(doc, n - seqLen / 2, expected, head, seqLen / 2);
        assertTruncated(result, expected, n - seqLen);
        Chunk chunk = chunks.get(0);
        for (int i = 0; i < seqLen; i++) {
          assertEquals(i != head, chunk.isTarget(i), "target at " + i);
        }
      }
      case DROP -> {
        assertEquals(List.of(), chunks);
        assertEquals(ChunkedDocument.Kind.DROPPED, result.kind());
        assertEquals(n, result.tokensLost());
      }
      case WINDOW -> assertWindows(doc, chunks, seqLen, stride, result);
      default -> throw new AssertionError(policy);
    }
  }

  private static void assertTruncated(ChunkedDocument result, int[] expected, int lost) {
    assertEquals(1, result.chunks().size());
    assertArrayEquals(expected, tokens(result.chunks().get(0)));
    assertEquals(ChunkedDocument.Kind.TRUNCATED, result.kind());
    assertEquals(lost, result.tokensLost());
  }

  private static void assertWindows(
      int[] doc, List<Chunk> chunks, int seqLen, int stride, ChunkedDocument result) {
    int n = doc.length;
    int[] targetCount = new int[n];
    for (int k = 0; k < chunks.size(); k++) {
      Chunk chunk = chunks.get(k);
      int start = k * stride;
      assertEquals(Math.min(seqLen, n - start), chunk.length(), "length of chunk " + k);
      assertArrayEquals(Arrays.copyOfRange(doc, start, start + chunk.length()), tokens(chunk));
      int repeated = k == 0 ? 0 : seqLen - stride;
      for (int i = 0; i < chunk.length(); i++) {
        assertEquals(i >= repeated, chunk.isTarget(i), "chunk " + k + " token " + i);
        if (chunk.isTarget(i)) {
          targetCount[start + i]++;
        }
      }
      boolean last = k == chunks.size() - 1;
      assertEquals(last, start + chunk.length() >= n, "only the last chunk reaches the end");
    }
    for (int p = 0; p < n; p++) {
      assertEquals(1, targetCount[p], "token " + p + " is a target once");
    }
    assertEquals(ChunkedDocument.Kind.SPLIT, result.kind());
    assertEquals(0, result.tokensLost());
  }
}
