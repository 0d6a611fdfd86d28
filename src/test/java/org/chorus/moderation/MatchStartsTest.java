package org.chorus.moderation;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trying a pattern only where a match can begin must find exactly what {@link Matcher#find} finds. */
class MatchStartsTest {
  private static MatchStarts starts(String pattern) {
    return MatchStarts.of(Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS), b -> b);
  }

  /** Every match as "start-end" (and each group's span), with {@link Matcher#find} or with the starts. */
  private static List<String> matches(Pattern p, String text, boolean withStarts) {
    return matches(p, text, withStarts ? MatchStarts.of(p, b -> b) : null);
  }

  /** As above, with the starts given (null: {@link Matcher#find}). */
  private static List<String> matches(Pattern p, String text, MatchStarts starts) {
    List<String> out = new ArrayList<>();
    MatchStarts.find(starts, p.matcher(text), text, m -> {
      StringBuilder b = new StringBuilder(m.start() + "-" + m.end());
      for (int g = 1; g <= m.groupCount(); g++) {
        b.append(' ').append(m.start(g)).append('-').append(m.end(g));
      }
      out.add(b.toString());
    });
    return out;
  }

  private static void same(String pattern, String text) {
    Pattern p = Pattern.compile(pattern, Pattern.UNICODE_CHARACTER_CLASS);
    assertEquals(matches(p, text, false), matches(p, text, true), pattern + " on '" + text + "'");
  }

  @Test
  void beginsOnlyWhereTheFirstCharacterAndTheBoundaryFit() {
    MatchStarts s = starts("(?<!\\p{L})(?:where|send) (?:me|us)");
    assertNotNull(s);
    String text = "nowhere to send me";
    assertEquals(11, s.next(text, 0), "'where' inside 'nowhere' is no start");
    assertTrue(s.mayStartAt("where", 0), "at the start of the text");
    MatchStarts word = starts("\\bsnap\\b");
    assertTrue(!word.mayStartAt("xsnap", 1) && word.mayStartAt("x snap", 2) && word.mayStartAt("\uD83D\uDC7Bsnap", 2),
        "a surrogate before it is not judged");
    MatchStarts cls = starts("(?:^|[.!?]\\s*)(?:i am|call me)");
    assertNotNull(cls);
    assertTrue(cls.mayStartAt("ok. i am", 2) && !cls.mayStartAt("ok. i am", 4) && !cls.mayStartAt("ok. i am", 1),
        "at a character of the class; after '^' only at the text's start");
    assertTrue(cls.mayStartAt("i am", 0) && cls.mayStartAt("x am", 0), "the text's start, whatever its first character");
  }

  @Test
  void findsWhatFindFinds() {
    same("(?<!\\p{L})(?:where|send) (?:me|us)", "nowhere to send me, send us");
    same("\\bhits? me\\b", "he hits me");
    same("\\bhits? me\\b", "hit me");
    same("me\\b", "call me"); // a match at the very end of the text
    same("(?<!no )me", "no me yes me"); // the look-behind sees the text before the region
    same("^hi|bye$", "hi and bye"); // anchors: the text's, not the region's
    same("👻?x", "a 👻x and x"); // a quantifier after a code point outside the BMP
    same("(?<name>a|b)+c", "xxabcabc");
    same("a(?=b)", "aab ab");
    same("(?:^|[.!?]\\s*)send", "send it. send me"); // anchors read nothing, a class begins with its characters
    same("(?:^|[.!?;])[^.!?;]{0,20}?(?<!\\p{L})when i was", "when i was 8. then when i was 9; x when i was");
    same("\\Aab|b", "abab");
    same("\\p{Lu}\\w+", "ab Cd éÉf");
  }

  @Test
  void noStartsForWhatItDoesNotFollow() {
    assertNull(starts("a*"), "may match the empty string");
    assertNull(starts("(?:x|)"), "an empty branch");
    assertNull(starts(".+ me"), "may begin anywhere");
    assertNull(starts("^"), "matches the empty string at the start");
    MatchStarts sentence = starts("(?:^|[.!?])[^.!?]{0,9}?when");
    assertNotNull(sentence, "after '^' only the text's start, whatever its first character");
    assertTrue(sentence.mayStartAt("x. when", 0) && sentence.mayStartAt("x. when", 1) && !sentence.mayStartAt("x. when", 3));
    assertNull(starts("(a)\\1"), "back reference");
    assertNull(starts("(?i)abc"), "inline flags");
    assertNull(MatchStarts.of(Pattern.compile("abc", Pattern.CASE_INSENSITIVE), b -> b), "case-insensitive");
    assertNull(starts("(?:^|\\s)send"), "\\s is not followed: any character");
  }

  /** Every shipped regex on every message of every set and on the tests' own lines: the same matches, group by group. */
  @Test
  void sameMatchesOnTheShippedRulesAndEverySet() {
    RuleSet rules = new RuleSet(RuleLoader.load(Path.of("moderation-rules")));
    List<String> texts = new ArrayList<>();
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv")) {
      CorpusEvaluation.read(set).forEach(row -> texts.add(TextNormalizer.full(row.text()).text()));
    }
    int withStarts = 0;
    int matched = 0;
    for (Rule r : rules.rules()) {
      MatchStarts starts = r.pattern() == null ? null : MatchStarts.of(r.pattern(), b -> b);
      if (starts == null) {
        continue;
      }
      withStarts++;
      for (String text : texts) {
        List<String> expected = matches(r.pattern(), text, null);
        matched += expected.isEmpty() ? 0 : 1;
        assertEquals(expected, matches(r.pattern(), text, starts), r.id() + " on '" + text + "'");
      }
    }
    assertTrue(withStarts > 600, "most shipped regexes have starts: " + withStarts);
    assertTrue(matched > 100, "the check saw real matches: " + matched);
  }

  /** The personal-data detectors' patterns tried only where a match can begin: the same matches on every set. */
  @Test
  void sameMatchesForThePersonalDataPatterns() {
    List<String> texts = new ArrayList<>(List.of("mail me at lily dot com", "lily@gmail.com", "(at) [dot] @x_1", "八七六四二零三九",
        "+254 712 345 678", "call 0712-345-678 now"));
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv")) {
      CorpusEvaluation.read(set).forEach(row -> texts.add(TextNormalizer.light(row.text()).text()));
    }
    int matched = 0;
    for (var e : PersonalDataDetectors.starts().entrySet()) {
      assertNotNull(e.getValue(), e.getKey().pattern());
      for (String text : texts) {
        List<String> expected = matches(e.getKey(), text, null);
        matched += expected.isEmpty() ? 0 : 1;
        List<String> actual = new ArrayList<>();
        MatchStarts.find(e.getValue(), e.getKey().matcher(text), text, m -> actual.add(m.start() + "-" + m.end()));
        assertEquals(expected.stream().map(x -> x.split(" ")[0]).toList(), actual, e.getKey().pattern() + " on '" + text + "'");
      }
    }
    assertTrue(matched > 50, "the check saw real matches: " + matched);
  }

  @Test
  void aLinkNeedsADotBeforeALetter() {
    assertTrue(PersonalDataDetectors.mayHoldLink("see chorus.org"));
    assertTrue(PersonalDataDetectors.mayHoldLink("https://x"));
    assertTrue(PersonalDataDetectors.mayHoldLink("www.x"));
    assertTrue(!PersonalDataDetectors.mayHoldLink("i went home. then i slept."), "full stops before a space or the end");
  }
}
