package org.seqpack.verify;

import static org.seqpack.verify.JsonFields.array;
import static org.seqpack.verify.JsonFields.number;
import static org.seqpack.verify.JsonFields.object;
import static org.seqpack.verify.JsonFields.string;
import static org.seqpack.verify.JsonFields.stringMap;
import static org.seqpack.verify.OutputLayout.MANIFEST;
import static org.seqpack.verify.OutputLayout.STATS_JSON;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.seqpack.config.ConfigException;
import org.seqpack.config.JobOptions;
import org.seqpack.config.OptionValues;
import org.seqpack.verify.Findings.Kind;

/**
 * Megatron indexed datasets and llm.c shards against docs/FORMAT.md and the formats' own
 * specifications (the constants here are written from them, not taken from the job's writers):
 * headers, token types chosen by the vocabulary, index pointers and lengths against the data, every
 * id below the vocabulary size, the sentinels around each document, the manifest's and stats.json's
 * counts, and a decode/re-encode round trip of a sample of whole documents.
 */
final class FlatOutputCheck {
  static final String MEGATRON = "megatron-indexed/1";
  static final String LLMC = "llmc-shards/1";

  private static final byte[] INDEX_HEADER = {'M', 'M', 'I', 'D', 'I', 'D', 'X', 0, 0};
  private static final int INDEX_HEADER_BYTES = 34;
  private static final long MAX_INDEX_BYTES = 1L << 31;
  private static final int LLMC_HEADER_BYTES = 1024;

  private final OutputLayout layout;
  private final Findings findings;
  private final int vocabularySize;
  private final int bosId;
  private final int eosId;
  private final boolean sentinelRules;
  private final RoundTripSample sample;
  private final Map<String, JsonNode> listed = new LinkedHashMap<>();
  private long tokens;
  private long documents;
  private long sequences;

  private FlatOutputCheck(
      OutputLayout layout,
      Findings findings,
      int vocabularySize,
      int bosId,
      int eosId,
      boolean sentinelRules,
      RoundTripSample sample) {
    this.layout = layout;
    this.findings = findings;
    this.vocabularySize = vocabularySize;
    this.bosId = bosId;
    this.eosId = eosId;
    this.sentinelRules = sentinelRules;
    this.sample = sample;
    JsonNode files = array(layout.manifest, "files");
    if (files != null) {
      for (JsonNode file : files) {
        String path = file.isObject() ? string(file, "path") : null;
        if (path != null) {
          listed.put(path, file);
        }
      }
    }
  }

