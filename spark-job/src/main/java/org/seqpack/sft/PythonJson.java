package org.seqpack.sft;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False, indent=..., separators=..., sort_keys=...)}
 * as the {@code tojson} filter of transformers' chat template environment calls it.
 */
final class PythonJson {
  private final Integer indent;
  private final String itemSeparator;
  private final String keySeparator;
  private final boolean sortKeys;
  private final boolean ensureAscii;

  PythonJson(Integer indent, List<?> separators, boolean sortKeys, boolean ensureAscii) {
    this.indent = indent;
    if (separators != null && separators.size() == 2) {
      this.itemSeparator = String.valueOf(separators.get(0));
      this.keySeparator = String.valueOf(separators.get(1));
    } else {
      this.itemSeparator = indent == null ? ", " : ",";
      this.keySeparator = ": ";
    }
    this.sortKeys = sortKeys;
    this.ensureAscii = ensureAscii;
  }

  String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, 0, out);
    return out.toString();
  }

  private void write(Object value, int depth, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(((Boolean) value) ? "true" : "false");
    } else if (value instanceof Double || value instanceof Float) {
      out.append(pythonFloat(((Number) value).doubleValue()));
    } else if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof CharSequence || value instanceof Character) {
      string(value.toString(), out);
    } else if (value instanceof Map) {
      List<Map.Entry<?, ?>> entries = new ArrayList<>(((Map<?, ?>) value).entrySet());
      if (sortKeys) {
        entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
      }
      open('{', entries.isEmpty(), depth, out);
      for (int i = 0; i < entries.size(); i++) {
        separate(i, depth, out);
        string(String.valueOf(entries.get(i).getKey()), out);
        out.append(keySeparator);
        write(entries.get(i).getValue(), depth + 1, out);
      }
      close('}', entries.isEmpty(), depth, out);
    } else if (value instanceof Iterable || value instanceof Object[]) {
      List<Object> items = new ArrayList<>();
      if (value instanceof Object[]) {
        items.addAll(List.of((Object[]) value));
      } else {
        for (Iterator<?> it = ((Iterable<?>) value).iterator(); it.hasNext(); ) {
          items.add(it.next());
        }
      }
      open('[', items.isEmpty(), depth, out);
      for (int i = 0; i < items.size(); i++) {
        separate(i, depth, out);
        write(items.get(i), depth + 1, out);
      }
      close(']', items.isEmpty(), depth, out);
    } else {
      string(value.toString(), out);
    }
  }

  private void open(char bracket, boolean empty, int depth, StringBuilder out) {
    out.append(bracket);
  }

  private void separate(int i, int depth, StringBuilder out) {
    if (i > 0) {
      out.append(itemSeparator);
    }
    if (indent != null) {
      out.append('\n').append(" ".repeat(indent * (depth + 1)));
    }
  }

  private void close(char bracket, boolean empty, int depth, StringBuilder out) {
    if (indent != null && !empty) {
      out.append('\n').append(" ".repeat(indent * depth));
    }
    out.append(bracket);
  }

  private void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\b':
          out.append("\\b");
          break;
        case '\f':
          out.append("\\f");
          break;
        default:
          if (c < 0x20 || (ensureAscii && c > 0x7F)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }

  // Python's repr of a float: 1.0, 0.5, 1e+16, inf is not valid JSON but Python writes Infinity.
  private static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return String.format(java.util.Locale.ROOT, "%.1f", d);
    }
    return Double.toString(d).replace("E", "e+").replace("e+-", "e-");
  }
}
