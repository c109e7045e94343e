package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.object;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.verify.Findings.Kind;

/**
 * A uniform sample (reservoir, fixed seed) of segments that are whole documents or document ends,
 * decoded with the original tokenizer and re-encoded with the one the job used: the text ids
 * (sentinels aside) must come back unchanged.
 *
 * <p>A segment is known to be a <em>whole document</em> when it is shorter than L and either no
 * document was cut into several segments (packing other than concat, and long documents truncated
 * or dropped, or none split), or it runs from the BOS to the EOS and both are special tokens kept
 * out of text. Its ids must come back exactly.
 *
 * <p>Otherwise a segment that ends with a special EOS kept out of text is a <em>document end</em>:
 * the last chunk of a split or windowed document, a concat piece, or a whole document. Its start
 * may be a cut inside a word, where re-encoding the text can legitimately merge tokens differently;
 * so its ids must come back exactly except for a difference confined to its first word (the
 * differing leading ids decode to text with no white space inside). Truncate-middle segments of L
 * tokens hold a seam inside and are not sampled; neither is SFT output.
 */
final class RoundTripSample implements RowChecker.SegmentSink {
  /** One sampled segment and where it is. */
  record Segment(String file, long row, int segment, int[] ids, boolean whole) {}

  private final int capacity;
  private final int seqLen;
  private final boolean shortSegmentsAreDocuments;
  private final boolean sentinelsMarkDocuments;
  private final boolean eosMarksDocumentEnds;
  private final int bosId;
  private final int eosId;
  private final Random random = new Random(0x5EED);
  private final List<Segment> reservoir = new ArrayList<>();
  private long eligible;
  private long checked;
  private long firstWordDifferences;

  /**
   * @param shortSegmentsAreDocuments every segment shorter than L is a whole document
   * @param sentinelsMarkDocuments a segment from BOS to EOS is a whole document
   * @param eosMarksDocumentEnds a segment ending with the EOS ends a document
   */
  RoundTripSample(
      int capacity,
      int seqLen,
      boolean shortSegmentsAreDocuments,
      boolean sentinelsMarkDocuments,
      boolean eosMarksDocumentEnds,
      int bosId,
      int eosId) {
    this.capacity = capacity;
    this.seqLen = seqLen;
    this.shortSegmentsAreDocuments = shortSegmentsAreDocuments;
    this.sentinelsMarkDocuments = sentinelsMarkDocuments;
    this.eosMarksDocumentEnds = eosMarksDocumentEnds;
    this.bosId = bosId;
    this.eosId = eosId;
  }

  /**
   * The sample for an output, or null (with the reason recorded) when no round trip can be made: no
   * tokenizer, {@code size} 0, SFT rows, or no segment that can be told to be a whole document.
   * Loads the tokenizer's encoders.
   *
   * @param stats stats.json, or null when missing
   * @param tokenizer the recorded tokenizer, or null when it is not available
   */
  static RoundTripSample plan(
      int size,
      RowContract contract,
      JsonNode stats,
      RecordedTokenizer tokenizer,
      Findings findings) {
    if (tokenizer == null || !contract.sentinelsKnown()) {
      return null;
    }
    if (size == 0) {
      findings.skipped("round trip: --sample 0");
      return null;
    }
    if (contract.sft()) {
      findings.skipped(
          "round trip: SFT rows hold rendered chat templates and prompt/completion joins, not"
              + " documents");
      return null;
    }
    JsonNode documents = stats == null ? null : object(stats, "documents");
    Long split = documents == null ? null : number(documents, "split");
    boolean noCut =
        List.of("truncate-tail", "truncate-head", "truncate-middle", "drop")
                .contains(contract.longDocs())
            || (split != null && split == 0);
    boolean shortAreDocuments = !contract.concat() && noCut;
    boolean sentinelsMark =
        !contract.specialTokensInText()
            && tokenizer.isSpecial(contract.bosId())
            && tokenizer.isSpecial(contract.eosId());
    boolean eosMarksEnds =
        !contract.specialTokensInText()
            && tokenizer.isSpecial(contract.eosId())
            && !contract.longDocs().equals("truncate-middle");
    RoundTripSample sample =
        new RoundTripSample(
            size,
            contract.seqLen(),
            shortAreDocuments,
            sentinelsMark,
            eosMarksEnds,
            contract.bosId(),
            contract.eosId());
    if (!sample.possible()) {
      findings.skipped(
          "round trip: no segment can be told to be a whole document (documents were cut into"
              + " several segments, and no special BOS and EOS mark documents)");
      return null;
    }
    try {
      tokenizer.load();
    } catch (RuntimeException e) {
      findings.add(Kind.TOKENIZER, tokenizer.location, "cannot be loaded: " + e.getMessage());
      return null;
    }
    return sample;
  }

