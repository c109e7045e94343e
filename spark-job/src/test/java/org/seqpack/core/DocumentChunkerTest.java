package org.seqpack.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Literal tables: a document of n tokens 0..n-1 to its chunks' tokens and targets. */
class DocumentChunkerTest {

  /**
   * Chunks as {@code 0 1 2 3 | 3 4 5 6}; a token that is not a target by its mask is {@code _3}.
   */
  static String show(List<Chunk> chunks) {
    List<String> parts = new ArrayList<>();
    for (Chunk chunk : chunks) {
      StringBuilder part = new StringBuilder();
      for (int i = 0; i < chunk.length(); i++) {
        part.append(i == 0 ? "" : " ").append(chunk.isTarget(i) ? "" : "_").append(chunk.token(i));
      }
      parts.add(part.toString());
    }
    return String.join(" | ", parts);
  }

  @ParameterizedTest(name = "{0} n={1} L={2} S={3}: {6}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # policy        ; n  ; L ; stride ; kind      ; lost ; chunks
          split           ; 4  ; 4 ; 0      ; KEPT      ; 0    ; 0 1 2 3
          split           ; 10 ; 4 ; 0      ; SPLIT     ; 0    ; 0 1 2 3 | 4 5 6 7 | 8 9
          split           ; 8  ; 4 ; 0      ; SPLIT     ; 0    ; 0 1 2 3 | 4 5 6 7
          truncate-tail   ; 10 ; 4 ; 0      ; TRUNCATED ; 6    ; 0 1 2 3
          truncate-tail   ; 3  ; 4 ; 0      ; KEPT      ; 0    ; 0 1 2
          truncate-head   ; 10 ; 4 ; 0      ; TRUNCATED ; 6    ; 6 7 8 9
          truncate-middle ; 10 ; 4 ; 0      ; TRUNCATED ; 6    ; 0 1 _8 9
          truncate-middle ; 10 ; 5 ; 0      ; TRUNCATED ; 5    ; 0 1 2 _8 9
          truncate-middle ; 3  ; 2 ; 0      ; TRUNCATED ; 1    ; 0 _2
          drop            ; 10 ; 4 ; 0      ; DROPPED   ; 10   ;
          drop            ; 4  ; 4 ; 0      ; KEPT      ; 0    ; 0 1 2 3
          window          ; 10 ; 4 ; 3      ; SPLIT     ; 0    ; 0 1 2 3 | _3 4 5 6 | _6 7 8 9
          window          ; 11 ; 4 ; 3      ; SPLIT     ; 0    ; 0 1 2 3 | _3 4 5 6 | _6 7 8 9 | _9 10
          window          ; 7  ; 4 ; 1      ; SPLIT     ; 0    ; 0 1 2 3 | _1 _2 _3 4 | _2 _3 _4 5 | _3 _4 _5 6
          window          ; 10 ; 4 ; 4      ; SPLIT     ; 0    ; 0 1 2 3 | 4 5 6 7 | 8 9
          window          ; 4  ; 4 ; 2      ; KEPT      ; 0    ; 0 1 2 3
          """)
  void chunks(
      String policy, int n, int seqLen, int stride, String kind, int lost, String expected) {
    DocumentChunker chunker = new DocumentChunker(seqLen, LongDocPolicy.fromName(policy), stride);
    ChunkedDocument document = chunker.chunkDocument(Fixtures.positions(n), 5);
    assertEquals(expected == null ? "" : expected, show(document.chunks()));
    assertEquals(ChunkedDocument.Kind.valueOf(kind), document.kind());
    assertEquals(lost, document.tokensLost());
    for (Chunk chunk : document.chunks()) {
      assertEquals(5, chunk.document());
    }
  }

  @Test
  void splitChunksAreViewsOnTheDocument() {
    int[] tokens = Fixtures.positions(10);
    List<Chunk> chunks = new DocumentChunker(4, LongDocPolicy.SPLIT).chunk(tokens, 1);
    assertEquals(
        List.of(
            new Chunk(tokens, null, 0, 4, 1),
            new Chunk(tokens, null, 4, 4, 1),
            new Chunk(tokens, null, 8, 2, 1)),
        chunks);
  }

  @Test
  void truncateTailAndHeadAreViewsOnTheDocument() {
    int[] tokens = Fixtures.positions(10);
    assertEquals(
        List.of(new Chunk(tokens, null, 0, 4, 1)),
        new DocumentChunker(4, LongDocPolicy.TRUNCATE_TAIL).chunk(tokens, 1));
    assertEquals(
        List.of(new Chunk(tokens, null, 6, 4, 1)),
        new DocumentChunker(4, LongDocPolicy.TRUNCATE_HEAD).chunk(tokens, 1));
  }

  @ParameterizedTest
  @EnumSource(LongDocPolicy.class)
  void shortDocumentIsOneWholeChunk(LongDocPolicy policy) {
    int[] tokens = Fixtures.positions(3);
    ChunkedDocument document = new DocumentChunker(3, policy, 2).chunkDocument(tokens, 9);
    assertEquals(List.of(Chunk.of(tokens, 9)), document.chunks());
    assertEquals(ChunkedDocument.Kind.KEPT, document.kind());
  }

  @Test
  void windowNeedsAStride() {
    IllegalArgumentException unset =
        assertThrows(
            IllegalArgumentException.class, () -> new DocumentChunker(8, LongDocPolicy.WINDOW));
    assertEquals(
        "'stride' is 0; must be between 1 and the sequence length 8 for the window policy",
        unset.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> new DocumentChunker(8, LongDocPolicy.WINDOW, 9));
  }

  @Test
  void strideIsIgnoredByOtherPolicies() {
    assertEquals(
        "0 1 | 2",
        show(new DocumentChunker(2, LongDocPolicy.SPLIT, 0).chunk(Fixtures.positions(3), 0)));
  }

  @Test
  void rejectsShortSequenceLengthAndEmptyDocuments() {
    IllegalArgumentException seqLen =
        assertThrows(
            IllegalArgumentException.class, () -> new DocumentChunker(1, LongDocPolicy.SPLIT));
    assertEquals("'seqLen' is 1; must be at least 2", seqLen.getMessage());
    IllegalArgumentException empty =
        assertThrows(
            IllegalArgumentException.class,
            () -> new DocumentChunker(4, LongDocPolicy.SPLIT).chunk(new int[0], 3));
    assertEquals("document 3 has 0 tokens; must have at least 1 (its EOS)", empty.getMessage());
  }

  @Test
  void namesRoundTrip() {
    for (LongDocPolicy policy : LongDocPolicy.values()) {
      assertEquals(policy, LongDocPolicy.fromName(policy.configName()));
    }
    assertEquals(LongDocPolicy.TRUNCATE_MIDDLE, LongDocPolicy.fromName(" Truncate_Middle "));
    assertEquals("truncate-head", LongDocPolicy.TRUNCATE_HEAD.configName());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> LongDocPolicy.fromName("trim"));
    assertEquals(
        "long-document policy is 'trim'; must be one of split, truncate-tail, truncate-head,"
            + " truncate-middle, drop, window",
        unknown.getMessage());
  }
}
