package org.seqpack.tokenizer.bpe;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Texts chosen to break a re-implementation of byte-level BPE: every Unicode general category, many
 * scripts, combining marks, emoji sequences with ZWJ and skin tones, mixed white space runs, digit
 * runs of every length in several number systems, apostrophe contractions in every case mix (with
 * {@code ſ} and the Kelvin sign), very long words, NUL and control characters, U+FFFD, and the
 * added tokens' strings. Deterministic.
 */
public final class AdversarialCorpus {
  private AdversarialCorpus() {}

  static final String[] WORDS = {
    "Hello",
    "world",
    "café",
    "naïve",
    "Ελληνικά",
    "русский",
    "ქართული",
    "Հայերեն",
    "हिन्दी",
    "भारत",
    "ภาษาไทย",
    "ไม่มี",
    "العربية",
    "البرلمان",
    "עברית",
    "欧洲议会",
    "日本語のテキスト",
    "カタカナ",
    "한국어",
    "텍스트도",
    "ግዕዝ",
    "தமிழ்",
    "বাংলা",
    "ಕನ್ನಡ",
    "ᏣᎳᎩ",
    "ᚠᚢᚦ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "𝐁𝐨𝐥𝐝",
    "𓂀𓃀",
    "𠜎𠜱",
    "Ǆemal",
    "ǅ",
    "ß",
    "İstanbul",
    "ﬁnance",
    "Ørsted",
    "Türkçe",
    "Ǳ",
    "Ａｂｃ"
  };

  static final String[] CONTRACTION_TAILS = {
    "s", "S", "ſ", "t", "T", "re", "RE", "rE", "Re", "ve", "VE", "vE", "Ve", "m", "M", "ll", "LL",
    "lL", "Ll", "d", "D", "K", "K", "k", "'", "", "x", "ſt", "ﬅ"
  };

  static final String[] EMOJI = {
    "👋🏽",
    "👍🏿",
    "👩🏻‍💻",
    "👨‍👩‍👧‍👦",
    "🇪🇺",
    "🇯🇵",
    "❤️",
    "😀",
    "🏳️‍🌈",
    "🧑🏾‍🤝‍🧑🏻",
    "☺",
    "✌🏼",
    "#️⃣",
    "1️⃣"
  };

  static final String[] DIGITS = {
    "0123456789",
    "٠١٢٣٤٥٦٧٨٩",
    "０１２３４５６７８９",
    "०१२३४५६७८९",
    "〇一二三",
    "²³¹⁴",
    "ⅫⅣⅸ",
    "½¾⅓",
    "①②③",
    "𝟘𝟙𝟚",
    "๐๑๒"
  };

  static final String[] MARKS = {
    "\u0301", "\u0300", "\u0302", "\u0308", "\u0323", "\u030a", "\u0327", "\u093c", "\u0e31",
    "\u05b8", "\u064b", "\u20dd", "\ufe0f", "\u200d", "\u1ab0", "\u1dc0"
  };

  static final String[] WHITE = {
    " ", " ", " ", "\u00a0", "\u3000", "\t", "\r", "\n", "\r\n", "\u2028", "\u2029", "\u2009",
    "\u202f", "\u205f", "\u1680", "\u000b", "\u000c", "\u0085", "\u200b", "\ufeff"
  };

  static final String[] SYMBOLS = {
    "!",
    "!!!",
    "...",
    "…",
    "«",
    "»",
    "—",
    "–",
    "©",
    "®",
    "™",
    "€",
    "$",
    "¥",
    "%",
    "&",
    "@",
    "#",
    "\"",
    "'",
    "’",
    "‘",
    "“",
    "”",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "/",
    "\\",
    "|",
    "_",
    "-",
    "+",
    "=",
    "^",
    "~",
    "`",
    "*",
    "§",
    "¶",
    "•",
    "°",
    "\ufffd",
    "<|endoftext|>",
    "<|begin_of_text|>",
    "<|im_start|>",
    "<think>",
    "</think>",
    "<tool_call>",
    "<|fim_prefix|>"
  };

  static final String[] CONTROLS = {
    "\u0000",
    "\u0001",
    "\u0007",
    "\u001b",
    "\u001f",
    "\u007f",
    "\u0080",
    "\u009f",
    "\u200e",
    "\u200f",
    "\u2066",
    "\u00ad",
    "\ue000",
    "\udb80\udc00"
  };

  /** Up to 40 code points of each general category (Java's numbering), spread over the range. */
  static final List<List<String>> CATEGORIES = categories();

