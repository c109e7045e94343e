package org.seqpack.sft;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.seqpack.core.SeqpackException;
import org.seqpack.tokenizer.TokenEncoder;
import org.seqpack.tokenizer.TokenizerSpec;

/**
 * Turns one SFT example (a conversation, or a prompt/completion pair) into aligned tokens and
 * targets: 1 on the tokens the model must learn to produce, 0 on the rest. Thread-safe.
 *
 * <p>A conversation is rendered with its chat template into one text; template markers become their
 * special ids, and the text between markers (scaffolding and contents, where literal special-token
 * strings are ordinary text) is encoded by the sanitized tokenizer in one piece per gap, which is
 * how the reference tokenizer splits at special tokens anyway. A token is a target when its
 * character span overlaps a target span (see {@link ChatLayout}), so a token that straddles a
 * header and the assistant's first characters is a target.
 */
public final class SftEncoder {
  /** Roles a conversation may use. */
  public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");

  private final TokenEncoder encoder;
  private final ChatTemplate template;
  private final ChatLayout.Builder layouts;
  private final SftOptions options;
  private final int eosId;

  /**
   * @param spec the tokenizer as validated by the driver (special tokens, EOS)
   * @param encoder the loaded sanitized tokenizer of {@code spec}
   * @param template the chat template, or null when only prompt/completion pairs are encoded
   * @param options lengths, long-example policy, trainOnPrompt
   */
  public SftEncoder(
      TokenizerSpec spec, TokenEncoder encoder, ChatTemplate template, SftOptions options) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.options = Objects.requireNonNull(options, "options");
    this.template = template;
    this.layouts = template == null ? null : new ChatLayout.Builder(template, spec.specialTokens());
    String eos = spec.config().eosToken().orElse(null);
    Integer id = eos == null ? null : spec.specialTokens().get(eos);
    if (options.completionEos() && id == null) {
      throw new SeqpackException(
          "'"
              + SftOptions.COMPLETION_EOS
              + "' is true but the tokenizer has no special eos_token; set it to false");
    }
    this.eosId = id == null ? -1 : id;
  }

  public SftOptions options() {
    return options;
  }

  /** Encodes a conversation rendered with the chat template, without generation prompt. */
  public SftResult encodeChat(List<Message> messages) {
    if (template == null) {
      throw new IllegalStateException("this encoder has no chat template");
    }
    String invalid = invalid(messages);
    if (invalid != null) {
      return new SftResult.Rejected(Rejection.INVALID_MESSAGES, invalid);
    }
    ChatLayout layout;
    try {
      layout = layouts.layout(messages, false);
    } catch (ChatTemplateException e) {
      return new SftResult.Rejected(Rejection.TEMPLATE_ERROR, e.getMessage());
    } catch (ChatLayout.MismatchException e) {
      return new SftResult.Rejected(Rejection.TEMPLATE_MISMATCH, e.getMessage());
    }
    Encoded encoded = encode(layout);
    return finish(encoded.tokens, encoded.response);
  }

  /**
   * Encodes {@code prompt + completion} as one text, the completion as target, followed by the EOS
   * token (a target) when {@link SftOptions#completionEos()}.
   */
  public SftResult encodeCompletion(String prompt, String completion) {
    if (prompt == null || completion == null) {
      return new SftResult.Rejected(Rejection.INVALID_MESSAGES, "prompt or completion is missing");
    }
    String text = prompt + completion;
    if (hasLoneSurrogate(text)) {
      return new SftResult.Rejected(
          Rejection.INVALID_MESSAGES, "text holds a lone UTF-16 surrogate; it cannot be encoded");
    }
    TokenEncoder.OffsetEncoding encoding = encoder.encodeWithOffsets(text);
    int n = encoding.ids().length;
    boolean eos = options.completionEos();
    int[] tokens = Arrays.copyOf(encoding.ids(), n + (eos ? 1 : 0));
    byte[] response = new byte[tokens.length];
    int start = prompt.length();
    for (int i = 0; i < n; i++) {
      response[i] =
          overlaps(encoding.starts()[i], encoding.ends()[i], start, text.length()) ? (byte) 1 : 0;
    }
    if (eos) {
      tokens[n] = eosId;
      response[n] = 1;
    }
    return finish(tokens, response);
  }

  /** The rendered layout of a conversation, for inspection and tests. */
  public ChatLayout layout(List<Message> messages, boolean addGenerationPrompt)
      throws ChatLayout.MismatchException {
    return layouts.layout(messages, addGenerationPrompt);
  }

  /** Tokens of a layout with 1 on tokens overlapping a target span (before any policy). */
  public Encoded encode(ChatLayout layout) {
    String text = layout.text();
    List<ChatLayout.Marker> markers = layout.markers();
    int[] ids = new int[Math.max(16, text.length() / 2)];
    int[] starts = new int[ids.length];
    int[] ends = new int[ids.length];
    int count = 0;
    int from = 0;
    for (int m = 0; m <= markers.size(); m++) {
      int to = m < markers.size() ? markers.get(m).start() : text.length();
      if (to > from) {
        TokenEncoder.OffsetEncoding piece = encoder.encodeWithOffsets(text.substring(from, to));
        int k = piece.ids().length;
        if (count + k + 1 > ids.length) {
          int size = Math.max(ids.length * 2, count + k + 1);
          ids = Arrays.copyOf(ids, size);
          starts = Arrays.copyOf(starts, size);
          ends = Arrays.copyOf(ends, size);
        }
        for (int i = 0; i < k; i++) {
          ids[count] = piece.ids()[i];
          starts[count] = from + piece.starts()[i];
          ends[count] = from + piece.ends()[i];
          count++;
        }
      }
      if (m < markers.size()) {
        ChatLayout.Marker marker = markers.get(m);
        if (count + 1 > ids.length) {
          ids = Arrays.copyOf(ids, ids.length * 2);
          starts = Arrays.copyOf(starts, ids.length);
          ends = Arrays.copyOf(ends, ids.length);
        }
        ids[count] = marker.id();
        starts[count] = marker.start();
        ends[count] = marker.end();
        count++;
        from = marker.end();
      }
    }
    byte[] response = new byte[count];
    List<ChatLayout.Span> targets = layout.targets();
    int t = 0;
    for (int i = 0; i < count; i++) {
      // Tokens and targets are both in text order and do not overlap among themselves.
      while (t < targets.size() && targets.get(t).end() <= starts[i]) {
        t++;
      }
      if (t < targets.size()
          && overlaps(starts[i], ends[i], targets.get(t).start(), targets.get(t).end())) {
        response[i] = 1;
      }
    }
    return new Encoded(Arrays.copyOf(ids, count), response);
  }

  /** Tokens and their response mask (1 on what the model must produce), before the policy. */
  public record Encoded(int[] tokens, byte[] response) {}

  // Empty token spans (none expected) count as the point at their start.
  private static boolean overlaps(int start, int end, int spanStart, int spanEnd) {
    if (end <= start) {
      return start >= spanStart && start < spanEnd;
    }
    return start < spanEnd && end > spanStart;
  }

  private SftResult finish(int[] tokens, byte[] response) {
    int firstResponse = -1;
    for (int i = 1; i < response.length; i++) {
      if (response[i] != 0) {
        firstResponse = i;
        break;
      }
    }
    if (firstResponse < 0) {
      return new SftResult.Rejected(Rejection.NO_TARGET, "no token to train on");
    }
    byte[] targets = response;
    if (options.trainOnPrompt()) {
      targets = new byte[response.length];
      Arrays.fill(targets, (byte) 1);
    }
    int max = options.maxLength();
    int n = tokens.length;
    if (n <= max) {
      return new SftResult.Accepted(tokens, targets, new int[] {0}, new int[] {n}, 0);
    }
    switch (options.longExamples()) {
      case DROP:
        return new SftResult.Rejected(
            Rejection.TOO_LONG,
            "example has " + n + " tokens; must be at most " + max + " (policy drop)");
      case TRUNCATE_PROMPT:
        int cut = n - max;
        // Keep one context token before the first response token: a window's first token is
        // never a target.
        if (cut > firstResponse - 1) {
          return new SftResult.Rejected(
              Rejection.TOO_LONG,
              "example has "
                  + n
                  + " tokens and its response starts at token "
                  + firstResponse
                  + "; cutting the prompt cannot bring it to "
                  + max
                  + " (policy truncate-prompt)");
        }
        return new SftResult.Accepted(
            Arrays.copyOfRange(tokens, cut, n),
            Arrays.copyOfRange(targets, cut, n),
            new int[] {0},
            new int[] {max},
            cut);
      case SPLIT:
        return split(tokens, targets, max);
      default:
        throw new IllegalStateException("unhandled policy " + options.longExamples());
    }
  }

  private static SftResult split(int[] tokens, byte[] targets, int max) {
    int n = tokens.length;
    int[] starts = new int[n / (max - 1) + 2];
    int[] lengths = new int[starts.length];
    int windows = 0;
    for (int start = 0; ; start += max - 1) {
      int length = Math.min(max, n - start);
      boolean any = false;
      for (int i = start + 1; i < start + length && !any; i++) {
        any = targets[i] != 0;
      }
      if (any) {
        starts[windows] = start;
        lengths[windows] = length;
        windows++;
      }
      if (start + length >= n) {
        break;
      }
    }
    return new SftResult.Accepted(
        tokens, targets, Arrays.copyOf(starts, windows), Arrays.copyOf(lengths, windows), 0);
  }

  private static String invalid(List<Message> messages) {
    if (messages == null || messages.isEmpty()) {
      return "messages is empty; must hold at least one message";
    }
    for (int i = 0; i < messages.size(); i++) {
      Message message = messages.get(i);
      if (message == null) {
        return "messages[" + i + "] is null";
      }
      if (!ROLES.contains(message.role())) {
        return "messages["
            + i
            + "].role is '"
            + message.role()
            + "'; must be one of assistant, system, tool, user";
      }
      if (hasLoneSurrogate(message.content())) {
        return "messages[" + i + "].content holds a lone UTF-16 surrogate; it cannot be encoded";
      }
    }
    return null;
  }

  private static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