  /** Whether any segment can be told to be a whole document or a document end. */
  boolean possible() {
    return shortSegmentsAreDocuments || sentinelsMarkDocuments || eosMarksDocumentEnds;
  }

  /** The sampling rule in words, for the report. */
  String rule() {
    List<String> rules = new ArrayList<>();
    if (shortSegmentsAreDocuments) {
      rules.add("whole documents: segments shorter than L (no document was cut)");
    } else if (sentinelsMarkDocuments) {
      rules.add("whole documents: segments shorter than L from the BOS to the EOS");
    }
    if (eosMarksDocumentEnds) {
      rules.add("document ends: other segments ending with the EOS, first word exempt");
    }
    return String.join("; ", rules);
  }

  @Override
  public void segment(String file, long row, int segment, int[] ids, int from, int to) {
    int length = to - from;
    boolean whole =
        length < seqLen
            && (shortSegmentsAreDocuments
                || (sentinelsMarkDocuments && ids[from] == bosId && ids[to - 1] == eosId));
    if (!whole && !(eosMarksDocumentEnds && ids[to - 1] == eosId)) {
      return;
    }
    eligible++;
    long slot =
        reservoir.size() < capacity ? reservoir.size() : (long) (random.nextDouble() * eligible);
    if (slot < capacity) {
      Segment sampled = new Segment(file, row, segment, Arrays.copyOfRange(ids, from, to), whole);
      if (slot == reservoir.size()) {
        reservoir.add(sampled);
      } else {
        reservoir.set((int) slot, sampled);
      }
    }
  }

  long eligible() {
    return eligible;
  }

  int sampled() {
    return reservoir.size();
  }

  /** Sampled document ends whose re-encoding differed only in their first word. */
  long firstWordDifferences() {
    return firstWordDifferences;
  }

  /**
   * Decodes each sampled segment's text ids (sentinels removed) with {@code original} (special
   * tokens kept) and re-encodes the text with {@code used}; records each difference that the rule
   * does not allow.
   */
  void check(TokenEncoder original, TokenEncoder used, Findings findings) {
    for (Segment segment : reservoir) {
      int[] ids = segment.ids();
      int from = bosId != RowContract.NONE && ids[0] == bosId ? 1 : 0;
      int to =
          eosId != RowContract.NONE && ids[ids.length - 1] == eosId ? ids.length - 1 : ids.length;
      if (to <= from) {
        continue;
      }
      checked++;
      int[] text = Arrays.copyOfRange(ids, from, to);
      String decoded = original.decode(text, false);
      int[] again = used.encode(decoded);
      if (Arrays.equals(text, again)) {
        continue;
      }
      if (!segment.whole()) {
        int common = 0;
        while (common < text.length
            && common < again.length
            && text[text.length - 1 - common] == again[again.length - 1 - common]) {
          common++;
        }
        String head = original.decode(Arrays.copyOf(text, text.length - common), false).strip();
        if (head.codePoints().noneMatch(Character::isWhitespace)) {
          firstWordDifferences++;
          continue;
        }
      }
      int at = 0;
      while (at < text.length && at < again.length && text[at] == again[at]) {
        at++;
      }
      findings.add(
          Kind.ROUND_TRIP,
          segment.file()
              + " row "
              + segment.row()
              + " segment "
              + segment.segment()
              + (segment.whole() ? " (whole document)" : " (document end)"),
          "decoding its "
              + text.length
              + " text ids and re-encoding the text gives "
              + again.length
              + " ids; first difference at text token "
              + at
              + ": "
              + (at < text.length ? Integer.toString(text[at]) : "end")
              + " in the row, "
              + (at < again.length ? Integer.toString(again[at]) : "end")
              + " re-encoded (text there: "
              + excerpt(original, text, at)
              + ")");
    }
  }

  /** Checks the sampled segments with the tokenizer's encoders and notes what was checked. */
  void checkAndReport(RecordedTokenizer tokenizer, Findings findings) {
    check(tokenizer.original(), tokenizer.used(), findings);
    findings.checked(
        String.format(
            Locale.ROOT,
            "round trip on %,d of %,d eligible segments (%s)%s",
            sampled(),
            eligible(),
            rule(),
            firstWordDifferences() == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; %,d document ends differed only in their first word (a cut inside a"
                        + " word)",
                    firstWordDifferences())));
  }

  private static String excerpt(TokenEncoder tokenizer, int[] text, int at) {
    int from = Math.max(0, at - 5);
    int to = Math.min(text.length, at + 5);
    String piece = tokenizer.decode(Arrays.copyOfRange(text, from, to), false);
    return '"' + piece.replace("\n", "\\n") + '"';
  }
}
