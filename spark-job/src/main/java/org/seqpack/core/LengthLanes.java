package org.seqpack.core;

import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One partition's documents read once and packed at several lengths, each into its own rows,
 * counters and rejected records: a lane per length, pushed every document in input order. Each
 * lane's rows are exactly those a run of that length alone would make (the same windows, seeds and
 * document numbering), so the outputs equal separate runs while the input is read and tokenized
 * once: lanes share a {@link LastText} memo under their encoders.
 */
public final class LengthLanes {
  private LengthLanes() {}

  /** Where a lane's rows go. */
  @FunctionalInterface
  public interface RowSink {
    void accept(RowArrays row) throws IOException;
  }

  /** One length: its encoder (with the length's chunker), windows, counters and sinks. */
  public static final class Lane {
    private final EncodedDocuments.Intake intake;
    private final RowWindows windows;
    private final RowSink rows;

    /**
     * @param rejects receives every record this lane rejects (may be null)
     */
    public Lane(
        DocumentEncoder encoder,
        PackingConfig packing,
        int padId,
        int partition,
        PackStats stats,
        Consumer<SourceDocument> rejects,
        RowSink rows) {
      this.intake = new EncodedDocuments.Intake(encoder, stats, rejects);
      this.windows = new RowWindows(packing, padId, partition, stats);
      this.rows = rows;
    }

    void offer(SourceDocument document) throws IOException {
      ChunkedDocument kept = intake.take(document);
      if (kept != null) {
        windows.add(kept);
        if (windows.full()) {
          drain();
        }
      }
    }

    void drain() throws IOException {
      if (windows.pack()) {
        while (windows.hasRow()) {
          rows.accept(windows.nextRow());
        }
      }
    }
  }

  /**
   * Pushes every document to every lane, then packs what the lanes' windows still hold.
   *
   * @param read counts the time spent reading the documents
   */
  public static void run(Iterator<SourceDocument> documents, List<Lane> lanes, PackStats read)
      throws IOException {
    while (true) {
      long start = System.nanoTime();
      boolean more = documents.hasNext();
      SourceDocument document = more ? documents.next() : null;
      read.readNanos += System.nanoTime() - start;
      if (!more) {
        break;
      }
      for (Lane lane : lanes) {
        lane.offer(document);
      }
    }
    for (Lane lane : lanes) {
      lane.drain();
    }
  }

  /**
   * A text encoder that remembers its last text (by identity) and ids, so lanes that encode the
   * same document one after another tokenize it once.
   */
  public static final class LastText implements TextEncoder {
    private final TextEncoder encoder;
    private final Map<String, int[]> last = new IdentityHashMap<>(2);

    public LastText(TextEncoder encoder) {
      this.encoder = encoder;
    }

    @Override
    public int[] encode(String text) {
      int[] ids = last.get(text);
      if (ids == null) {
        ids = encoder.encode(text);
        last.clear();
        last.put(text, ids);
      }
      return ids;
    }
  }
}