  /**
   * Checks a flat output; appends its summary to {@code header}.
   *
   * @param stats stats.json, or null when missing
   */
  static void check(
      OutputLayout layout,
      JsonNode stats,
      OutputVerifier.Options options,
      Configuration conf,
      Findings findings,
      StringBuilder header) {
    Map<String, String> recorded =
        layout.manifest == null ? null : stringMap(layout.manifest, "config");
    if (recorded == null) {
      findings.add(
          Kind.FOLDER, MANIFEST, "has no 'config': a flat output records its configuration there");
      return;
    }
    OptionValues values;
    try {
      values = JobOptions.readRecorded(recorded);
    } catch (ConfigException e) {
      findings.add(Kind.FOLDER, MANIFEST + " config", String.join("; ", e.problems()));
      return;
    }
    String format = values.get(JobOptions.OUTPUT_FORMAT).version();
    if (!format.equals(layout.format)) {
      findings.add(
          Kind.FOLDER,
          MANIFEST + " config",
          "records output.format " + format + "; the manifest's format is " + layout.format);
      return;
    }
    JsonNode tokenizer = stats == null ? null : object(stats, "tokenizer");
    Long vocabulary = tokenizer == null ? null : number(tokenizer, "vocab_size");
    Long bos = tokenizer == null ? null : number(tokenizer, "bos_id");
    Long eos = tokenizer == null ? null : number(tokenizer, "eos_id");
    if (vocabulary == null || bos == null || eos == null || vocabulary < 1) {
      findings.add(
          Kind.STATS,
          STATS_JSON + " tokenizer",
          "needs vocab_size, bos_id and eos_id: the token type and the sentinels follow from them");
      return;
    }
    int bosId = (int) Math.max(bos, RowContract.NONE);
    int eosId = (int) Math.max(eos, RowContract.NONE);
    String longDocs = values.get(JobOptions.LONG_DOCS).configName();
    boolean specialTokensInText = values.get(JobOptions.SPECIAL_TOKENS_IN_TEXT);
    RowContract contract = RowContract.of(recorded, true, Math.max(bosId, 0), bosId, eosId);
    RecordedTokenizer recordedTokenizer =
        RecordedTokenizer.find(
            options.tokenizer(),
            stats,
            recorded,
            string(layout.manifest, "tokenizer_sha256"),
            contract,
            conf,
            findings);
    try {
      // Sentinels mark documents only while no text can hold their ids.
      boolean sentinelRules =
          !specialTokensInText
              && (recordedTokenizer == null
                  || (bosId == RowContract.NONE || recordedTokenizer.isSpecial(bosId))
                      && (eosId == RowContract.NONE || recordedTokenizer.isSpecial(eosId)));
      RoundTripSample sample = null;
      if (recordedTokenizer != null && options.sample() > 0) {
        try {
          recordedTokenizer.load();
          // Every document handed to it is whole: any length counts.
          sample =
              new RoundTripSample(
                  options.sample(), Integer.MAX_VALUE, true, false, false, bosId, eosId);
        } catch (RuntimeException e) {
          findings.add(
              Kind.TOKENIZER, recordedTokenizer.location, "cannot be loaded: " + e.getMessage());
        }
      } else if (options.sample() == 0) {
        findings.skipped("round trip: --sample 0");
      }
      FlatOutputCheck check =
          new FlatOutputCheck(
              layout, findings, vocabulary.intValue(), bosId, eosId, sentinelRules, sample);
      int seqLen = values.get(JobOptions.SEQ_LEN).get(0); // one: several need Parquet
      boolean wholeWhenSplit = longDocs.equals("split");
      if (format.equals(MEGATRON)) {
        check.megatron(seqLen, wholeWhenSplit);
      } else {
        check.llmc(values.get(JobOptions.SHARD_TOKENS), seqLen, wholeWhenSplit);
      }
      header.append(
          String.format(
              Locale.ROOT,
              "data:   %,d file(s), %,d tokens, %,d documents%s%n",
              layout.dataFiles.size(),
              check.tokens,
              check.documents,
              format.equals(MEGATRON)
                  ? String.format(Locale.ROOT, ", %,d sequences", check.sequences)
                  : ""));
      if (stats != null) {
        StatsCheck.checkFlat(
            stats, findings, format, check.tokens, check.documents, check.sequences, layout);
      }
      if (sample != null) {
        sample.checkAndReport(recordedTokenizer, findings);
      }
    } finally {
      if (recordedTokenizer != null) {
        recordedTokenizer.close();
      }
    }
  }

  // ---- Megatron ----

  private void megatron(int seqLen, boolean wholeWhenSplit) {
    int expectedCode = vocabularySize < 65500 ? 8 : 4; // DType.optimal_dtype: uint16, else int32
    Map<String, FileStatus> byName = new TreeMap<>();
    layout.dataFiles.forEach(f -> byName.put(f.getPath().getName(), f));
    for (Map.Entry<String, FileStatus> entry : byName.entrySet()) {
      String name = entry.getKey();
      if (name.endsWith(".idx")) {
        String bin = name.substring(0, name.length() - 4) + ".bin";
        if (!byName.containsKey(bin)) {
          findings.add(Kind.FILE, name, "has no " + bin + " beside it");
        }
        continue;
      }
      String idx = name.substring(0, name.length() - 4) + ".idx";
      FileStatus index = byName.get(idx);
      if (index == null) {
        findings.add(Kind.FILE, name, "has no " + idx + " beside it");
        continue;
      }
      try {
        megatronPair(entry.getValue(), index, expectedCode, seqLen, wholeWhenSplit);
      } catch (IOException | RuntimeException e) {
        findings.add(Kind.FILE, name, "unreadable: " + e);
      }
    }
    findings.checked(
        "Megatron pairs: header, version, dtype for the vocabulary, lengths, pointers, document"
            + " indices against the .bin; ids below the vocabulary"
            + (sentinelRules && (bosId >= 0 || eosId >= 0)
                ? "; BOS first and EOS last in each document"
                : ""));
  }

