package org.seqpack.spark;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.api.Binary;
import org.seqpack.core.InputConfig;
import org.seqpack.core.InputFormat;
import org.seqpack.core.RecordParser;
import org.seqpack.core.SourceDocument;

/**
 * A sample of the real input, read on the driver before Spark starts: documents taken in turn from
 * up to {@value #FILES} files spread over the input's files (in path order), until {@code
 * maxDocuments} documents or {@code maxChars} characters. Parsed as the job parses them; rejected
 * records are left out.
 */
final class InputSample {
  static final int FILES = 16;
  private static final int MAX_LINE = 16 << 20;

  /** A sampled document and where it is. */
  record Document(String source, long position, String text) {}

  private InputSample() {}

  static List<Document> read(
      InputConfig input, String textField, Configuration conf, int maxDocuments, long maxChars)
      throws IOException {
    List<FileStatus> files = files(input, conf);
    List<FileStatus> spread = new ArrayList<>();
    int take = Math.min(FILES, files.size());
    for (int i = 0; i < take; i++) {
      spread.add(files.get((int) ((long) i * files.size() / take)));
    }
    Configuration withCodecs = new Configuration(conf);
    InputCodecs.register(withCodecs);
    RecordParser parser =
        new RecordParser(input.format() == InputFormat.JSONL, textField, input.rejectInvalidUtf8());
    List<Source> sources = new ArrayList<>();
    try {
      for (FileStatus file : spread) {
        sources.add(
            input.format() == InputFormat.PARQUET
                ? new ParquetSource(file.getPath(), withCodecs, textField)
                : new LineSource(file.getPath(), withCodecs, parser));
      }
      List<Document> sample = new ArrayList<>();
      long chars = 0;
      boolean more = true;
      while (more && sample.size() < maxDocuments && chars < maxChars) {
        more = false;
        for (Source source : sources) {
          Document document = source.next();
          if (document == null) {
            continue;
          }
          more = true;
          sample.add(document);
          chars += document.text().length();
          if (sample.size() >= maxDocuments || chars >= maxChars) {
            break;
          }
        }
      }
      return sample;
    } finally {
      for (Source source : sources) {
        source.close();
      }
    }
  }

  private static List<FileStatus> files(InputConfig input, Configuration conf) throws IOException {
    List<FileStatus> files = new ArrayList<>();
    for (String location : input.paths()) {
      Path path = new Path(location);
      FileSystem fs = path.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(path);
      if (matches == null) {
        continue;
      }
      for (FileStatus match : matches) {
        RemoteIterator<LocatedFileStatus> listing = fs.listFiles(match.getPath(), true);
        while (listing.hasNext()) {
          LocatedFileStatus file = listing.next();
          String name = file.getPath().getName();
          if (!name.startsWith("_") && !name.startsWith(".") && file.getLen() > 0) {
            files.add(file);
          }
        }
      }
    }
    files.sort(Comparator.comparing(file -> file.getPath().toString()));
    return files;
  }

  /** Documents of one file, one at a time. */
  private interface Source extends AutoCloseable {
    Document next() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Lines of a text or JSONL file (decompressed by its extension), parsed as the job does. */
  private static final class LineSource implements Source {
    private final InputStream in;
    private final String source;
    private final RecordParser parser;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private long position;
    private boolean done;

    LineSource(Path path, Configuration conf, RecordParser parser) throws IOException {
      FileSystem fs = path.getFileSystem(conf);
      CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
      InputStream raw = fs.open(path);
      this.in =
          new BufferedInputStream(codec == null ? raw : codec.createInputStream(raw), 1 << 16);
      this.source = path.toString();
      this.parser = parser;
    }

    @Override
    public Document next() throws IOException {
      while (!done) {
        line.reset();
        long start = position;
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
          if (line.size() < MAX_LINE) {
            line.write(b);
          }
          position++;
        }
        if (b < 0) {
          done = true;
          if (line.size() == 0) {
            return null;
          }
        } else {
          position++;
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length;
        if (length > 0 && bytes[length - 1] == '\r') {
          length--;
        }
        SourceDocument document = parser.parse(source, start, bytes, length);
        if (!document.isRejected() && !document.text().isBlank()) {
          return new Document(source, start, document.text());
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Rows of a Parquet file's text column. */
  private static final class ParquetSource implements Source {
    private final ParquetReader<Group> reader;
    private final String source;
    private final String column;
    private long row;

    ParquetSource(Path path, Configuration conf, String column) throws IOException {
      this.reader = ParquetReader.builder(new GroupReadSupport(), path).withConf(conf).build();
      this.source = path.toString();
      this.column = column;
    }

    @Override
    public Document next() throws IOException {
      Group group;
      while ((group = reader.read()) != null) {
        long index = row++;
        if (group.getType().containsField(column) && group.getFieldRepetitionCount(column) > 0) {
          Binary value = group.getBinary(column, 0);
          String text = value.toStringUsingUTF8();
          if (!text.isBlank()) {
            return new Document(source, index, text);
          }
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