  private static List<List<String>> categories() {
    List<List<String>> byType = new ArrayList<>();
    for (int t = 0; t <= 30; t++) {
      byType.add(new ArrayList<>());
    }
    for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp += 1 + (cp % 7)) {
      int type = Character.getType(cp);
      if (type == Character.SURROGATE) {
        continue; // a lone surrogate: JSON input could carry one, text input cannot
      }
      List<String> list = byType.get(type);
      if (list.size() < 40) {
        list.add(new String(Character.toChars(cp)));
      }
    }
    byType.removeIf(List::isEmpty);
    return byType;
  }

  private static String pick(Random random, String[] from) {
    return from[random.nextInt(from.length)];
  }

  /** One random piece: a word, a contraction, digits, white space, an emoji, a symbol, ... */
  static String piece(Random random) {
    switch (random.nextInt(12)) {
      case 0:
        return pick(random, WORDS);
      case 1:
        return " " + pick(random, WORDS);
      case 2:
        return "'"
            + pick(random, CONTRACTION_TAILS)
            + (random.nextBoolean() ? pick(random, WORDS) : "");
      case 3:
        {
          String digits = pick(random, DIGITS);
          StringBuilder run = new StringBuilder();
          int length = 1 + random.nextInt(12);
          for (int i = 0; i < length; i++) {
            run.appendCodePoint(
                digits.codePointAt(
                    digits.offsetByCodePoints(
                        0, random.nextInt(digits.codePointCount(0, digits.length())))));
          }
          return run.toString();
        }
      case 4:
        {
          StringBuilder white = new StringBuilder();
          int length = 1 + random.nextInt(5);
          for (int i = 0; i < length; i++) {
            white.append(pick(random, WHITE));
          }
          return white.toString();
        }
      case 5:
        return pick(random, EMOJI);
      case 6:
        return pick(random, SYMBOLS);
      case 7:
        return pick(random, WORDS).substring(0, 1)
            + pick(random, MARKS)
            + (random.nextBoolean() ? pick(random, MARKS) : "");
      case 8:
        {
          List<String> category = CATEGORIES.get(random.nextInt(CATEGORIES.size()));
          return category.get(random.nextInt(category.size()));
        }
      case 9:
        return pick(random, CONTROLS);
      case 10:
        return random.nextBoolean() ? " the" : " of";
      default:
        return random.nextInt(8) == 0 ? pick(random, WORDS).repeat(5 + random.nextInt(60)) : ",";
    }
  }

  /** The corpus: fixed edge cases, every category's code points, then random mixtures. */
  public static List<String> texts() {
    List<String> texts = new ArrayList<>();
    texts.add("");
    texts.add(" ");
    texts.add("   three leading and trailing   ");
    texts.add("a".repeat(3000));
    texts.add("Donaudampfschifffahrtsgesellschaftskapitän".repeat(40));
    texts.add("9".repeat(301));
    texts.add(" 1234567 12 1 123456789012");
    texts.add(
        "I'm, you're, he's, we've, they'll, I'd, it's; I'M, YOU'RE, HE'S, WE'VE, THEY'LL, I'D");
    texts.add("'ſ 'ſt 'K 'Ve 'vE 'lL 'Ll 'rE");
    texts.add("line one\nline two\n\n\nline five\r\n\r\n  \n\t\n");
    texts.add("tabs\tand\t\tmore\t \t \u00a0\u3000 done");
    texts.add("\u0000nul\u0000 and \u0007bell\u001b[0m");
    texts.add("replacement \ufffd\ufffd character");
    for (String word : WORDS) {
      texts.add(word + " " + word.toUpperCase() + ", " + word + "'s " + word + "\n");
    }
    for (List<String> category : CATEGORIES) {
      texts.add(String.join("", category));
      texts.add(String.join(" ", category));
      texts.add("a" + String.join("b", category) + "1");
    }
    for (String emoji : EMOJI) {
      texts.add("x" + emoji + " " + emoji + emoji + "y");
    }
    for (String tail : CONTRACTION_TAILS) {
      texts.add("word'" + tail + " '" + tail + "word '" + tail);
    }
    for (String white : WHITE) {
      texts.add("a" + white + "b" + white + white + "c " + white + "d" + white);
    }
    for (String symbol : SYMBOLS) {
      texts.add("a" + symbol + "b " + symbol + symbol + " c" + symbol + "\n" + symbol);
    }
    Random random = new Random(20261206);
    for (int t = 0; t < 1500; t++) {
      StringBuilder text = new StringBuilder();
      int pieces = 1 + random.nextInt(30);
      for (int p = 0; p < pieces; p++) {
        text.append(piece(random));
      }
      texts.add(text.toString());
    }
    return texts;
  }
}
