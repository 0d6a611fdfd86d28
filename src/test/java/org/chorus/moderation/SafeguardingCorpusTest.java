package org.chorus.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the shipped rules from getting worse on the labelled sets: the floors are the numbers reached
 * (docs/safeguarding.md). Raise them when the rules improve; never lower them to make a change pass.
 */
class SafeguardingCorpusTest {
  /** The floors of one labelled set. */
  record Floors(Map<String, Double> recall, Map<String, Double> precision, double maxBenignFalsePositives, double minAccuracy) {}

  /** The corpus the rules were written beside (optimistic). */
  static final Floors CORPUS = new Floors(
      Map.of("disclosure", 0.96, "pii", 0.98, "contact", 0.97, "sexual", 0.96, "insult", 0.99, "profanity", 0.95),
      Map.of("disclosure", 0.99, "pii", 0.99, "contact", 0.99, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.01, 0.98);
  /**
   * Written without seeing the rules, then (2026-11-23) retired as a held-out set: its misses were used to tune the
   * rules, so these floors guard against regressions, they no longer measure honestly.
   */
  static final Floors HELD_OUT = new Floors(
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.97, "sexual", 0.93, "insult", 0.95, "profanity", 0.93),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.97, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.02, 0.98);

  /**
   * Written independently of the rules and both other sets; retired as a held-out set on 2026-11-23 (round 4): its
   * misses were fixed by generalised rules tried on fresh probe lines in all eight languages, so these floors guard
   * against regressions (reached: every recall 1.00, contact precision 0.975, no benign false positive, accuracy 1.00).
   */
  static final Floors HELD_OUT_2 = new Floors(
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.95, "sexual", 0.93, "insult", 0.95, "profanity", 0.95),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.95, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.02, 0.98);

  /**
   * Written independently of the rules and the other sets; honest until 2026-11-23 (disclosure 0.713, pii 0.844, contact
   * 0.800), then retired (round 5) and used as a development set for the proximity rules: these floors are the figures
   * reached minus a margin of about two rows (raised after round 7), a regression guard, no longer an honest measurement.
   */
  static final Floors HELD_OUT_3 = new Floors(
      Map.of("disclosure", 0.95, "pii", 0.93, "contact", 0.95, "sexual", 0.87, "insult", 0.87, "profanity", 0.91),
      Map.of("disclosure", 0.95, "pii", 0.95, "contact", 0.80, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.03, 0.96);

  /**
   * Written independently of the rules and the other sets; honest until 2026-11-23 (disclosure 0.663, pii 0.922, contact
   * 0.900), then retired (round 5) and used as a development set: these floors are the figures reached minus a margin of
   * about two rows (raised after round 7), a regression guard, no longer an honest measurement.
   */
  static final Floors HELD_OUT_4 = new Floors(
      Map.of("disclosure", 0.96, "pii", 0.96, "contact", 0.95, "sexual", 0.93, "insult", 0.87, "profanity", 0.91),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.97, "sexual", 0.99, "insult", 0.90, "profanity", 0.99),
      0.03, 0.98);

  /**
   * Written independently of the rules and the other sets; honest until 2026-11-23 (round 5: disclosure 0.813, pii
   * 0.922, insult 0.625), then retired (round 6) and used as a development set: these floors are the figures reached
   * minus a margin of about two rows, a regression guard, no longer an honest measurement.
   */
  static final Floors HELD_OUT_5 = new Floors(
      Map.of("disclosure", 0.97, "pii", 0.96, "contact", 0.95, "sexual", 0.87, "insult", 0.91, "profanity", 0.91),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.88, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.03, 0.99);

  /**
   * Written independently of the rules and the other sets; honest until 2026-11-23 (round 6: disclosure 0.738, insult
   * 0.708, accuracy 0.891), then retired (round 7) and used as a development set: these floors are the figures reached
   * (every recall 1.00, contact precision 0.909, no benign false positive) minus a margin of one or two rows, a
   * regression guard, no longer an honest measurement. The seventh set measures round 7.
   */
  static final Floors HELD_OUT_6 = new Floors(
      Map.of("disclosure", 0.97, "pii", 0.96, "contact", 0.95, "sexual", 0.93, "insult", 0.91, "profanity", 0.91),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.87, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.03, 0.99);

  /**
   * Written independently of the rules and the other sets (long, story-like answers with the harm in the middle or at
   * the end); honest for round 7 (disclosure 0.713, pii 0.984, contact 0.950, sexual 0.750, insult 0.292, accuracy 0.831,
   * benign false positives 5.2 %), then retired (round 8) and used as a development set: these floors are the figures
   * reached (every recall and precision 1.00, no benign false positive, accuracy 1.00) minus a margin of one or two rows,
   * a regression guard, no longer an honest measurement. The eighth set measures round 8.
   */
  static final Floors HELD_OUT_7 = new Floors(
      Map.of("disclosure", 0.97, "pii", 0.96, "contact", 0.95, "sexual", 0.93, "insult", 0.91, "profanity", 0.91),
      Map.of("disclosure", 0.97, "pii", 0.97, "contact", 0.95, "sexual", 0.99, "insult", 0.95, "profanity", 0.99),
      0.02, 0.99);

  /**
   * Written independently of the rules and the other sets (a realistic live session: short replies and longer answers);
   * the honest set for round 8, measured before anyone read its rows and never used for tuning or training. These floors
   * are the honest figures of the rules alone as measured (round 7 and round 8 gave the same disclosure recall, 0.825).
   */
  static final Floors HELD_OUT_8 = new Floors(
      Map.of("disclosure", 0.82, "pii", 0.98, "contact", 0.90, "sexual", 0.75, "insult", 0.45, "profanity", 0.95),
      Map.of("disclosure", 0.95, "pii", 0.94, "contact", 0.99, "sexual", 0.99, "insult", 0.99, "profanity", 0.99),
      0.053, 0.877);
  /** heldout8 with the rules and the shipped disclosure model, as the server runs by default (measured: 0.925, FP 5.2 %). */
  static final double HELD_OUT_8_DISCLOSURE_WITH_MODEL = 0.92;

  static SafeguardingFilter filter;

  @BeforeAll
  static void load() {
    filter = SafeguardingFilter.load(Path.of("moderation-rules"));
  }

  /** Every labelled set with its floors. */
  static final Map<String, Floors> FLOORS = Map.of(
      "corpus.tsv", CORPUS, "heldout.tsv", HELD_OUT, "heldout2.tsv", HELD_OUT_2, "heldout3.tsv", HELD_OUT_3,
      "heldout4.tsv", HELD_OUT_4, "heldout5.tsv", HELD_OUT_5, "heldout6.tsv", HELD_OUT_6,
      "heldout7.tsv", HELD_OUT_7, "heldout8.tsv", HELD_OUT_8);

  @ParameterizedTest
  @ValueSource(strings = {"corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv", "heldout6.tsv", "heldout7.tsv", "heldout8.tsv"})
  void qualityDoesNotRegress(String set) {
    check(CorpusEvaluation.run(filter, CorpusEvaluation.read(set), 0), FLOORS.get(set));
  }

  private static void check(CorpusEvaluation e, Floors floors) {
    List<String> below = new ArrayList<>();
    for (String c : CorpusEvaluation.CATEGORIES) {
      CorpusEvaluation.Score s = e.category(c);
      if (s.recall() < floors.recall().get(c)) {
        below.add(c + " recall " + s.recall() + " < " + floors.recall().get(c));
      }
      if (s.precision() < floors.precision().get(c)) {
        below.add(c + " precision " + s.precision() + " < " + floors.precision().get(c));
      }
    }
    if (e.benignFalsePositiveRate(null) > floors.maxBenignFalsePositives()) {
      below.add("benign false positives " + e.benignFalsePositiveRate(null) + " > " + floors.maxBenignFalsePositives());
    }
    if (e.actionAccuracy(null) < floors.minAccuracy()) {
      below.add("action accuracy " + e.actionAccuracy(null) + " < " + floors.minAccuracy());
    }
    assertTrue(below.isEmpty(), String.join("\n", below) + "\n\n" + e.table());
  }

  @Test
  void theDisclosureModelKeepsItsHonestGainOnTheEighthSet() {
    SafeguardingFilter withModel = SafeguardingFilter.load(Path.of("moderation-rules"), DisclosureModel.loadResource());
    CorpusEvaluation e = CorpusEvaluation.run(withModel, CorpusEvaluation.read("heldout8.tsv"), 0);
    assertTrue(e.category("disclosure").recall() >= HELD_OUT_8_DISCLOSURE_WITH_MODEL, e.table());
    assertTrue(e.benignFalsePositiveRate(null) <= HELD_OUT_8.maxBenignFalsePositives(), e.table());
  }

  @Test
  void theSetsAreTheOnesDescribed() {
    CorpusEvaluation corpus = CorpusEvaluation.run(filter, CorpusEvaluation.corpus(), 0);
    assertTrue(corpus.outcomes.size() >= 300, "at least 300 labelled messages");
    assertTrue(corpus.outcomes.stream().filter(CorpusEvaluation.Outcome::benign).count() >= 100, "at least 100 benign messages");
    for (String lang : List.of("en", "fr", "es", "ar", "ru", "zh", "pt", "sw")) {
      assertTrue(corpus.count(lang) >= 20, lang);
    }
    assertTrue(CorpusEvaluation.read("heldout.tsv").size() >= 200);
  }
}
