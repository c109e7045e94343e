package org.seqpack.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import org.seqpack.core.SeqpackException;

/**
 * A loaded DJL Hugging Face tokenizer that encodes text to ids without any special tokens of its
 * own post-processor, with padding and truncation off. Thread-safe for encoding.
 */
public final class TokenEncoder implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final long handle;

  private TokenEncoder(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
    this.handle = tokenizer.getHandle();
  }

  /** Builds the native tokenizer from the spec's loadable bytes. */
  public static TokenEncoder load(TokenizerSpec spec) {
    DjlEnvironment.prepare();
    // DJL's defaults pad, truncate at 512 and add special tokens; all three must be off.
    Map<String, String> options =
        Map.of("addSpecialTokens", "false", "padding", "false", "truncation", "false");
    try {
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(spec.loadableJson()), options);
      if (!"DO_NOT_TRUNCATE".equals(tokenizer.getTruncation())
          || !"DO_NOT_PAD".equals(tokenizer.getPadding())) {
        tokenizer.close();
        throw new SeqpackException(
            "tokenizer loaded with truncation "
                + tokenizer.getTruncation()
                + " and padding "
                + tokenizer.getPadding()
                + "; both must be off");
      }
      return new TokenEncoder(tokenizer);
    } catch (IOException | RuntimeException e) {
      if (e instanceof SeqpackException) {
        throw (SeqpackException) e;
      }
      throw new SeqpackException("cannot load tokenizer: " + e.getMessage(), e);
    }
  }

  /** The ids of {@code text}, no special tokens added. Builds no token strings or offsets. */
  public int[] encode(String text) {
    TokenizersLibrary lib = TokenizersLibrary.LIB;
    long encoding = lib.encode(handle, text, false);
    try {
      return toInts(lib.getTokenIds(encoding));
    } finally {
      lib.deleteEncoding(encoding);
    }
  }

  /** The ids of {@code text} with each token's [start, end) in Java {@code char} (UTF-16) units. */
  public OffsetEncoding encodeWithOffsets(String text) {
    Encoding encoding = tokenizer.encode(text, false, false);
    int[] ids = toInts(encoding.getIds());
    CharSpan[] spans = encoding.getCharTokenSpans();
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    // DJL reports offsets in code points; convert to UTF-16 indexes.
    int[] charIndexOfCodePoint = codePointToCharIndex(text);
    int codePoints = charIndexOfCodePoint.length - 1;
    for (int i = 0; i < ids.length; i++) {
      CharSpan span = spans[i];
      starts[i] = charIndexOfCodePoint[Math.min(Math.max(span.getStart(), 0), codePoints)];
      ends[i] = charIndexOfCodePoint[Math.min(Math.max(span.getEnd(), 0), codePoints)];
    }
    return new OffsetEncoding(ids, starts, ends);
  }

  /** Decodes ids to text; special ids are kept unless {@code skipSpecial}. */
  public String decode(int[] ids, boolean skipSpecial) {
    long[] longs = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      longs[i] = ids[i];
    }
    return tokenizer.decode(longs, skipSpecial);
  }

  private static int[] codePointToCharIndex(String text) {
    int count = text.codePointCount(0, text.length());
    int[] index = new int[count + 1];
    int charIndex = 0;
    for (int cp = 0; cp < count; cp++) {
      index[cp] = charIndex;
      charIndex += Character.charCount(text.codePointAt(charIndex));
    }
    index[count] = text.length();
    return index;
  }

  private static int[] toInts(long[] ids) {
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  /** DJL's version of the native tokenizers library. */
  public String version() {
    return tokenizer.getVersion();
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  /** Ids with their character spans. */
  public record OffsetEncoding(int[] ids, int[] starts, int[] ends) {}

  /** This encoder with spans, for {@link org.seqpack.core.SeamedTextEncoder}. */
  public org.seqpack.core.SeamedTextEncoder.SpanEncoder spans() {
    return text -> {
      OffsetEncoding encoding = encodeWithOffsets(text);
      return new org.seqpack.core.SeamedTextEncoder.Spans(
          encoding.ids(), encoding.starts(), encoding.ends());
    };
  }
}
