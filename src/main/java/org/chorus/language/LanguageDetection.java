package org.chorus.language;

import com.github.pemistahl.lingua.api.IsoCode639_1;
import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Lingua restricted to the languages a consultation expects. Restricting it is what makes it both
 * accurate on short messages and small (every language Lingua knows would need ~1.5 GB of models and
 * guess worse). Building loads the n-gram models and takes a second or more: call it off the event loop.
 * Plain class, thread-safe once built (the models are read-only), usable without Vert.x.
 */
public final class LanguageDetection {
  public enum Accuracy { HIGH, LOW }

  /** {@code minimumRelativeDistance}: how far ahead of the runner-up the best language must be (0 to 0.99). */
  public record Settings(List<String> languages, Accuracy accuracy, double minimumRelativeDistance, int minimumLetters) {
    public Settings {
      languages = List.copyOf(languages);
    }
  }

  // Redaction labels such as [phone] are English words the child did not write.
  private static final Pattern REDACTION_LABEL = Pattern.compile("\\[[a-z_]{2,20}\\]");
  static final int SAMPLE_CHARS = 160;
  private static final Map<Settings, LanguageDetection> BUILT = new ConcurrentHashMap<>();

  private final Settings settings;
  private final LanguageDetector detector;

  private LanguageDetection(Settings settings, LanguageDetector detector) {
    this.settings = settings;
    this.detector = detector;
  }

  /**
   * Builds (or reuses, for the same settings in the same process) a detector with its models loaded.
   * Blocking. Several servers in one JVM (the tests) share one: the models are immutable.
   */
  public static LanguageDetection build(Settings settings) {
    return BUILT.computeIfAbsent(settings, LanguageDetection::create);
  }

  private static LanguageDetection create(Settings settings) {
    List<String> unknown = unsupported(settings.languages());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Lingua cannot detect " + unknown);
    }
    Language[] languages = settings.languages().stream().map(c -> language(c).orElseThrow()).toArray(Language[]::new);
    LanguageDetectorBuilder builder = LanguageDetectorBuilder.fromLanguages(languages)
        .withMinimumRelativeDistance(settings.minimumRelativeDistance())
        .withPreloadedLanguageModels();
    if (settings.accuracy() == Accuracy.LOW) {
      builder = builder.withLowAccuracyMode();
    }
    return new LanguageDetection(settings, builder.build());
  }

  /** The codes of {@code codes} that Lingua does not know (empty when all are fine). */
  public static List<String> unsupported(List<String> codes) {
    List<String> out = new ArrayList<>();
    for (String code : codes) {
      if (language(code).isEmpty()) {
        out.add(code);
      }
    }
    return out;
  }

  private static Optional<Language> language(String code) {
    if (code == null || !code.matches("[a-z]{2}")) {
      return Optional.empty();
    }
    try {
      Language found = Language.getByIsoCode639_1(IsoCode639_1.valueOf(code.toUpperCase(Locale.ROOT)));
      return found == Language.UNKNOWN ? Optional.empty() : Optional.of(found);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  public Settings settings() {
    return settings;
  }

  /** ISO 639-1 code of the language of {@code text}, or {@code und} when it is too short or too close to call. */
  public String detect(String text) {
    String content = sample(REDACTION_LABEL.matcher(text).replaceAll(" "));
    if (letterWeight(content) < settings.minimumLetters()) {
      return LanguageTag.UNDETERMINED;
    }
    Language found = detector.detectLanguageOf(content);
    return found == Language.UNKNOWN ? LanguageTag.UNDETERMINED : found.getIsoCode639_1().toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The first {@value #SAMPLE_CHARS} characters, cut at a space: Lingua's cost grows with the text, its
   * accuracy stops growing long before, so a 1,000-character contribution costs what a short one does.
   */
  static String sample(String text) {
    if (text.length() <= SAMPLE_CHARS) {
      return text;
    }
    int cut = text.lastIndexOf(' ', SAMPLE_CHARS);
    return text.substring(0, cut > SAMPLE_CHARS / 2 ? cut : SAMPLE_CHARS);
  }

  /** The detected language combined with the child's chosen one (used when detection is unsure). */
  public LanguageTag tag(String text, String chosenLanguage) {
    return LanguageTag.of(detect(text), chosenLanguage);
  }

  /**
   * Letters, with one Han, kana or Hangul character counted as two: "谢谢" says as much about its
   * language as "merci", while "ok" or "lol" say nothing.
   */
  static int letterWeight(String text) {
    int weight = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (!Character.isLetter(cp)) {
        continue;
      }
      Character.UnicodeScript script = Character.UnicodeScript.of(cp);
      boolean ideographic = script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
          || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.HANGUL;
      weight += ideographic ? 2 : 1;
    }
    return weight;
  }
}
