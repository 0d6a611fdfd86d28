package org.chorus.report;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Suggested themes: the meaningful words and two-word phrases that most contributions of one group (a
 * prompt in one language) share. Counts each term once per contribution; stop words, numbers, redaction
 * labels and one-letter tokens are left out. Chinese (no spaces) is read as overlapping two-character
 * words, dropping those that hold a one-character stop word. Plain class, no external service.
 */
public final class KeywordSuggester {
  public record Term(String term, int contributions) {}

  private final Map<String, Map<String, Integer>> words = new LinkedHashMap<>();
  private final Map<String, Map<String, Integer>> phrases = new LinkedHashMap<>();

  /** Adds one contribution to {@code group} (e.g. a prompt id); {@code language} picks the stop words. */
  public void add(String group, String language, String text) {
    Set<String> stop = StopWords.of(language);
    Set<String> seenWords = new HashSet<>();
    Set<String> seenPhrases = new HashSet<>();
    String previous = null;
    for (String token : tokens(text)) {
      if (token == null) {
        previous = null; // a break: punctuation, a stop word, a label
        continue;
      }
      if (isHan(token.codePointAt(0))) {
        previous = null;
        for (String bigram : hanWords(token, stop)) {
          seenWords.add(bigram);
        }
        continue;
      }
      if (stop.contains(token) || token.codePointCount(0, token.length()) < 2) {
        previous = null;
        continue;
      }
      seenWords.add(token);
      if (previous != null) {
        seenPhrases.add(previous + " " + token);
      }
      previous = token;
    }
    Map<String, Integer> w = words.computeIfAbsent(group, g -> new HashMap<>());
    seenWords.forEach(t -> w.merge(t, 1, Integer::sum));
    Map<String, Integer> p = phrases.computeIfAbsent(group, g -> new HashMap<>());
    seenPhrases.forEach(t -> p.merge(t, 1, Integer::sum));
  }

  /** The {@code limit} most shared words of a group that at least {@code minContributions} contributions use. */
  public List<Term> topWords(String group, int limit, int minContributions) {
    return top(words.getOrDefault(group, Map.of()), limit, minContributions);
  }

  public List<Term> topPhrases(String group, int limit, int minContributions) {
    return top(phrases.getOrDefault(group, Map.of()), limit, minContributions);
  }

  private static List<Term> top(Map<String, Integer> counts, int limit, int min) {
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= min)
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(limit)
        .map(e -> new Term(e.getKey(), e.getValue()))
        .toList();
  }

  /** Lower case, NFKC, Arabic diacritics and tatweel removed, curly apostrophes straightened. */
  static String normalise(String s) {
    String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('’', '\'');
    StringBuilder out = new StringBuilder(n.length());
    n.codePoints().filter(cp -> !(cp >= 0x064B && cp <= 0x0652) && cp != 0x0640).forEach(out::appendCodePoint);
    return out.toString();
  }

  /**
   * Words in order, with null where a phrase may not continue (punctuation, a number, a redaction label).
   * Letters and inner apostrophes make words; a run of Han characters is one token for {@link #hanWords}.
   */
  static List<String> tokens(String text) {
    String s = normalise(text).replaceAll("\\[[a-z_]{2,20}\\]", " . ");
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean han = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      boolean letter = Character.isLetter(cp) || Character.getType(cp) == Character.NON_SPACING_MARK
          || Character.getType(cp) == Character.COMBINING_SPACING_MARK;
      boolean apostrophe = cp == '\'' && word.length() > 0 && i < s.length() && Character.isLetter(s.codePointAt(i));
      if ((letter && !word.isEmpty() && isHan(cp) != han) || !(letter || apostrophe)) {
        flush(out, word);
        if (!letter && !apostrophe && !Character.isWhitespace(cp)) {
          out.add(null);
        }
        if (!letter && !apostrophe) {
          continue;
        }
      }
      if (word.isEmpty()) {
        han = isHan(cp);
      }
      word.appendCodePoint(cp);
    }
    flush(out, word);
    return out;
  }

  private static void flush(List<String> out, StringBuilder word) {
    if (!word.isEmpty()) {
      out.add(word.toString());
      word.setLength(0);
    }
  }

  private static List<String> hanWords(String run, Set<String> stop) {
    int[] cps = run.codePoints().toArray();
    List<String> out = new ArrayList<>();
    for (int i = 0; i + 1 < cps.length; i++) {
      String a = new String(cps, i, 1);
      String b = new String(cps, i + 1, 1);
      String bigram = a + b;
      if (!stop.contains(a) && !stop.contains(b) && !stop.contains(bigram)) {
        out.add(bigram);
      }
    }
    return out;
  }

  static boolean isHan(int cp) {
    return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
  }
}
