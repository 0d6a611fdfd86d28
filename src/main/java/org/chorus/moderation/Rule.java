package org.chorus.moderation;

import java.util.Locale;
import java.util.regex.Pattern;

/** One line of a rules file, checked and compiled. */
public record Rule(String id, Category category, String language, Severity severity, Action action, Match match,
                   String text, String reason, String source, Pattern pattern) {

  public enum Category {
    PII, CONTACT, SEXUAL, INSULT, PROFANITY, DISCLOSURE, ALLOW;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Categories checked in every language: a child may write in any language, and these must not slip through. */
    boolean everyLanguage() {
      return this != INSULT && this != PROFANITY;
    }
  }

  public enum Severity { LOW, MEDIUM, HIGH, CRITICAL;
    public String wire() { return name().toLowerCase(Locale.ROOT); }
  }

  /**
   * Ordered by strength: when several rules fire the strongest wins. {@code DISMISS} is no verdict of its own: it
   * withdraws the findings of its own category that lie wholly inside its match (a story of past harm that is over,
   * safety advice that quotes a grooming phrase).
   */
  public enum Action { DISMISS, ALLOW, MASK, REDACT, HOLD, ALERT;
    public String wire() { return name().toLowerCase(Locale.ROOT); }
  }

  /**
   * {@code list} lines only name a word list (used by {@code near} rules, they never fire themselves); {@code near}
   * rules fire when a word of one list stands close to a word of another (see {@link NearRule}).
   */
  public enum Match { WORDS, REGEX, NEAR, LIST }

  /** "all" rules apply to every message; a language's rules to messages in it (or every message for some categories). */
  boolean appliesTo(String messageLanguage) {
    return messageLanguage == null || language.equals("all") || language.equals(messageLanguage) || category.everyLanguage();
  }

  /** The script a language's rules are written in; null for "all". A rule is skipped for text without it. */
  Character.UnicodeScript script() {
    return scriptOf(language);
  }

  /** The script a language is written in (Latin when not listed); null for "all". */
  static Character.UnicodeScript scriptOf(String language) {
    return switch (language) {
      case "all" -> null;
      case "ar", "fa", "ur" -> Character.UnicodeScript.ARABIC;
      case "ru", "uk", "bg", "sr", "kk" -> Character.UnicodeScript.CYRILLIC;
      case "zh", "ja" -> Character.UnicodeScript.HAN;
      case "hi", "mr", "ne" -> Character.UnicodeScript.DEVANAGARI;
      case "bn" -> Character.UnicodeScript.BENGALI;
      case "el" -> Character.UnicodeScript.GREEK;
      case "th" -> Character.UnicodeScript.THAI;
      case "ko" -> Character.UnicodeScript.HANGUL;
      default -> Character.UnicodeScript.LATIN;
    };
  }
}
