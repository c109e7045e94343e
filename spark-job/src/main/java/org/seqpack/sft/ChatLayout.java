package org.seqpack.sft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A conversation rendered by its chat template, with where each message's content landed, the
 * template's own special-token markers, and the target span of each assistant turn, all as [start,
 * end) UTF-16 indexes into {@link #text()}.
 *
 * <p>Contents are located without guessing: the template is rendered a second time with every
 * content replaced by a unique probe (private-use characters), which shows the scaffolding around
 * each content; the real rendering must equal that scaffolding with each content put back (as is,
 * or with leading/trailing whitespace trimmed the way templates do). When the template branches on
 * content (Qwen3 moves {@code <think>} reasoning into its own block), each message is probed on its
 * own and its content region is where the two renderings differ. A special-token string outside
 * every content region is a template marker; inside a content it is ordinary text.
 *
 * <p>An assistant turn's target span runs from the end of the template's generation prompt (the
 * header the model is prompted with at inference) through the first marker after its content (its
 * end-of-turn token).
 */
public final class ChatLayout {
  private static final char PROBE_OPEN = '\uE000';
  private static final char PROBE_CLOSE = '\uE001';

  /** A [start, end) range of the rendered text. */
  public record Span(int start, int end) {}

  /** A template marker: a special token's text at [start, end) and its id. */
  public record Marker(int start, int end, int id) {}

  private final String text;
  private final List<Span> contents;
  private final List<Marker> markers;
  private final List<Span> targets;

  private ChatLayout(String text, List<Span> contents, List<Marker> markers, List<Span> targets) {
    this.text = text;
    this.contents = List.copyOf(contents);
    this.markers = List.copyOf(markers);
    this.targets = List.copyOf(targets);
  }

  /** The rendered conversation. */
  public String text() {
    return text;
  }

  /** Where each message's content is, indexed like the messages (empty span where it is empty). */
  public List<Span> contents() {
    return contents;
  }

  /** The template's special-token markers, in order. */
  public List<Marker> markers() {
    return markers;
  }

  /** The target span of each assistant turn, in order. */
  public List<Span> targets() {
    return targets;
  }

  /** Thrown when contents cannot be located in the rendering. */
  public static final class MismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  /** Builds layouts for one template and one tokenizer's special tokens. */
  static final class Builder {
    private final ChatTemplate template;
    private final Map<String, Integer> specialTokens;
    private final String[] specialsByLength;
    private final String firstChars;
    private final String generationPrompt;

    Builder(ChatTemplate template, Map<String, Integer> specialTokens) {
      this.template = template;
      this.specialTokens = specialTokens;
      this.specialsByLength =
          specialTokens.keySet().stream()
              .filter(s -> !s.isEmpty())
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toArray(String[]::new);
      StringBuilder first = new StringBuilder();
      for (String special : specialsByLength) {
        if (first.indexOf(special.substring(0, 1)) < 0) {
          first.append(special.charAt(0));
        }
      }
      this.firstChars = first.toString();
      this.generationPrompt = generationPrompt(template);
    }

    /** The text {@code add_generation_prompt} appends, or "" when the template shows none. */
    String generationPrompt() {
      return generationPrompt;
    }

    private static String generationPrompt(ChatTemplate template) {
      List<Message> probe = List.of(Message.user(probe(0)));
      try {
        String without = template.render(probe, false);
        String with = template.render(probe, true);
        return with.startsWith(without) ? with.substring(without.length()) : "";
      } catch (ChatTemplateException e) {
        return "";
      }
    }

    ChatLayout layout(List<Message> messages, boolean addGenerationPrompt)
        throws MismatchException {
      String text = template.render(messages, addGenerationPrompt);
      Span[] contents = locateTogether(messages, addGenerationPrompt, text);
      if (contents == null) {
        contents = locateOneByOne(messages, addGenerationPrompt, text);
      }
      List<Marker> markers = markers(text, contents);
      List<Span> targets = new ArrayList<>();
      int previousEnd = 0;
      for (int i = 0; i < messages.size(); i++) {
        Span content = contents[i];
        if (messages.get(i).isAssistant()) {
          targets.add(
              target(
                  text,
                  content,
                  previousEnd,
                  markers,
                  i + 1 < contents.length ? contents[i + 1].start() : text.length()));
        }
        previousEnd = content.end();
      }
      return new ChatLayout(text, Arrays.asList(contents), markers, targets);
    }

    private Span target(
        String text, Span content, int previousEnd, List<Marker> markers, int nextStart) {
      int start = content.start();
      if (!generationPrompt.isEmpty()) {
        int at = text.lastIndexOf(generationPrompt, content.start() - generationPrompt.length());
        if (at >= previousEnd) {
          start = at + generationPrompt.length();
        }
      }
      int end = content.end();
      for (Marker marker : markers) {
        if (marker.start() >= content.end()) {
          if (marker.start() <= nextStart) {
            end = marker.end();
          }
          break;
        }
      }
      return new Span(start, end);
    }

    // All contents probed in one rendering; null when the real rendering does not fit it.
    private Span[] locateTogether(
        List<Message> messages, boolean addGenerationPrompt, String text) {
      List<Message> probed = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        probed.add(new Message(messages.get(i).role(), probe(i)));
      }
      String scaffold;
      try {
        scaffold = template.render(probed, addGenerationPrompt);
      } catch (ChatTemplateException e) {
        return null;
      }
      List<String> pieces = new ArrayList<>();
      List<Integer> order = new ArrayList<>();
      int from = 0;
      while (true) {
        int open = scaffold.indexOf(PROBE_OPEN, from);
        if (open < 0) {
          break;
        }
        int close = scaffold.indexOf(PROBE_CLOSE, open);
        if (close < 0) {
          return null;
        }
        int index;
        try {
          index = Integer.parseInt(scaffold.substring(open + 1, close));
        } catch (NumberFormatException e) {
          return null;
        }
        pieces.add(scaffold.substring(from, open));
        order.add(index);
        from = close + 1;
      }
      pieces.add(scaffold.substring(from));
      // Every content exactly once, in order.
      if (order.size() != messages.size()) {
        return null;
      }
      for (int i = 0; i < order.size(); i++) {
        if (order.get(i) != i) {
          return null;
        }
      }
      Span[] spans = new Span[messages.size()];
      if (!text.startsWith(pieces.get(0))) {
        return null;
      }
      int cursor = pieces.get(0).length();
      for (int i = 0; i < messages.size(); i++) {
        String content = messages.get(i).content();
        String after = pieces.get(i + 1);
        Span found = null;
        for (int[] cut : cuts(content)) {
          int length = cut[1] - cut[0];
          if (text.regionMatches(cursor, content, cut[0], length)
              && text.startsWith(after, cursor + length)) {
            found = new Span(cursor, cursor + length);
            break;
          }
        }
        if (found == null) {
          return null;
        }
        spans[i] = found;
        cursor = found.end() + after.length();
      }
      return cursor == text.length() ? spans : null;
    }

    // Ways a template copies content: as is, or trimmed of leading/trailing whitespace or newlines.
    private static List<int[]> cuts(String content) {
      int n = content.length();
      int leadSpace = 0;
      while (leadSpace < n && PythonStrings.isSpace(content.charAt(leadSpace))) {
        leadSpace++;
      }
      int leadNewline = 0;
      while (leadNewline < n && content.charAt(leadNewline) == '\n') {
        leadNewline++;
      }
      int trailSpace = n;
      while (trailSpace > leadSpace && PythonStrings.isSpace(content.charAt(trailSpace - 1))) {
        trailSpace--;
      }
      int trailNewline = n;
      while (trailNewline > leadNewline && content.charAt(trailNewline - 1) == '\n') {
        trailNewline--;
      }
      List<int[]> cuts = new ArrayList<>();
      for (int start : new int[] {0, leadNewline, leadSpace}) {
        for (int end : new int[] {n, trailNewline, trailSpace}) {
          if (start <= end) {
            cuts.add(new int[] {start, end});
          }
        }
      }
      return cuts;
    }

    // One rendering per message with only its content probed; its region is where they differ.
    private Span[] locateOneByOne(List<Message> messages, boolean addGenerationPrompt, String text)
        throws MismatchException {
      Span[] spans = new Span[messages.size()];
      int previousEnd = 0;
      for (int i = 0; i < messages.size(); i++) {
        List<Message> probed = new ArrayList<>(messages);
        String probe = probe(i);
        probed.set(i, new Message(messages.get(i).role(), probe));
        String other = template.render(probed, addGenerationPrompt);
        int prefix = 0;
        int limit = Math.min(text.length(), other.length());
        while (prefix < limit && text.charAt(prefix) == other.charAt(prefix)) {
          prefix++;
        }
        int suffix = 0;
        while (suffix < limit - prefix
            && text.charAt(text.length() - 1 - suffix)
                == other.charAt(other.length() - 1 - suffix)) {
          suffix++;
        }
        String otherRegion = other.substring(prefix, other.length() - suffix);
        int at = otherRegion.indexOf(probe);
        if (at < 0 || otherRegion.indexOf(probe, at + 1) >= 0) {
          throw new MismatchException(
              "content of messages[" + i + "] is not rendered exactly once by the template");
        }
        String around = otherRegion.substring(0, at) + otherRegion.substring(at + probe.length());
        if (containsSpecial(around)) {
          throw new MismatchException(
              "the template renders messages["
                  + i
                  + "] differently depending on its content, across turn boundaries");
        }
        Span span = new Span(prefix, text.length() - suffix);
        if (span.start() < previousEnd) {
          throw new MismatchException(
              "content of messages[" + i + "] overlaps the content before it in the rendering");
        }
        spans[i] = span;
        previousEnd = span.end();
      }
      return spans;
    }

    private boolean containsSpecial(String s) {
      for (String special : specialsByLength) {
        if (s.contains(special)) {
          return true;
        }
      }
      return false;
    }

    // Special-token strings outside contents, leftmost-longest like the tokenizer's own matching.
    private List<Marker> markers(String text, Span[] contents) {
      List<Marker> markers = new ArrayList<>();
      int from = 0;
      for (int i = 0; i <= contents.length; i++) {
        int to = i < contents.length ? contents[i].start() : text.length();
        scan(text, from, to, markers);
        if (i < contents.length) {
          from = Math.max(from, contents[i].end());
        }
      }
      return markers;
    }

    private void scan(String text, int from, int to, List<Marker> markers) {
      int i = from;
      while (i < to) {
        if (firstChars.indexOf(text.charAt(i)) < 0) {
          i++;
          continue;
        }
        String match = null;
        for (String special : specialsByLength) {
          if (i + special.length() <= to && text.startsWith(special, i)) {
            match = special;
            break;
          }
        }
        if (match == null) {
          i++;
        } else {
          markers.add(new Marker(i, i + match.length(), specialTokens.get(match)));
          i += match.length();
        }
      }
    }

    private static String probe(int index) {
      return PROBE_OPEN + Integer.toString(index) + PROBE_CLOSE;
    }
  }
}
