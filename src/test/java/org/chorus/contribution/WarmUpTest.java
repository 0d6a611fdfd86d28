package org.chorus.contribution;

import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.language.LanguageDetection;
import org.chorus.moderation.Rule;
import org.chorus.moderation.SafeguardingFilter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up warm-up: its samples cover the product's languages and pass through both steps of the path. */
class WarmUpTest {
  private static SafeguardingFilter filter;
  private static LanguageDetection detection;

  @BeforeAll
  static void load() {
    filter = SafeguardingFilter.load(Path.of("moderation-rules"));
    detection = LanguageDetection.build(ChorusConfig.of(new JsonObject()).languageSettings());
  }

  @Test
  void samplesCoverEveryOfferedLanguage() {
    Set<String> languages = WarmUp.samples().stream().map(WarmUp.Sample::language).collect(Collectors.toSet());
    assertTrue(languages.containsAll(List.of("en", "fr", "es", "pt", "ar", "ru", "zh", "sw")), "languages: " + languages);
  }

  @Test
  void samplesExerciseTheRedactionButRaiseNoAlarm() {
    // The warm-up must run the personal-data detectors (phone, e-mail) without looking like a child in danger:
    // nothing it does is stored, but its samples should stay what the product expects of ordinary messages.
    List<Rule.Action> actions = WarmUp.samples().stream().map(s -> filter.check(s.text(), s.language(), s.country()).action()).toList();
    assertTrue(actions.contains(Rule.Action.REDACT), "no sample exercises the personal-data detectors: " + actions);
    assertTrue(actions.stream().allMatch(a -> a.compareTo(Rule.Action.REDACT) <= 0), "a sample is held or alerts: " + actions);
  }

  @Test
  void passRunsEverySampleEveryRoundWithinItsBudget() {
    List<WarmUp.Sample> samples = WarmUp.samples();
    assertEquals(3 * samples.size(), WarmUp.pass(filter, detection, samples, 3, 60_000).messages());
    assertEquals(0, WarmUp.pass(filter, detection, samples, 3, 0).messages(), "a spent budget stops the warm-up");
  }
}