  private void megatronPair(
      FileStatus bin, FileStatus idx, int expectedCode, int seqLen, boolean wholeWhenSplit)
      throws IOException {
    String name = idx.getPath().getName();
    if (idx.getLen() > MAX_INDEX_BYTES || idx.getLen() < INDEX_HEADER_BYTES) {
      findings.add(Kind.FILE, name, "is " + idx.getLen() + " bytes; not a readable index");
      return;
    }
    ByteBuffer index;
    try (InputStream in = layout.fs.open(idx.getPath())) {
      index = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
    }
    byte[] magic = new byte[INDEX_HEADER.length];
    index.get(magic);
    long version = index.getLong();
    int code = index.get() & 0xff;
    long sequenceCount = index.getLong();
    long documentCount = index.getLong();
    if (!Arrays.equals(magic, INDEX_HEADER)) {
      findings.add(Kind.FILE, name, "does not start with MMIDIDX\\0\\0");
      return;
    }
    if (version != 1) {
      findings.add(Kind.FILE, name, "has version " + version + "; must be 1");
    }
    if (code != expectedCode) {
      findings.add(
          Kind.FILE,
          name,
          "has dtype code "
              + code
              + "; must be "
              + expectedCode
              + " ("
              + (expectedCode == 8 ? "uint16" : "int32")
              + ") for a vocabulary of "
              + vocabularySize
              + ", as preprocess_data.py chooses");
      return;
    }
    long expectedBytes = INDEX_HEADER_BYTES + sequenceCount * 12 + documentCount * 8;
    if (sequenceCount < 0
        || documentCount < 1
        || sequenceCount > Integer.MAX_VALUE
        || documentCount > Integer.MAX_VALUE
        || expectedBytes != idx.getLen()) {
      findings.add(
          Kind.FILE,
          name,
          "holds "
              + sequenceCount
              + " sequences and "
              + documentCount
              + " document indices, which take "
              + expectedBytes
              + " bytes; the file is "
              + idx.getLen());
      return;
    }
    int[] lengths = new int[(int) sequenceCount];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = index.getInt();
    }
    long pointer = 0;
    int itemSize = code == 8 ? 2 : 4;
    boolean pointersOk = true;
    for (int i = 0; i < lengths.length; i++) {
      long recorded = index.getLong();
      if (pointersOk && recorded != pointer) {
        findings.add(
            Kind.FILE,
            name,
            "sequence "
                + i
                + " points at byte "
                + recorded
                + "; the lengths before it give "
                + pointer);
        pointersOk = false;
      }
      if (lengths[i] < 1 || lengths[i] > seqLen) {
        findings.add(
            Kind.FILE,
            name,
            "sequence " + i + " has length " + lengths[i] + "; must be 1.." + seqLen + " (L)");
        return;
      }
      pointer += (long) lengths[i] * itemSize;
    }
    long[] starts = new long[(int) documentCount];
    for (int i = 0; i < starts.length; i++) {
      starts[i] = index.getLong();
    }
    if (starts[0] != 0 || starts[starts.length - 1] != sequenceCount) {
      findings.add(
          Kind.FILE,
          name,
          "document indices run from "
              + starts[0]
              + " to "
              + starts[starts.length - 1]
              + "; must run from 0 to the sequence count "
              + sequenceCount);
      return;
    }
    for (int i = 1; i < starts.length; i++) {
      if (starts[i] <= starts[i - 1]) {
        findings.add(
            Kind.FILE,
            name,
            "document index " + i + " is " + starts[i] + ", not above " + starts[i - 1]);
        return;
      }
    }
    if (bin.getLen() != pointer) {
      findings.add(
          Kind.FILE,
          bin.getPath().getName(),
          "is " + bin.getLen() + " bytes; its index's lengths give " + pointer);
      return;
    }
    String binName = bin.getPath().getName();
    long binTokens = 0;
    try (DataInputStream data =
        new DataInputStream(new BufferedInputStream(layout.fs.open(bin.getPath()), 1 << 16))) {
      for (int d = 0; d + 1 < starts.length; d++) {
        int first = (int) starts[d];
        int last = (int) starts[d + 1];
        int length = 0;
        for (int s = first; s < last; s++) {
          length += lengths[s];
        }
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
          ids[i] =
              itemSize == 2
                  ? Short.reverseBytes(data.readShort()) & 0xffff
                  : Integer.reverseBytes(data.readInt());
          checkId(binName, ids[i]);
        }
        document(binName, d, ids, wholeWhenSplit || (last - first == 1 && length < seqLen));
        binTokens += length;
      }
    }
    tokens += binTokens;
    documents += documentCount - 1;
    sequences += sequenceCount;
    expectListed(binName, "tokens", binTokens);
    expectListed(binName, "documents", documentCount - 1);
    expectListed(binName, "sequences", sequenceCount);
  }

  // ---- llm.c ----

  private void llmc(long shardTokens, int seqLen, boolean wholeWhenSplit) {
    boolean wide = vocabularySize > 65536;
    int magic = wide ? 20240801 : 20240520;
    int version = wide ? 7 : 1;
    int itemSize = wide ? 4 : 2;
    // Shards by partition, in order: a document can continue in the next shard.
    Map<String, List<FileStatus>> partitions = new TreeMap<>();
    for (FileStatus file : layout.dataFiles) {
      String name = file.getPath().getName();
      partitions
          .computeIfAbsent(name.substring(0, "part-NNNNN".length()), k -> new ArrayList<>())
          .add(file);
    }
    boolean delimited = sentinelRules && bosId != RowContract.NONE;
    for (Map.Entry<String, List<FileStatus>> partition : partitions.entrySet()) {
      List<FileStatus> shards = partition.getValue();
      shards.sort(OutputLayout.BY_NAME);
      int[] current = new int[1024];
      int currentLength = 0;
      long documentIndex = 0;
      for (int s = 0; s < shards.size(); s++) {
        FileStatus shard = shards.get(s);
        String name = shard.getPath().getName();
        long shardDocuments = 0;
        try (DataInputStream in =
            new DataInputStream(
                new BufferedInputStream(layout.fs.open(shard.getPath()), 1 << 16))) {
          int[] header = new int[256];
          for (int i = 0; i < header.length; i++) {
            header[i] = Integer.reverseBytes(in.readInt());
          }
          if (header[0] != magic || header[1] != version) {
            findings.add(
                Kind.FILE,
                name,
                "has magic "
                    + header[0]
                    + " and version "
                    + header[1]
                    + "; must be "
                    + magic
                    + " and "
                    + version
                    + " for "
                    + itemSize
                    + "-byte tokens (a vocabulary of "
                    + vocabularySize
                    + ")");
            continue;
          }
          long count = header[2];
          if (count < 1 || LLMC_HEADER_BYTES + count * itemSize != shard.getLen()) {
            findings.add(
                Kind.FILE,
                name,
                "holds "
                    + count
                    + " tokens by its header, which take "
                    + (LLMC_HEADER_BYTES + count * itemSize)
                    + " bytes; the file is "
                    + shard.getLen());
            continue;
          }
          if (count > shardTokens || (s < shards.size() - 1 && count != shardTokens)) {
            findings.add(
                Kind.FILE,
                name,
                "holds "
                    + count
                    + " tokens; every shard but a partition's last holds exactly output.shard-tokens ("
                    + shardTokens
                    + "), the last at most that");
          }
          if (Arrays.stream(header, 3, 256).anyMatch(v -> v != 0)) {
            findings.add(Kind.FILE, name, "has non-zero reserved header ints (3..255)");
          }
          for (long i = 0; i < count; i++) {
            int id =
                itemSize == 2
                    ? Short.reverseBytes(in.readShort()) & 0xffff
                    : Integer.reverseBytes(in.readInt());
            checkId(name, id);
            if (!delimited) {
              continue;
            }
            if (id == bosId) {
              if (currentLength > 0) {
                document(
                    name,
                    documentIndex++,
                    Arrays.copyOf(current, currentLength),
                    wholeWhenSplit || currentLength < seqLen);
              }
              currentLength = 0;
              shardDocuments++;
            } else if (s == 0 && i == 0) {
              findings.add(
                  Kind.SENTINELS,
                  name,
                  "starts with id " + id + "; each document starts with the delimiter " + bosId);
            }
            if (currentLength == current.length) {
              current = Arrays.copyOf(current, currentLength * 2);
            }
            current[currentLength++] = id;
          }
          tokens += count;
          expectListed(name, "tokens", count);
          if (delimited) {
            expectListed(name, "documents", shardDocuments);
          }
        } catch (EOFException e) {
          findings.add(Kind.FILE, name, "ends before its header's token count");
        } catch (IOException | RuntimeException e) {
          findings.add(Kind.FILE, name, "unreadable: " + e);
        }
        documents += delimited ? shardDocuments : 0;
      }
      if (currentLength > 0) {
        document(
            partition.getKey(),
            documentIndex,
            Arrays.copyOf(current, currentLength),
            wholeWhenSplit || currentLength < seqLen);
      }
    }
    if (!delimited) {
      documents = layout.dataFiles.stream().mapToLong(f -> listedCount(f, "documents")).sum();
      findings.skipped(
          "llm.c documents: no special delimiter token marks them (none set, or special tokens"
              + " allowed in text); the manifest's counts are taken as they are");
    }
    findings.checked(
        "llm.c shards: magic, version and token size for the vocabulary, counts against sizes,"
            + " shard sizes, ids below the vocabulary"
            + (delimited ? ", one delimiter " + bosId + " starting each document" : ""));
  }

  // ---- shared ----

  /** A document's ids (each checked already): sentinels in place; whole ones to the sample. */
  private void document(String file, long index, int[] ids, boolean whole) {
    if (sentinelRules && ids.length > 0 && layout.format.equals(MEGATRON)) {
      if (bosId != RowContract.NONE && ids[0] != bosId) {
        findings.add(
            Kind.SENTINELS,
            file + " document " + index,
            "starts with " + ids[0] + "; documents start with the BOS " + bosId);
      }
      if (eosId != RowContract.NONE && whole && ids[ids.length - 1] != eosId) {
        findings.add(
            Kind.SENTINELS,
            file + " document " + index,
            "ends with " + ids[ids.length - 1] + "; documents end with the EOS " + eosId);
      }
    }
    if (sample != null && whole) {
      sample.segment(file, index, 0, ids, 0, ids.length);
    }
  }

  private void checkId(String file, int id) {
    if (id < 0 || id >= vocabularySize) {
      findings.add(Kind.FILE, file, "holds id " + id + "; ids are 0.." + (vocabularySize - 1));
    }
  }

  private void expectListed(String name, String field, long actual) {
    JsonNode entry = listed.get(name);
    Long value = entry == null ? null : number(entry, field);
    if (value == null) {
      findings.add(Kind.FOLDER, MANIFEST + " " + name, "has no numeric '" + field + "'");
    } else if (value != actual) {
      findings.add(
          Kind.FOLDER,
          MANIFEST + " " + name,
          field + " is " + value + "; the file holds " + actual);
    }
  }

  private long listedCount(FileStatus file, String field) {
    JsonNode entry = listed.get(file.getPath().getName());
    Long value = entry == null ? null : number(entry, field);
    return value == null ? 0 : value;
  }
}
