package org.chorus.moderation;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prefilter may skip a regex only when it cannot match: checked by hand and against every shipped rule. */
class RequiredLiteralsTest {
  @Test
  void literalsEveryMatchContains() {
    assertEquals(Set.of("hit"), RequiredLiterals.of("\\b(my|our) (\\w+ ){0,2}hits? me\\b"));
    assertEquals(Set.of("add me on"), RequiredLiterals.of("\\badd me on\\b"));
    assertEquals(Set.of("snap", "insta"), RequiredLiterals.of("my (snap|insta) is"));
    assertEquals(Set.of("whats your "), RequiredLiterals.of("(?<!\\p{L})whats your (phone )?number"));
    assertEquals(Set.of("i go to "), RequiredLiterals.of("\\bi go to (?<school>(\\w+ ){0,3}(school))\\b"));
    assertNull(RequiredLiterals.of("(?i)add me"), "flags: not followed, so always run");
    assertNull(RequiredLiterals.of("a|\\w+"), "a branch without a literal");
    assertNull(RequiredLiterals.of("(hello)?"), "optional");
    assertNull(RequiredLiterals.of("[abc]+"));
  }

  /** For every shipped regex and every corpus message: if the regex matches, one of its literals is there. */
  @Test
  void soundOnTheShippedRulesAndTheCorpus() {
    RuleSet rules = new RuleSet(RuleLoader.load(Path.of("moderation-rules")));
    int checked = 0;
    for (Rule r : rules.rules()) {
      if (r.pattern() == null) {
        continue;
      }
      Set<String> literals = RequiredLiterals.of(r.pattern().pattern());
      if (literals == null) {
        continue;
      }
      Pattern p = r.pattern();
      for (CorpusEvaluation.Row row : CorpusEvaluation.corpus()) {
        String text = TextNormalizer.full(row.text()).text();
        if (p.matcher(text).find()) {
          checked++;
          assertTrue(literals.stream().anyMatch(text::contains), r.id() + " matched '" + text + "' without any of " + literals);
        }
      }
    }
    assertTrue(checked > 20, "the check saw real matches: " + checked);
  }

  @Test
  void waysOfMatching() {
    assertEquals(List.of(List.of(Set.of("my "), Set.of("snap"), Set.of(" is")), List.of(Set.of("my "), Set.of("insta"),
            Set.of(" is")), List.of(Set.of("add me"))),
        RequiredLiterals.ways("my (snap|insta) is|add me"));
    assertEquals(List.of(List.of()), RequiredLiterals.ways("(?i)add me"), "flags: not followed, so always run");
    assertEquals(List.of(List.of(Set.of("hi")), List.of()), RequiredLiterals.ways("hi|\\w+"), "a way with no literal");
  }

  /** For every shipped regex and every message of every set: if the regex matches, the text satisfies one of its ways. */
  @Test
  void waysSoundOnTheShippedRulesAndEverySet() {
    RuleSet rules = new RuleSet(RuleLoader.load(Path.of("moderation-rules")));
    List<String> texts = new ArrayList<>();
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv", "heldout8.tsv")) {
      CorpusEvaluation.read(set).forEach(row -> texts.add(TextNormalizer.full(row.text()).text()));
    }
    int checked = 0;
    for (Rule r : rules.rules()) {
      if (r.pattern() == null) {
        continue;
      }
      List<List<Set<String>>> ways = RequiredLiterals.ways(r.pattern().pattern());
      for (String text : texts) {
        if (r.pattern().matcher(text).find()) {
          checked++;
          assertTrue(ways.stream().anyMatch(way -> way.stream().allMatch(set -> set.stream().anyMatch(text::contains))),
              r.id() + " matched '" + text + "' without satisfying any of " + ways);
        }
      }
    }
    assertTrue(checked > 100, "the check saw real matches: " + checked);
  }
}
