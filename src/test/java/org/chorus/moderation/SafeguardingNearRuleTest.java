package org.chorus.moderation;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proximity rules (match 'near') and word lists (match 'list'): matching, negation, context, joins, bad files. */
class SafeguardingNearRuleTest {
  Path folder;

  @BeforeEach
  void folder() throws Exception {
    folder = Files.createTempDirectory("near");
  }

  private void write(String name, String content) throws Exception {
    Path p = folder.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private SafeguardingFilter rules() throws Exception {
    write("disclosure/en.rules", """
        disclosure.en.w-me   | - | - | list | me | the child
        disclosure.en.w-harm | - | - | list | hit* ; beat* ; lock* | harm
        disclosure.en.w-not  | - | - | list | never ; nobody ; dont | negation
        disclosure.en.w-play | - | - | list | chess ; game | games
        disclosure.en.near   | critical | alert | near | @disclosure.en.w-harm >1 @disclosure.en.w-me unless @disclosure.en.w-not ~@disclosure.en.w-play | harm to the child
        disclosure.en.past   | low | dismiss | regex | when i was \\d+ [^.]*now i am safe | over
        """);
    write("disclosure/sw.rules", """
        disclosure.sw.w-ni   | - | - | list | *ni* | me
        disclosure.sw.w-harm | - | - | list | *piga | hit
        disclosure.sw.near   | critical | alert | near | @disclosure.sw.w-ni + @disclosure.sw.w-harm | hits me
        """);
    write("disclosure/zh.rules", """
        disclosure.zh.w-wo   | - | - | list | 我 | me
        disclosure.zh.w-harm | - | - | list | 打 | hit
        disclosure.zh.w-not  | - | - | list | 没 | nobody
        disclosure.zh.near   | critical | alert | near | @disclosure.zh.w-harm >1 @disclosure.zh.w-wo unless @disclosure.zh.w-not | hits me
        """);
    return SafeguardingFilter.load(folder);
  }

  @Test
  void aHarmWordNearTheChildAlerts() throws Exception {
    SafeguardingFilter f = rules();
    assertEquals(Rule.Action.ALERT, f.check("My stepdad hits me when he drinks", "en", "GB").action());
    assertEquals(Rule.Action.ALERT, f.check("they locked me in", "en", "GB").action());
    assertEquals(Rule.Action.ALERT, f.check("he beats up me", "en", "GB").action());
    Verdict v = f.check("ok. he hits me", "en", "GB");
    assertEquals("disclosure.en.near", v.findings().get(0).ruleId());
    assertEquals(7, v.findings().get(0).start());
    assertEquals(14, v.findings().get(0).end());
  }

  @Test
  void negationContextDistanceAndSentencesKeepItQuiet() throws Exception {
    SafeguardingFilter f = rules();
    assertEquals(Rule.Action.ALLOW, f.check("nobody hits me at home", "en", "GB").action());
    assertEquals(Rule.Action.ALLOW, f.check("he dont hit me", "en", "GB").action());
    assertEquals(Rule.Action.ALLOW, f.check("my brother beat me at chess", "en", "GB").action(), "context after the pair");
    assertEquals(Rule.Action.ALLOW, f.check("he hit the ball hard and passed it to me", "en", "GB").action(), "too far apart");
    assertEquals(Rule.Action.ALLOW, f.check("me too. hit the road", "en", "GB").action(), "order");
    assertEquals(Rule.Action.ALLOW, f.check("they hit. me? no", "en", "GB").action(), "another sentence");
    assertEquals(Rule.Action.ALLOW, f.check("when i was 8 he hit me but now i am safe", "en", "GB").action(), "dismissed");
    // a negation after the pair does not block it ("he hits me and nobody helps")
    assertEquals(Rule.Action.ALERT, f.check("he hits me and nobody helps", "en", "GB").action());
  }

  @Test
  void joinedListsMatchInsideOneWordAndChineseCountsCharacters() throws Exception {
    SafeguardingFilter f = rules();
    assertEquals(Rule.Action.ALERT, f.check("baba ananipiga kila siku", "sw", "KE").action());
    assertEquals(Rule.Action.ALLOW, f.check("alinipigia simu jana", "sw", "KE").action());
    assertEquals(Rule.Action.ALLOW, f.check("ninapiga mpira", "sw", "KE").action());
    assertEquals(Rule.Action.ALERT, f.check("继父天天打我", "zh", "CN").action());
    assertEquals(Rule.Action.ALERT, f.check("他打了我", "zh", "CN").action());
    assertEquals(Rule.Action.ALLOW, f.check("没人打我", "zh", "CN").action());
    assertEquals(Rule.Action.ALLOW, f.check("他打她，我很担心", "zh", "CN").action(), "the Chinese comma ends the clause");
  }

  @Test
  void anArabicListWordMayFollowAJoinedAnd() throws Exception {
    write("insult/ar.rules", """
        insult.ar.w-nobody | - | - | list | محدش | nobody
        insult.ar.w-stands | - | - | list | طايقك | stands you
        insult.ar.near     | high | hold | near | @insult.ar.w-nobody ~3 @insult.ar.w-stands | nobody stands you
        """);
    SafeguardingFilter f = rules();
    assertEquals(Rule.Action.HOLD, f.check("انت غبي ومحدش طايقك", "ar", "EG").action(), "و joined to the list word");
    assertEquals(Rule.Action.HOLD, f.check("فمحدش طايقك", "ar", "EG").action(), "ف joined to the list word");
    assertEquals(Rule.Action.ALLOW, f.check("انت غبي بمحدش طايقك", "ar", "EG").action(), "another letter is part of another word");
    assertEquals(Rule.Action.ALLOW, f.check("انت غبي ومومحدش طايقك", "ar", "EG").action(), "the conjunction starts the word");
  }

  @Test
  void nearRulesOfANeighbouringLanguageInTheSameScriptStayOut() throws Exception {
    write("disclosure/es.rules", """
        disclosure.es.w-me   | - | - | list | me | la persona
        disclosure.es.w-harm | - | - | list | toca | toca
        disclosure.es.near   | critical | alert | near | @disclosure.es.w-me >0 @disclosure.es.w-harm | toca
        """);
    SafeguardingFilter f = rules();
    assertEquals(Rule.Action.ALERT, f.check("mi tío me toca", "es", "MX").action());
    assertEquals(Rule.Action.ALLOW, f.check("me toca lavar", "pt", "BR").action(), "Spanish near rules do not read a Portuguese child");
    assertEquals(Rule.Action.ALERT, f.check("他打我", "fr", "FR").action(), "another script is read whatever the child's language");
  }

  @Test
  void badNearRulesAndListsAreRefusedWithFileAndLine() throws Exception {
    write("disclosure/en.rules", """
        disclosure.en.w-me | - | - | list | me | the child
        disclosure.en.near | critical | alert | near | @disclosure.en.w-me >2 @disclosure.en.w-harm | harm
        """);
    RuleException e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:2: the list '@disclosure.en.w-harm' is not defined"), e.getMessage());

    write("disclosure/en.rules", "disclosure.en.near | critical | alert | near | @a near @b | harm\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:1: a near rule reads"), e.getMessage());

    write("disclosure/en.rules", "disclosure.en.near | critical | alert | near | @a ~99 @b | harm\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:1: a near rule may allow at most 30 words"), e.getMessage());

