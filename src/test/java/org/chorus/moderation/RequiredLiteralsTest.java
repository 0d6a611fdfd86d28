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

  /** Ways with bounds, as the strings {@link RequiredLiterals.Literal#toString} writes ("(?<!\\p{L})me "). */
  private static List<List<Set<String>>> bounded(String pattern) {
    return RequiredLiterals.boundedWays(Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS)).stream()
        .map(way -> way.stream().map(set -> set.stream().map(Object::toString).collect(java.util.stream.Collectors.toSet()))
            .toList()).toList();
  }

  @Test
  void boundsAtTheEdgesOfLiterals() {
    assertEquals(List.of(List.of(Set.of("(?<!\\p{L})me obriga(?!\\p{L})"))),
        bounded("(?<!não )(?<!\\p{L})me obriga(?!\\p{L})"), "past a lookbehind it does not follow");
    assertEquals(List.of(List.of(Set.of("(?<!\\p{L})me "), Set.of("obriga(?!\\p{L})"))),
        bounded("(?<!\\p{L})me \\w*obriga(?!\\p{L})"), "each run keeps the bound at its own edge");
    assertEquals(List.of(List.of(Set.of("\\bmy "), Set.of("snap"), Set.of(" is\\b")), List.of(Set.of("\\bmy "), Set.of("insta"),
            Set.of(" is\\b")), List.of(Set.of("\\badd me"))),
        bounded("\\bmy (snap|insta) is\\b|\\badd me"));
    assertEquals(List.of(List.of(Set.of("(?<!\\p{L})ig(?![\\p{L}\\p{N}])")), List.of(Set.of("(?<!\\p{L})insta(?![\\p{L}\\p{N}])"))),
        bounded("(?<!\\p{L})(?:ig|insta)(?![\\p{L}\\p{N}]) ?\\w+"), "into a group, on both sides");
    assertEquals(List.of(List.of(Set.of("(?<!\\p{L})ab"), Set.of("cd(?!\\p{L})"))),
        bounded("(?<!\\p{L})(?:ab)(?:x|y)?cd(?!\\p{L})"), "an exact group joins the run it starts");
    assertEquals(List.of(List.of(Set.of("ab"), Set.of("cd(?!\\p{L})"))), bounded("(?<!\\p{L})(?:ab)+cd(?!\\p{L})"),
        "a repeated group: its first literal may follow another repetition");
    assertEquals(List.of(List.of(Set.of("baz\\b"))), bounded("\\b(?:foo|bar)?baz\\b"), "an optional piece before");
    assertEquals(List.of(List.of(Set.of("me hits"))), bounded("me(?!\\p{L}) hits"),
        "an assertion inside a run says nothing about its edges");
    assertEquals(List.of(List.of(Set.of("add me"))),
        RequiredLiterals.boundedWays(Pattern.compile("\\badd me\\b")).stream()
            .map(way -> way.stream().map(set -> set.stream().map(Object::toString).collect(java.util.stream.Collectors.toSet()))
                .toList()).toList(), "\\b without UNICODE_CHARACTER_CLASS: not read");
  }

  @Test
  void aBoundedLiteralIsFoundAtTheEdgesOfTheText() {
    RequiredLiterals.Literal ig = RequiredLiterals.boundedWays(
        Pattern.compile("(?<!\\p{L})(?:ig)(?![\\p{L}\\p{N}])", Pattern.UNICODE_CHARACTER_CLASS)).get(0).get(0).iterator().next();
    assertTrue(ig.fitsAt("ig", 0, 2), "alone");
    assertTrue(ig.fitsAt("my ig: lily_09", 3, 5));
    assertTrue(ig.fitsAt("add me on ig", 10, 12), "at the end of the text");
    assertTrue(!ig.fitsAt("tonight", 4, 6) && !ig.fitsAt("big", 1, 3) && !ig.fitsAt("igual", 0, 2) && !ig.fitsAt("ig2", 0, 2),
        "inside a word");
    assertTrue(ig.fitsAt("\uD835\uDC00ig", 2, 4), "a surrogate beside it is not judged");
    RequiredLiterals.Literal word = RequiredLiterals.boundedWays(
        Pattern.compile("\\bsnap\\b", Pattern.UNICODE_CHARACTER_CLASS)).get(0).get(0).iterator().next();
    assertTrue(word.fitsAt("snap", 0, 4) && word.fitsAt("on snap.", 3, 7) && word.fitsAt("é snap", 2, 6));
    assertTrue(!word.fitsAt("snapchat", 0, 4) && !word.fitsAt("résnap", 2, 6) && !word.fitsAt("x_snap", 2, 6));
  }

  /**
   * For every shipped regex and every message of every set: if the regex matches, the text holds, for one of its ways, a
   * literal of each set standing where its bounds want it.
   */
  @Test
  void boundedWaysSoundOnTheShippedRulesAndEverySet() {
    RuleSet rules = new RuleSet(RuleLoader.load(Path.of("moderation-rules")));
    List<String> texts = new ArrayList<>();
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv")) {
      CorpusEvaluation.read(set).forEach(row -> texts.add(TextNormalizer.full(row.text()).text()));
    }
    int checked = 0;
    int bounded = 0;
    for (Rule r : rules.rules()) {
      if (r.pattern() == null) {
        continue;
      }
      List<List<Set<RequiredLiterals.Literal>>> ways = RequiredLiterals.boundedWays(r.pattern());
      bounded += ways.stream().flatMap(List::stream).flatMap(Set::stream).anyMatch(l -> l.before() != null || l.after() != null) ? 1 : 0;
      for (String text : texts) {
        if (r.pattern().matcher(text).find()) {
          checked++;
          assertTrue(ways.stream().anyMatch(way -> way.stream().allMatch(set -> set.stream().anyMatch(l -> fits(l, text)))),
              r.id() + " matched '" + text + "' without satisfying any of " + ways);
        }
      }
    }
    assertTrue(checked > 100, "the check saw real matches: " + checked);
    assertTrue(bounded > 300, "most regexes have bounded literals: " + bounded);
  }

  private static boolean fits(RequiredLiterals.Literal l, String text) {
    for (int at = text.indexOf(l.text()); at >= 0; at = text.indexOf(l.text(), at + 1)) {
      if (l.fitsAt(text, at, at + l.text().length())) {
        return true;
      }
    }
    return false;
  }
}
