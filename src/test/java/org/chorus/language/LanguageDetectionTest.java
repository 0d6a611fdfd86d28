package org.chorus.language;

import org.chorus.app.ChorusConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The shipped detector configuration on the labelled short messages, and its rules for short and redacted text. */
class LanguageDetectionTest {
  /** Issue floor: messages of four words or more. */
  static final double MIN_LONG_ACCURACY = 0.90;

  static LanguageDetection detection;

  @BeforeAll
  static void build() {
    detection = LanguageDetection.build(ChorusConfig.of(new io.vertx.core.json.JsonObject()).languageSettings());
  }

  @Test
  void accuracyOnMessagesOfFourWordsOrMoreIsAtLeastNinetyPercentOverallAndPerLanguage() {
    Map<String, LanguageSamples.Score> scores = LanguageSamples.score(detection, LanguageSamples.load());
    LanguageSamples.Score all = scores.get("all");
    assertTrue(all.longTotal >= 14 * 20, "the labelled set must keep at least 20 long messages for each of 14 languages, has " + all.longTotal);
    assertTrue(all.longAccuracy() >= MIN_LONG_ACCURACY, "overall accuracy on 4+ word messages " + all.longAccuracy());
    for (String lang : detection.settings().languages()) {
      LanguageSamples.Score s = scores.get(lang);
      assertTrue(s != null && s.longTotal >= 20, lang + " needs at least 20 labelled long messages");
      assertTrue(s.longAccuracy() >= MIN_LONG_ACCURACY, lang + " accuracy on 4+ word messages " + s.longAccuracy());
    }
  }

  @Test
  void messagesWithoutEnoughLettersAreUndeterminedNotGuessed() {
    for (String text : List.of("ok", "lol", "😂😂😂", "100%", "5/5", "???", "xD", "[phone]")) {
      assertEquals("und", detection.detect(text), text);
    }
  }

  @Test
  void aShortChineseMessageCountsItsCharactersDouble() {
    assertEquals("zh", detection.detect("谢谢你们"));
    assertEquals(4, LanguageDetection.letterWeight("谢谢"));
    assertEquals(2, LanguageDetection.letterWeight("ok 👍"));
  }

  @Test
  void aLongContributionIsJudgedOnItsFirstCharactersSoItCostsWhatAShortOneDoes() {
    String sentence = "Je pense que les adultes devraient écouter les enfants plus souvent. ";
    String longText = sentence.repeat(15);
    String sample = LanguageDetection.sample(longText);
    assertTrue(sample.length() <= LanguageDetection.SAMPLE_CHARS && sample.length() > LanguageDetection.SAMPLE_CHARS / 2, sample);
    assertTrue(longText.startsWith(sample) && !sample.endsWith(" "), "cut at a space: " + sample);
    assertEquals("fr", detection.detect(longText));
    assertEquals("x".repeat(LanguageDetection.SAMPLE_CHARS), LanguageDetection.sample("x".repeat(1000)), "no space: a hard cut");
  }

  @Test
  void redactionLabelsDoNotMakeATextEnglish() {
    assertEquals("fr", detection.detect("écris-moi au [phone] ou sur [handle] après l'école"));
  }

  @Test
  void undeterminedFallsBackToTheChildsChosenLanguageAndSaysSo() {
    LanguageTag fallback = detection.tag("ok 👍", "sw");
    assertEquals(new LanguageTag("und", "sw", LanguageTag.Source.CHOSEN), fallback);
    LanguageTag none = detection.tag("ok 👍", null);
    assertEquals(new LanguageTag("und", "und", LanguageTag.Source.NONE), none);
    LanguageTag detected = detection.tag("Nadhani serikali inapaswa kuwalinda watoto wote shuleni", "en");
    assertEquals(new LanguageTag("sw", "sw", LanguageTag.Source.DETECTED), detected);
    assertNull(LanguageTag.PENDING.sourceWire());
  }

  @Test
  void aLanguageLinguaDoesNotKnowIsRefusedAtStart() {
    assertEquals(List.of("xx", "EN"), LanguageDetection.unsupported(List.of("en", "xx", "EN")));
    var config = new io.vertx.core.json.JsonObject().put("language", new io.vertx.core.json.JsonObject()
        .put("detect", new io.vertx.core.json.JsonArray().add("en").add("tlh")));
    var error = assertThrows(RuntimeException.class, () -> ChorusConfig.of(config));
    assertTrue(error.getMessage().contains("language.detect"), error.getMessage());
  }
}