    write("disclosure/en.rules", "disclosure.en.w-me | high | alert | list | me | the child\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:1: a list names words for near rules and never fires"), e.getMessage());

    write("disclosure/en.rules", "disclosure.en.w-me | - | - | list | me ; *** | the child\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:1: the phrase"), e.getMessage());

    write("disclosure/en.rules", "disclosure.en.w-sell | - | - | list | i sell * after school ; *ni* | the child sells\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:1: the list word 'i sell * after school' has a '*' inside"), e.getMessage());

    write("disclosure/en.rules", """
        disclosure.en.rx   | critical | alert | regex | \\bme\\b | a regex
        disclosure.en.near | critical | alert | near | @disclosure.en.rx ~1 @disclosure.en.rx | harm
        """);
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("disclosure/en.rules:2: '@disclosure.en.rx' is a rule, not a list"), e.getMessage());

    write("pii/en.rules", """
        pii.en.w | - | - | list | me | x
        pii.en.near | medium | redact | near | @pii.en.w ~1 @pii.en.w | x
        """);
    write("disclosure/en.rules", "disclosure.en.w-me | - | - | list | me | the child\n");
    e = assertThrows(RuleException.class, () -> RuleLoader.load(folder));
    assertTrue(e.getMessage().contains("pii/en.rules:2: a near rule marks a message"), e.getMessage());
  }

  @Test
  void theShippedNearRulesLoad() {
    RuleSet rules = new RuleSet(RuleLoader.load(Path.of("moderation-rules")));
    assertTrue(rules.prefilterSummary().contains("near rules"), rules.prefilterSummary());
    assertTrue(rules.rules().stream().filter(r -> r.match() == Rule.Match.NEAR).count() >= 30);
  }
}
