package org.seqpack.sft;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * Python {@code str} semantics that chat templates rely on and Jinjava lacks: the string methods
 * ({@code startswith}, {@code strip('\n')}, {@code split}, ...) and Python's whitespace.
 */
final class PythonStrings {
  private PythonStrings() {}

  /** Whether {@code c} is whitespace to Python's {@code str.isspace()} and {@code str.strip()}. */
  static boolean isSpace(char c) {
    switch (c) {
      case '\t':
      case '\n':
      case 0x0B:
      case '\f':
      case '\r':
      case 0x1C:
      case 0x1D:
      case 0x1E:
      case 0x1F:
      case ' ':
      case 0x85:
      case 0xA0:
      case 0x1680:
      case 0x2028:
      case 0x2029:
      case 0x202F:
      case 0x205F:
      case 0x3000:
        return true;
      default:
        return c >= 0x2000 && c <= 0x200A;
    }
  }

  /**
   * Python's {@code s.strip(chars)}, {@code lstrip}, {@code rstrip}; null chars means whitespace.
   */
  static String strip(String s, String chars, boolean left, boolean right) {
    int start = 0;
    int end = s.length();
    while (left && start < end && stripped(s.charAt(start), chars)) {
      start++;
    }
    while (right && end > start && stripped(s.charAt(end - 1), chars)) {
      end--;
    }
    return s.substring(start, end);
  }

  private static boolean stripped(char c, String chars) {
    return chars == null ? isSpace(c) : chars.indexOf(c) >= 0;
  }

  /** Python's {@code s.split(sep, maxsplit)}; null sep splits on whitespace runs. */
  static List<String> split(String s, String sep, int maxSplit) {
    List<String> parts = new ArrayList<>();
    if (sep == null) {
      int i = 0;
      int n = s.length();
      while (true) {
        while (i < n && isSpace(s.charAt(i))) {
          i++;
        }
        if (i == n) {
          return parts;
        }
        if (maxSplit >= 0 && parts.size() == maxSplit) {
          parts.add(strip(s.substring(i), null, false, true));
          return parts;
        }
        int j = i;
        while (j < n && !isSpace(s.charAt(j))) {
          j++;
        }
        parts.add(s.substring(i, j));
        i = j;
      }
    }
    if (sep.isEmpty()) {
      throw new IllegalArgumentException("empty separator");
    }
    int from = 0;
    while (maxSplit < 0 || parts.size() < maxSplit) {
      int at = s.indexOf(sep, from);
      if (at < 0) {
        break;
      }
      parts.add(s.substring(from, at));
      from = at + sep.length();
    }
    parts.add(s.substring(from));
    return parts;
  }

  static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean previousCased = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      out.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
      previousCased = Character.isLetter(c);
    }
    return out.toString();
  }

  /** Evaluates the Python method {@code name} on {@code s}, or throws if there is none. */
  static Object invoke(String s, String name, Object[] args) {
    switch (name) {
      case "startswith":
        return affix(s, args, true);
      case "endswith":
        return affix(s, args, false);
      case "strip":
        return strip(s, optionalString(args, 0), true, true);
      case "lstrip":
        return strip(s, optionalString(args, 0), true, false);
      case "rstrip":
        return strip(s, optionalString(args, 0), false, true);
      case "split":
        return split(s, optionalString(args, 0), args.length > 1 ? toInt(args[1]) : -1);
      case "upper":
        return s.toUpperCase(Locale.ROOT);
      case "lower":
        return s.toLowerCase(Locale.ROOT);
      case "title":
        return title(s);
      case "capitalize":
        return s.isEmpty()
            ? s
            : Character.toUpperCase(s.charAt(0)) + s.substring(1).toLowerCase(Locale.ROOT);
      case "replace":
        return replace(
            s,
            String.valueOf(args[0]),
            String.valueOf(args[1]),
            args.length > 2 ? toInt(args[2]) : -1);
      case "find":
        return (long) s.indexOf(String.valueOf(args[0]));
      case "count":
        return count(s, String.valueOf(args[0]));
      case "join":
        return join(s, args[0]);
      case "isspace":
        return !s.isEmpty() && s.chars().allMatch(c -> isSpace((char) c));
      default:
        throw new IllegalArgumentException("str has no method " + name);
    }
  }

  static final Set<String> METHODS =
      Set.of(
          "startswith",
          "endswith",
          "strip",
          "lstrip",
          "rstrip",
          "split",
          "upper",
          "lower",
          "title",
          "capitalize",
          "replace",
          "find",
          "count",
          "join",
          "isspace");

  private static boolean affix(String s, Object[] args, boolean prefix) {
    Object what = args[0];
    Collection<?> options = what instanceof Collection ? (Collection<?>) what : List.of(what);
    for (Object option : options) {
      String text = String.valueOf(option);
      if (prefix ? s.startsWith(text) : s.endsWith(text)) {
        return true;
      }
    }
    return false;
  }

  private static String optionalString(Object[] args, int i) {
    return args == null || args.length <= i || args[i] == null ? null : String.valueOf(args[i]);
  }

  private static int toInt(Object value) {
    return ((Number) value).intValue();
  }

  private static String replace(String s, String old, String with, int count) {
    if (count < 0) {
      return s.replace(old, with);
    }
    StringBuilder out = new StringBuilder();
    int from = 0;
    for (int done = 0; done < count; done++) {
      int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
      if (at < 0) {
        break;
      }
      out.append(s, from, at).append(with);
      from = at + old.length();
      if (old.isEmpty() && from < s.length()) {
        out.append(s.charAt(from));
        from++;
      }
    }
    return out.append(s.substring(Math.min(from, s.length()))).toString();
  }

  private static long count(String s, String part) {
    if (part.isEmpty()) {
      return s.length() + 1L;
    }
    long n = 0;
    for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length())) {
      n++;
    }
    return n;
  }

  private static String join(String separator, Object items) {
    Iterable<?> iterable = items instanceof Iterable ? (Iterable<?>) items : List.of(items);
    StringBuilder out = new StringBuilder();
    Iterator<?> it = iterable.iterator();
    while (it.hasNext()) {
      out.append(it.next());
      if (it.hasNext()) {
        out.append(separator);
      }
    }
    return out.toString();
  }

  /** Resolves Python string method calls before Jinjava's bean resolver sees them. */
  static final class Resolver extends ELResolver {
    @Override
    public Object invoke(
        ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
      if (base instanceof String && method != null && METHODS.contains(method.toString())) {
        Object result =
            PythonStrings.invoke(
                (String) base, method.toString(), params == null ? new Object[0] : params);
        context.setPropertyResolved(true);
        return result;
      }
      return null;
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
      return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
      return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
      return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
      return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
      return null;
    }
  }
}
