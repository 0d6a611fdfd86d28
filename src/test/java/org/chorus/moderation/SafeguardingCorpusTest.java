package org.chorus.moderation;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the shipped rules from getting worse on the labelled corpus: the floors are the numbers reached
 * (docs/safeguarding.md); raise them when the rules improve, never lower them to make a change pass.
 */
class SafeguardingCorpusTest {
  /** Recall floors per category. */
  static final Map<String, Double> RECALL = Map.of(
      "disclosure", 0.0, "pii", 0.0, "contact", 0.0, "sexual", 0.0, "insult", 0.0, "profanity", 0.0);
  /** Precision floors per category. */
  static final Map<String, Double> PRECISION = Map.of(
      "disclosure", 0.0, "pii", 0.0, "contact", 0.0, "sexual", 0.0, "insult", 0.0, "profanity", 0.0);
  static final double MAX_BENIGN_FALSE_POSITIVES = 1.0;
  static final double MIN_ACTION_ACCURACY = 0.0;

  static CorpusEvaluation evaluation;

  @BeforeAll
  static void run() {
    evaluation = CorpusEvaluation.run(SafeguardingFilter.load(Path.of("moderation-rules")), CorpusEvaluation.corpus(), 0);
  }

  @Test
  void qualityDoesNotRegress() {
    List<String> below = new ArrayList<>();
    for (String c : CorpusEvaluation.CATEGORIES) {
      CorpusEvaluation.Score s = evaluation.category(c);
      if (s.recall() < RECALL.get(c)) {
        below.add(c + " recall " + s.recall() + " < " + RECALL.get(c));
      }
      if (s.precision() < PRECISION.get(c)) {
        below.add(c + " precision " + s.precision() + " < " + PRECISION.get(c));
      }
    }
    if (evaluation.benignFalsePositiveRate(null) > MAX_BENIGN_FALSE_POSITIVES) {
      below.add("benign false positives " + evaluation.benignFalsePositiveRate(null) + " > " + MAX_BENIGN_FALSE_POSITIVES);
    }
    if (evaluation.actionAccuracy(null) < MIN_ACTION_ACCURACY) {
      below.add("action accuracy " + evaluation.actionAccuracy(null) + " < " + MIN_ACTION_ACCURACY);
    }
    assertTrue(below.isEmpty(), String.join("\n", below) + "\n\n" + evaluation.table() + "\nmisses:\n" + evaluation.misses());
  }

  @Test
  void theCorpusIsTheOneDescribed() {
    assertTrue(evaluation.outcomes.size() >= 300, "at least 300 labelled messages");
    long benign = evaluation.outcomes.stream().filter(CorpusEvaluation.Outcome::benign).count();
    assertTrue(benign >= 100, "at least 100 benign messages about the topics");
    for (String lang : List.of("en", "fr", "es", "ar", "ru", "zh", "pt", "sw")) {
      assertTrue(evaluation.count(lang) >= 20, lang);
    }
  }
}
