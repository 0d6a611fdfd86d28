package org.chorus.moderation;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * Turns what a child typed into what the rules see, keeping for every output character the index of
 * the input character it came from, so that a match can be redacted in the original text.
 *
 * <p>Two levels: {@link #light} (NFKC, lower case, invisible characters dropped, spaces collapsed) for the
 * built-in personal-data detectors, which need '@', '.' and digits; {@link #full} adds what defeats
 * evasion for word rules: apostrophes dropped, look-alike letters mapped to Latin inside mixed-script
 * words, leetspeak undone inside words, spaced or dotted single letters joined, and runs of three or more
 * of the same letter reduced to one.
 */
public final class TextNormalizer {
  /** Text and, for each of its characters, the index in the original text (plus one entry for the end). */
  public record Normalized(String text, int[] origin) {
    /** The original span [start, end) behind normalised [from, to). */
    public int originStart(int from) {
      return origin[from];
    }

    public int originEnd(int to, String original) {
      // the end of the last character used: the next character's origin, or the text's end
      return to < origin.length - 1 ? origin[to] : original.length();
    }
  }

  private static final Map<Character, Character> LEET = Map.of('0', 'o', '1', 'i', '3', 'e', '4', 'a', '5', 's', '7', 't',
      '@', 'a', '$', 's', '!', 'i');
  /** Digits standing for Cyrillic letters inside a Cyrillic word ("пи3дец", "с0сать"). */
  private static final Map<Character, Character> LEET_CYRILLIC = Map.of('3', 'з', '0', 'о', '4', 'ч', '6', 'б', '@', 'а');
  /** Cyrillic and Greek letters that look like Latin ones; applied only inside words that also hold Latin letters. */
  private static final Map<Character, Character> LOOK_ALIKE = Map.ofEntries(
      Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
      Map.entry('х', 'x'), Map.entry('у', 'y'), Map.entry('і', 'i'), Map.entry('ј', 'j'), Map.entry('ѕ', 's'),
      Map.entry('к', 'k'), Map.entry('м', 'm'), Map.entry('т', 't'), Map.entry('в', 'b'), Map.entry('н', 'h'),
      Map.entry('α', 'a'), Map.entry('ο', 'o'), Map.entry('ε', 'e'), Map.entry('ι', 'i'), Map.entry('κ', 'k'),
      Map.entry('ν', 'v'), Map.entry('ρ', 'p'), Map.entry('τ', 't'), Map.entry('υ', 'u'), Map.entry('χ', 'x'));

  /** Latin letters that look like Cyrillic ones, for Cyrillic words with a Latin letter slipped in. */
  private static final Map<Character, Character> LATIN_TO_CYRILLIC = Map.ofEntries(
      Map.entry('a', 'а'), Map.entry('e', 'е'), Map.entry('o', 'о'), Map.entry('p', 'р'), Map.entry('c', 'с'),
      Map.entry('x', 'х'), Map.entry('y', 'у'), Map.entry('k', 'к'), Map.entry('m', 'м'), Map.entry('t', 'т'),
      Map.entry('b', 'в'), Map.entry('h', 'н'), Map.entry('i', 'і'));

  private TextNormalizer() {}

  public static Normalized light(String input) {
    Builder out = new Builder(input.length());
    boolean lastSpace = true;
    for (int i = 0; i < input.length(); ) {
      int cp = input.codePointAt(i);
      int width = Character.charCount(cp);
      if (isInvisible(cp)) {
        i += width;
        continue;
      }
      if (Character.isWhitespace(cp) || Character.isISOControl(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
        if (!lastSpace) {
          out.add(' ', i);
          lastSpace = true;
        }
        i += width;
        continue;
      }
      if (cp < 0x80) {
        // ASCII is already NFKC: the common case, without allocating
        out.add(cp >= 'A' && cp <= 'Z' ? (char) (cp + 32) : (char) cp, i);
        lastSpace = false;
        i += width;
        continue;
      }
      String folded = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
      for (int k = 0; k < folded.length(); k++) {
        char c = folded.charAt(k);
        if (Character.isWhitespace(c)) {
          if (lastSpace) {
            continue;
          }
          c = ' ';
        }
        out.add(c, i);
        lastSpace = c == ' ';
      }
      i += width;
    }
    return out.finish(input.length());
  }

  public static Normalized full(String input) {
    return full(input, false);
  }

  /**
   * As {@link #full(String)}; {@code latinContext} (the child writes a Latin-script language) also maps
   * words written entirely in Cyrillic/Greek look-alike letters ("ѕехо") to Latin — for a Russian or Greek
   * child those are real words and stay.
   */
  public static Normalized full(String input, boolean latinContext) {
    return full(light(input), latinContext);
  }

  /** As {@link #full(String, boolean)} from the input's {@link #light} form, for a caller that needs both. */
  static Normalized full(Normalized light, boolean latinContext) {
    String t = light.text();
    int[] o = light.origin();
    // 1. per word: drop apostrophes, map look-alikes in mixed-script words, undo leetspeak in words with letters
    Builder words = new Builder(t.length());
    int i = 0;
    while (i < t.length()) {
      int end = i;
      while (end < t.length() && t.charAt(end) != ' ') {
        end++;
      }
      appendWord(t, o, i, end, words, latinContext);
      if (end < t.length()) {
        words.add(' ', o[end]);
      }
      i = end + 1;
    }
    return collapseRepeats(joinSpelledOut(words.finish(o[o.length - 1])));
  }

  private static void appendWord(String t, int[] o, int from, int to, Builder out, boolean latinContext) {
    int latin = 0;
    int cyrillicOrGreek = 0;
    boolean hasLetter = false;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (Character.isLetter(c)) {
        hasLetter = true;
        if (c < 0x250) {
          latin++;
        } else if (c >= 0x370 && c < 0x530) {
          cyrillicOrGreek++;
        }
      }
    }
    // A word mixing scripts is written in the script most of its letters use: "pаypal" (one Cyrillic а) is
    // Latin, "cкинь" (one Latin c) is Cyrillic.
    boolean toLatin = latin > 0 && cyrillicOrGreek > 0 && latin >= cyrillicOrGreek
        || latinContext && latin == 0 && cyrillicOrGreek >= 2 && allLookAlike(t, from, to);
    boolean toCyrillic = latin > 0 && cyrillicOrGreek > 0 && latin < cyrillicOrGreek;
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c == '\'' || c == '’' || c == '`' || c == 'ʼ') {
        continue;
      }
      if (toLatin && LOOK_ALIKE.containsKey(c)) {
        c = LOOK_ALIKE.get(c);
      } else if (toCyrillic && LATIN_TO_CYRILLIC.containsKey(c)) {
        c = LATIN_TO_CYRILLIC.get(c);
      } else if (cyrillicOrGreek > latin && LEET_CYRILLIC.containsKey(c) && isInsideWord(t, from, to, k)) {
        c = LEET_CYRILLIC.get(c);
      } else if (hasLetter && LEET.containsKey(c) && isInsideWord(t, from, to, k)) {
        c = LEET.get(c);
      }
      out.add(c, o[k]);
    }
  }

  private static boolean allLookAlike(String t, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (Character.isLetter(c) && !LOOK_ALIKE.containsKey(c)) {
        return false;
      }
    }
    return true;
  }

  /** A symbol counts as a letter only between word characters ("s3x", "b!tch"), not at an edge ("wow!", "@name"). */
  private static boolean isInsideWord(String t, int from, int to, int k) {
    boolean before = false;
    for (int j = k - 1; j >= from; j--) {
      if (Character.isLetter(t.charAt(j))) {
        before = true;
        break;
      }
    }
    boolean after = false;
    for (int j = k + 1; j < to; j++) {
      if (Character.isLetterOrDigit(t.charAt(j))) {
        after = true;
        break;
      }
    }
    return before && after || (Character.isDigit(t.charAt(k)) && (before || after));
  }

  /** "s e x", "f.u.c.k", "s-e-x": three or more single letters with one separator each are joined. */
  private static Normalized joinSpelledOut(Normalized in) {
    String t = in.text();
    int[] o = in.origin();
    // most messages spell nothing out: they are returned as they are, without a copy
    int i = 0;
    while (i < t.length() && spelledRunEnd(t, i) < 0) {
      i++;
    }
    if (i == t.length()) {
      return in;
    }
    Builder out = new Builder(t.length());
    for (int k = 0; k < i; k++) {
      out.add(t.charAt(k), o[k]);
    }
    while (i < t.length()) {
      int run = spelledRunEnd(t, i);
      if (run > 0) {
        for (int k = i; k < run; k += 2) {
          out.add(t.charAt(k), o[k]);
        }
        i = run; // the separator after the run (a space) is kept by the loop
        continue;
      }
      out.add(t.charAt(i), o[i]);
      i++;
    }
    return out.finish(o[o.length - 1]);
  }

  /** End (exclusive, after the last letter) of a run of ≥3 separated single letters starting at i, or -1. */
  private static int spelledRunEnd(String t, int i) {
    if (i > 0 && Character.isLetterOrDigit(t.charAt(i - 1))) {
      return -1;
    }
    int k = i;
    int letters = 0;
    int end = -1;
    while (k < t.length() && Character.isLetter(t.charAt(k))
        && (k + 1 == t.length() || !Character.isLetterOrDigit(t.charAt(k + 1)))) {
      letters++;
      end = k + 1;
      if (k + 2 < t.length() && isSeparator(t.charAt(k + 1)) && Character.isLetter(t.charAt(k + 2))) {
        k += 2;
      } else {
        break;
      }
    }
    return letters >= 3 ? end : -1;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*';
  }

  /** "stuuupid" → "stupid": three or more of the same letter become one (two stay two: "good"). */
  private static Normalized collapseRepeats(Normalized in) {
    String t = in.text();
    int[] o = in.origin();
    // most messages have no letter three times in a row: returned as they are, without a copy
    boolean any = false;
    for (int k = 2; k < t.length() && !any; k++) {
      char c = t.charAt(k);
      any = c == t.charAt(k - 1) && c == t.charAt(k - 2) && Character.isLetter(c);
    }
    if (!any) {
      return in;
    }
    Builder out = new Builder(t.length());
    int i = 0;
    while (i < t.length()) {
      char c = t.charAt(i);
      int j = i;
      while (j < t.length() && t.charAt(j) == c) {
        j++;
      }
      int keep = Character.isLetter(c) && j - i >= 3 ? 1 : j - i;
      for (int k = 0; k < keep; k++) {
        out.add(c, o[i + k]);
      }
      i = j;
    }
    return out.finish(o[o.length - 1]);
  }

  /**
   * Zero-width, soft hyphen, direction controls and other format characters: invisible, used to split words. Also the
   * emoji variation selector and the keycap mark, so that keycap digits ("1️⃣2️⃣") read as digits.
   */
  static boolean isInvisible(int cp) {
    if (cp < 0x80) {
      return false; // no ASCII character is a format character: skip the Unicode lookup for the common case
    }
    return Character.getType(cp) == Character.FORMAT || cp == 0xFE0F || cp == 0x20E3 || cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x3164
        || isArabicDecoration(cp);
  }

  /** Arabic short-vowel marks (tashkeel) and the stretching tatweel: optional in writing, so dropped before matching. */
  static boolean isArabicDecoration(int cp) {
    return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 || cp == 0x0640;
  }

  /** Normalised text being built, with the original index of each character. */
  private static final class Builder {
    private final StringBuilder text;
    private int[] origin;
    private int size;

    Builder(int capacity) {
      text = new StringBuilder(capacity);
      origin = new int[Math.max(4, capacity + 1)];
    }

    void add(char c, int originIndex) {
      if (size == origin.length) {
        origin = java.util.Arrays.copyOf(origin, size * 2);
      }
      text.append(c);
      origin[size++] = originIndex;
    }

    /** {@code end}: the original index just past the text, for spans that reach the end. */
    Normalized finish(int end) {
      int[] out = java.util.Arrays.copyOf(origin, size + 1);
      out[size] = end;
      return new Normalized(text.toString(), out);
    }
  }
}
