package org.seqpack.sft;

import java.util.ArrayDeque;
import java.util.regex.Pattern;

/**
 * Rewrites a chat template's Python-Jinja source into Jinjava source that renders the same text;
 * {@link ChatTemplate} parses the result.
 */
final class JinjaSourceRewriter {
  private static final Pattern REVERSED_SLICE = Pattern.compile("\\[\\s*:\\s*:\\s*-\\s*1\\s*]");
  // Jinja's lstrip_blocks: spaces and tabs from a line's start to a block or comment tag.
  private static final Pattern LINE_START_BEFORE_TAG =
      Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");

  private JinjaSourceRewriter() {}

  /** {@code source} as Jinjava must read it to render what Python's Jinja renders. */
  static String rewrite(String source) {
    // Jinja drops one trailing newline of the source (keep_trailing_newline=False). Jinjava's own
    // lstrip_blocks also strips spaces after text on the same line, so it is done here instead.
    // Jinjava has no extended slices: the one idiom templates use, [::-1], becomes a filter.
    String text = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
    text = LINE_START_BEFORE_TAG.matcher(text).replaceAll("");
    return wrapKeywordArguments(REVERSED_SLICE.matcher(text).replaceAll("|reverse"));
  }

  /**
   * Puts each keyword-argument value of a call inside {{ }} or {% %} in parentheses: Jinjava ends
   * the value at a filter, so {@code namespace(i=messages|length - 1)} would subtract from the
   * argument itself. Macro definitions are left alone.
   */
  private static String wrapKeywordArguments(String template) {
    StringBuilder out = new StringBuilder(template.length() + 16);
    int i = 0;
    int n = template.length();
    while (i < n) {
      int open = nextTagOpen(template, i);
      if (open < 0) {
        out.append(template, i, n);
        break;
      }
      String close = template.charAt(open + 1) == '{' ? "}}" : "%}";
      int end = template.indexOf(close, open + 2);
      if (end < 0) {
        out.append(template, i, n);
        break;
      }
      out.append(template, i, open);
      String tag = template.substring(open, end + 2);
      boolean macro = tag.matches("(?s)\\{%-?\\s*(macro|call)\\b.*");
      out.append(macro ? tag : wrapInExpression(tag));
      i = end + 2;
    }
    return out.toString();
  }

  private static int nextTagOpen(String template, int from) {
    for (int i = template.indexOf('{', from);
        i >= 0 && i + 1 < template.length();
        i = template.indexOf('{', i + 1)) {
      char next = template.charAt(i + 1);
      if (next == '{' || next == '%') {
        return i;
      }
    }
    return -1;
  }

  private static String wrapInExpression(String expression) {
    StringBuilder out = new StringBuilder(expression.length() + 8);
    // Closing parenthesis to add when the nesting depth falls back to the recorded level.
    ArrayDeque<Integer> pending = new ArrayDeque<>();
    int depth = 0;
    int n = expression.length();
    for (int i = 0; i < n; i++) {
      char c = expression.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n && expression.charAt(j) != c) {
          j += expression.charAt(j) == '\\' ? 2 : 1;
        }
        out.append(expression, i, Math.min(j + 1, n));
        i = j;
        continue;
      }
      if ((c == ',' || c == ')' || c == ']' || c == '}')
          && !pending.isEmpty()
          && pending.peek() == depth) {
        out.append(')');
        pending.pop();
      }
      if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      }
      out.append(c);
      if (c == '=' && depth > 0 && isKeywordEquals(expression, i)) {
        out.append('(');
        pending.push(depth);
      }
    }
    return out.toString();
  }

  // "name=" right after "(" or "," inside a call, not "==", "<=", ">=" or "!=".
  private static boolean isKeywordEquals(String s, int at) {
    if (at + 1 < s.length() && s.charAt(at + 1) == '=') {
      return false;
    }
    int j = at - 1;
    while (j >= 0 && s.charAt(j) == ' ') {
      j--;
    }
    int nameEnd = j;
    while (j >= 0 && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
      j--;
    }
    if (j == nameEnd) {
      return false;
    }
    while (j >= 0 && s.charAt(j) == ' ') {
      j--;
    }
    return j >= 0 && (s.charAt(j) == '(' || s.charAt(j) == ',');
  }
}
