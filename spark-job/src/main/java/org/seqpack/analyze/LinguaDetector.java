package org.seqpack.analyze;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.github.pemistahl.lingua.internal.Alphabet;
import com.github.pemistahl.lingua.internal.Constant;
import com.github.pemistahl.lingua.internal.TestDataLanguageModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Language identification by Lingua (com.github.pemistahl:lingua), restricted to {@link #LANGUAGES}
 * and in its low-accuracy mode (trigram models only), on the first {@link #MAX_CHARS} characters of
 * a text. Both bound the memory and time per executor: fewer models are loaded, and only trigrams
 * (high-accuracy mode adds the 4- and 5-gram models: for English 3.2 MB of JSON in the jar against
 * 0.22 MB of trigrams). Lingua says its low-accuracy mode loses accuracy on short texts (below
 * about 120 characters), not on documents. One detector per JVM ({@link #shared()}); thread-safe.
 *
 * <p>{@link #detect} runs Lingua's own {@code detectLanguageOf} steps with two memos: each
 * trigram's 30 log-probability terms and each word's rule results, both computed by Lingua on first
 * sight. Lingua itself looks every trigram up in 3 × 30 String-keyed maps behind a lock per lookup,
 * which was more than half of analyze's CPU (18.1 s against 4.2 s for Europarl's documents on one
 * thread). The memos call Lingua's Kotlin-internal members, so they are tied to 1.2.2: {@code
 * LinguaFastPathTest} holds them to Lingua's own answer on every text it tries.
 */
public final class LinguaDetector implements LanguageDetector {
  /**
   * The 21 languages of Europarl (the EU's official languages of 2004–2007 that Lingua knows:
   * Bulgarian, Czech, Danish, German, Greek, English, Spanish, Estonian, Finnish, French,
   * Hungarian, Italian, Lithuanian, Latvian, Dutch, Polish, Portuguese, Romanian, Slovak, Slovene,
   * Swedish), two close to them (Catalan, Croatian) so that their text is not forced into a
   * neighbour, and seven large languages of other scripts (Russian, Chinese, Japanese, Korean,
   * Arabic, Turkish, Hindi).
   */
  public static final List<Language> LANGUAGES =
      List.of(
          Language.BULGARIAN,
          Language.CZECH,
          Language.DANISH,
          Language.GERMAN,
          Language.GREEK,
          Language.ENGLISH,
          Language.SPANISH,
          Language.ESTONIAN,
          Language.FINNISH,
          Language.FRENCH,
          Language.HUNGARIAN,
          Language.ITALIAN,
          Language.LITHUANIAN,
          Language.LATVIAN,
          Language.DUTCH,
          Language.POLISH,
          Language.PORTUGUESE,
          Language.ROMANIAN,
          Language.SLOVAK,
          Language.SLOVENE,
          Language.SWEDISH,
          Language.CATALAN,
          Language.CROATIAN,
          Language.RUSSIAN,
          Language.CHINESE,
          Language.JAPANESE,
          Language.KOREAN,
          Language.ARABIC,
          Language.TURKISH,
          Language.HINDI);

  /**
   * Characters of a text the detector reads, at most. Lingua's time grows with the text and is
   * analyze's largest cost: on full Europarl (one thread) 22.9 s for the first 400 characters, 14.9
   * s for 200, 9.2 s for 120; 200 gave 400's language for 99.9 % of the documents and scores the
   * labelled sample the same (337 of 341), 120 only 326.
   */
  public static final int MAX_CHARS = 200;

  private static volatile LinguaDetector shared;

  private final com.github.pemistahl.lingua.api.LanguageDetector detector;

  /**
   * Per trigram of a text, what it adds to each language's log-probability sum in Lingua's
   * low-accuracy mode (index as in {@link #LANGUAGES}): ln of the first positive probability among
   * the trigram, its bigram prefix and its unigram prefix, or 0 when none is. Computed by Lingua
   * itself on first sight of a trigram ({@link #terms}), so the sums below are Lingua's, bit for
   * bit; Lingua instead looks each trigram up again in up to 3 × 30 hash maps of String keys per
   * document, behind a lock per lookup, which was most of analyze's time.
   */
  private final ConcurrentHashMap<String, float[]> trigramTerms = new ConcurrentHashMap<>();

  /** Trigrams remembered at most (Europarl's first 200 characters hold 27,000 distinct ones). */
  static final int MAX_CACHED_TRIGRAMS = 1 << 18;

  /** Lingua's Constant.NO_LETTER (a Kotlin Regex over this java.util.regex pattern). */
  private static final Pattern NO_LETTER = Pattern.compile("^[^\\p{L}]+$");

  /** {@link Language#ordinal()} to the index in {@link #LANGUAGES}, or -1. */
  private static final int[] INDEX = new int[Language.values().length];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < LANGUAGES.size(); i++) {
      INDEX[LANGUAGES.get(i).ordinal()] = i;
    }
  }

  /**
   * What Lingua's two rule passes make of one word (they treat each word alone, then count): the
   * word's vote in {@code detectLanguageWithRules}, the first alphabet it matches wholly (or null)
   * and, per entry of {@code CHARS_TO_LANGUAGES_MAPPING}, how many of the entry's characters it
   * holds. Remembered per word ({@link #words}).
   */
  private record WordRules(Language vote, Alphabet alphabet, int[] mappingHits) {}

  private final ConcurrentHashMap<String, WordRules> words = new ConcurrentHashMap<>();

  /** Words remembered at most. */
  static final int MAX_CACHED_WORDS = 1 << 18;

  private final String[] mappingChars;
  private final List<Set<Language>> mappingLanguages;
  private final Set<Language> languages;

  private LinguaDetector() {
    detector =
        LanguageDetectorBuilder.fromLanguages(LANGUAGES.toArray(new Language[0]))
            .withLowAccuracyMode()
            .build();
    Map<String, EnumSet<Language>> mapping = Constant.INSTANCE.getCHARS_TO_LANGUAGES_MAPPING();
    mappingChars = mapping.keySet().toArray(new String[0]);
    mappingLanguages = new ArrayList<>();
    for (String chars : mappingChars) {
      mappingLanguages.add(mapping.get(chars));
    }
    languages = detector.getLanguages$lingua();
  }

  /** The JVM's detector, built on first use. */
  public static LinguaDetector shared() {
    LinguaDetector detector = shared;
    if (detector == null) {
      synchronized (LinguaDetector.class) {
        detector = shared;
        if (detector == null) {
          detector = new LinguaDetector();
          shared = detector;
        }
      }
    }
    return detector;
  }

  /**
   * Loads Lingua's models (trigrams, bigrams and unigrams of every language) on a daemon thread, so
   * that the first tasks of this JVM find them loaded: for a local-mode run, where the driver,
   * single-threaded until its Spark session runs tasks, is also the executor.
   */
  public static void preloadInBackground() {
    Thread thread =
        new Thread(
            () -> {
              // A trigram no model holds: Lingua looks up (and so loads) all three orders.
              shared().terms("\ua66e\ua66e\ua66e");
            },
            "lingua-preload");
    thread.setDaemon(true);
    thread.start();
  }

  /** The ISO 639-1 codes of {@link #LANGUAGES}. */
  public static List<String> codes() {
    return LANGUAGES.stream().map(LinguaDetector::code).toList();
  }

  @Override
  public String detect(String text) {
    String head = text;
    if (text.length() > MAX_CHARS) {
      int end = MAX_CHARS;
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      head = text.substring(0, end);
    }
    Language language = detectLanguageOf(head);
    return language == Language.UNKNOWN ? UNKNOWN : code(language);
  }

  /**
   * Lingua 1.2.2's {@code detectLanguageOf} in low-accuracy mode (minimum relative distance 0),
   * step for step, with its rule-based steps called as they are and only the trigram scoring
   * computed from {@link #trigramTerms}: the same ngram set, iterated in the same order, and the
   * same float additions per language, so the same language for every text.
   */
  Language detectLanguageOf(String text) {
    String cleaned = detector.cleanUpInputText$lingua(text);
    if (cleaned.isEmpty() || NO_LETTER.matcher(cleaned).matches()) {
      return Language.UNKNOWN;
    }
    List<String> split = detector.splitTextIntoWords$lingua(cleaned);
    WordRules[] rules = new WordRules[split.size()];
    for (int w = 0; w < rules.length; w++) {
      rules[w] = rules(split.get(w));
    }
    Language byRules = detectLanguageWithRules(rules);
    if (byRules != Language.UNKNOWN) {
      return byRules;
    }
    Set<Language> filtered = filterLanguagesByRules(rules);
    if (filtered.size() == 1) {
      return filtered.iterator().next();
    }
    if (cleaned.length() < 3) {
      return Language.UNKNOWN;
    }
    Language[] candidates = filtered.toArray(new Language[0]);
    int[] index = new int[candidates.length];
    for (int c = 0; c < candidates.length; c++) {
      index[c] = INDEX[candidates[c].ordinal()];
      if (index[c] < 0) {
        // Not one of ours (cannot happen: Lingua filters its own languages): ask Lingua.
        return detector.detectLanguageOf(text);
      }
    }
    TestDataLanguageModel model = TestDataLanguageModel.Companion.fromText(cleaned, 3);
    float[] sums = new float[candidates.length];
    for (Object ngram : model.getNgrams()) {
      float[] terms = terms(ngram.toString());
      for (int c = 0; c < candidates.length; c++) {
        sums[c] += terms[index[c]];
      }
    }
    // computeLanguageProbabilities keeps sums < 0, sumUpProbabilities drops 0: the same here.
    float highest = 0;
    boolean any = false;
    for (float sum : sums) {
      if (sum < 0 && (!any || sum > highest)) {
        highest = sum;
        any = true;
      }
    }
    if (!any) {
      return Language.UNKNOWN;
    }
    // Confidence (highest / sum, in float, as a double); sorted by it descending, then by language.
    Language best = null;
    double bestValue = 0;
    Language second = null;
    double secondValue = 0;
    for (int c = 0; c < candidates.length; c++) {
      if (!(sums[c] < 0)) {
        continue;
      }
      double value = (double) (highest / sums[c]);
      Language language = candidates[c];
      if (best == null || before(value, language, bestValue, best)) {
        second = best;
        secondValue = bestValue;
        best = language;
        bestValue = value;
      } else if (second == null || before(value, language, secondValue, second)) {
        second = language;
        secondValue = value;
      }
    }
    if (second == null) {
      return best;
    }
    return bestValue == secondValue ? Language.UNKNOWN : best;
  }

  /** Lingua's own {@code detectLanguageOf}, which {@link #detectLanguageOf} must equal (tests). */
  Language detectByLingua(String text) {
    return detector.detectLanguageOf(text);
  }

  /** One word's rule results, from Lingua's own passes over the word alone on first sight. */
  private WordRules rules(String word) {
    WordRules known = words.get(word);
    if (known != null) {
      return known;
    }
    // detectLanguageWithRules of one word returns that word's vote (UNKNOWN included).
    Language vote = detector.detectLanguageWithRules$lingua(List.of(word));
    Alphabet alphabet = null;
    for (Alphabet candidate : Alphabet.values()) {
      if (candidate.matches(word)) {
        alphabet = candidate;
        break;
      }
    }
    int[] hits = null;
    for (int e = 0; e < mappingChars.length; e++) {
      String chars = mappingChars[e];
      for (int c = 0; c < chars.length(); c++) {
        if (word.indexOf(chars.charAt(c)) >= 0) {
          if (hits == null) {
            hits = new int[mappingChars.length];
          }
          hits[e]++;
        }
      }
    }
    WordRules made = new WordRules(vote, alphabet, hits);
    if (words.size() < MAX_CACHED_WORDS) {
      words.putIfAbsent(word, made);
    }
    return made;
  }

  /** Lingua's detectLanguageWithRules from the words' votes: the same counts and decisions. */
  private static Language detectLanguageWithRules(WordRules[] rules) {
    int[] counts = new int[Language.values().length];
    for (WordRules word : rules) {
      counts[word.vote().ordinal()]++;
    }
    int unknown = Language.UNKNOWN.ordinal();
    if (counts[unknown] < 0.5 * rules.length) {
      counts[unknown] = 0;
    }
    int keys = 0;
    int best = -1;
    boolean tie = false;
    for (int l = 0; l < counts.length; l++) {
      if (counts[l] == 0) {
        continue;
      }
      keys++;
      if (best < 0 || counts[l] > counts[best]) {
        best = l;
        tie = false;
      } else if (counts[l] == counts[best]) {
        tie = true;
      }
    }
    if (keys == 0) {
      return Language.UNKNOWN;
    }
    Language[] all = Language.values();
    if (keys == 1) {
      return all[best];
    }
    if (keys == 2
        && counts[Language.CHINESE.ordinal()] > 0
        && counts[Language.JAPANESE.ordinal()] > 0) {
      return Language.JAPANESE;
    }
    return tie ? Language.UNKNOWN : all[best];
  }

  /** Lingua's filterLanguagesByRules from the words' alphabets and character hits. */
  private Set<Language> filterLanguagesByRules(WordRules[] rules) {
    Map<Alphabet, Integer> detected = new LinkedHashMap<>();
    for (WordRules word : rules) {
      if (word.alphabet() != null) {
        detected.merge(word.alphabet(), 1, Integer::sum);
      }
    }
    if (detected.isEmpty()) {
      return languages;
    }
    if (detected.size() > 1 && new java.util.HashSet<>(detected.values()).size() == 1) {
      return languages;
    }
    // maxByOrNull: the first alphabet with the highest count, in order of first appearance.
    Alphabet most = null;
    int mostCount = -1;
    for (Map.Entry<Alphabet, Integer> entry : detected.entrySet()) {
      if (entry.getValue() > mostCount) {
        most = entry.getKey();
        mostCount = entry.getValue();
      }
    }
    Set<Language> filtered = new LinkedHashSet<>();
    for (Language language : languages) {
      if (language.getAlphabets$lingua().contains(most)) {
        filtered.add(language);
      }
    }
    int[] counts = new int[Language.values().length];
    boolean[] counted = new boolean[counts.length];
    for (int e = 0; e < mappingChars.length; e++) {
      int hits = 0;
      for (WordRules word : rules) {
        if (word.mappingHits() != null) {
          hits += word.mappingHits()[e];
        }
      }
      if (hits == 0) {
        continue;
      }
      for (Language language : mappingLanguages.get(e)) {
        if (filtered.contains(language)) {
          counts[language.ordinal()] += hits;
          counted[language.ordinal()] = true;
        }
      }
    }
    Set<Language> subset = new LinkedHashSet<>();
    Language[] all = Language.values();
    for (int l = 0; l < counts.length; l++) {
      if (counted[l] && counts[l] >= rules.length / 2.0) {
        subset.add(all[l]);
      }
    }
    return subset.isEmpty() ? filtered : subset;
  }

  /** Lingua's order of confidence values: higher value first, then the smaller language. */
  private static boolean before(
      double value, Language language, double other, Language otherLanguage) {
    int byValue = Double.compare(other, value);
    return byValue != 0 ? byValue < 0 : language.compareTo(otherLanguage) < 0;
  }

  /** The terms of one trigram, from Lingua's own lookup on first sight. */
  private float[] terms(String trigram) {
    float[] terms = trigramTerms.get(trigram);
    if (terms != null) {
      return terms;
    }
    // A one-trigram test model: Lingua's sum over it is exactly this trigram's term (0 + x = x).
    Set<?> single = TestDataLanguageModel.Companion.fromText(trigram, 3).getNgrams();
    terms = new float[LANGUAGES.size()];
    for (int i = 0; i < terms.length; i++) {
      @SuppressWarnings("unchecked")
      Set<com.github.pemistahl.lingua.internal.Ngram> ngrams =
          (Set<com.github.pemistahl.lingua.internal.Ngram>) single;
      terms[i] = detector.computeSumOfNgramProbabilities$lingua(LANGUAGES.get(i), ngrams);
    }
    if (trigramTerms.size() < MAX_CACHED_TRIGRAMS) {
      trigramTerms.putIfAbsent(trigram, terms);
    }
    return terms;
  }

  static String code(Language language) {
    return language.getIsoCode639_1().name().toLowerCase(Locale.ROOT);
  }

  /** How the report names this detector. */
  public static String description() {
    return "Lingua 1.2.2, low-accuracy mode, first "
        + MAX_CHARS
        + " characters, languages "
        + String.join(" ", codes());
  }
}
