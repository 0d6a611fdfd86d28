package org.chorus.moderation;

import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disclosure second opinion: its file (refused with a clear message when missing or broken), its scores
 * (deterministic, the same hashes at training and at run time), the shipped model on messages of no labelled set, and its
 * hook in the filter (it only ever adds a disclosure, never takes one away or weakens an action).
 */
class DisclosureModelTest {
  static DisclosureModel shipped;
  static SafeguardingFilter rulesOnly;
  static SafeguardingFilter withModel;

  @BeforeAll
  static void load() {
    shipped = DisclosureModel.loadResource();
    rulesOnly = SafeguardingFilter.load(Path.of("moderation-rules"));
    withModel = SafeguardingFilter.load(Path.of("moderation-rules"), shipped);
  }

  // ---- the file -----------------------------------------------------------------------------

  @Test
  void theShippedModelLoads() {
    assertTrue(shipped.size() > 1000, "features: " + shipped.size());
    assertTrue(shipped.threshold() > 0.05 && shipped.threshold() < 0.95, "threshold " + shipped.threshold());
    assertTrue(shipped.minWords() >= 1, "min-words " + shipped.minWords());
    assertTrue(shipped.description().contains("features"), shipped.description());
  }

  @Test
  void aMissingFileIsAClearError() {
    DisclosureModel.ModelException e = assertThrows(DisclosureModel.ModelException.class,
        () -> DisclosureModel.load(Path.of("target/no-such-dir/disclosure.model")));
    assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("moderation.disclosureModel"), e.getMessage());
  }

  private static String small() {
    Map<String, Double> features = new LinkedHashMap<>();
    features.put("w:zorblax", 40.0);
    features.put("c:<zo", 0.5);
    features.put("w:fine", -2.0);
    return DisclosureModel.write(-1, 0.7, features, "test", List.of("a test model"));
  }

  private static String brokenMessage(String text) {
    return brokenMessage(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String brokenMessage(byte[] bytes) {
    return assertThrows(DisclosureModel.ModelException.class, () -> DisclosureModel.parse(bytes, "test.model")).getMessage();
  }

  @Test
  void brokenFilesAreRefusedWithWhatIsWrong() throws Exception {
    String good = small();
    DisclosureModel.parse(good.getBytes(StandardCharsets.UTF_8), "test.model");
    assertTrue(brokenMessage(new byte[] {(byte) 0xC3, 0x28, 0x00, (byte) 0xFF}).contains("not UTF-8"));
    assertTrue(brokenMessage("hello\nworld\n").contains("no '---' line"));
    assertTrue(brokenMessage(good.replace("chorus-disclosure-model 1", "chorus-disclosure-model 9")).contains("format is"));
    assertTrue(brokenMessage(good.replace("40.00\tw:zorblax", "1.000\tw:zorblax")).contains("checksum mismatch"), "an edited weight");
    assertTrue(brokenMessage(good.substring(0, good.length() - 10)).contains("checksum mismatch"), "a truncated file");
    assertTrue(brokenMessage(good.replaceAll("(?m)^threshold .*\\n", "")).contains("no 'threshold' line"));
    assertTrue(brokenMessage(good.replace("threshold 0.7", "threshold 1.5")).contains("between 0 and 1"));
    assertTrue(brokenMessage(good.replace("features 3", "features 4")).contains("promises 4 features, found 3"));
    assertTrue(brokenMessage(good.replace("bias -1.000", "bias minus one")).contains("'bias' must be a number"));
    // a file on disk names itself
    Path file = Files.createTempFile("disclosure", ".model");
    Files.writeString(file, good.replace("w:fine", "w:fIne"));
    String message = assertThrows(DisclosureModel.ModelException.class, () -> DisclosureModel.load(file)).getMessage();
    assertTrue(message.startsWith(file.toString()) && message.contains("checksum mismatch"), message);
  }

  @Test
  void whatIsWrittenScoresAsWhatWasTrained() {
    Map<String, Double> features = new LinkedHashMap<>();
    features.put("w:zorblax", 40.0);
    features.put("c:<zo", 0.5);
    features.put("w:fine", -2.0);
    DisclosureModel inMemory = DisclosureModel.of(-1, 0.7, features);
    DisclosureModel fromFile = DisclosureModel.parse(small().getBytes(StandardCharsets.UTF_8), "test.model");
    for (String text : List.of("zorblax", "I am fine", "zorblax is fine", "", "人")) {
      assertEquals(inMemory.probability(text, "en"), fromFile.probability(text, "en"), 1e-6, text);
    }
    assertTrue(fromFile.flags("the zorblax again", "en"));
    assertFalse(fromFile.flags("all fine here", "en"));
  }

  // ---- scores -------------------------------------------------------------------------------

  @Test
  void scoresAreDeterministic() {
    DisclosureModel again = DisclosureModel.loadResource();
    for (String text : List.of("my stepdad hits me every night", "我们学校的老师都很好", "", "!!!", "a".repeat(5000))) {
      double first = shipped.probability(text, "en");
      assertEquals(first, shipped.probability(text, "en"), 0.0, text);
      assertEquals(first, again.probability(text, "en"), 0.0, text);
      assertTrue(first >= 0 && first <= 1);
    }
  }

  @Test
  void runTimeHashesAreTheHashesOfTheNamesInTheFile() {
    for (String text : List.of("My uncle hurts me!!", "je m'appelle Amina, j'ai 13 ans", "أبي يضربني كل يوم", "отчим бьёт меня",
        "我爸爸喝醉了就打我，我很害怕", "ananipiga kila siku", "x", "e\u0301te\u0301")) {
      String normalised = DisclosureModel.normalise(text, "en");
      List<Long> fast = new ArrayList<>();
      List<Long> named = new ArrayList<>();
      DisclosureModel.features(normalised, (h, name) -> fast.add(h), false);
      DisclosureModel.features(normalised, (h, name) -> named.add(DisclosureModel.hash(name)), true);
      assertEquals(named, fast, text);
      assertFalse(fast.isEmpty(), text);
    }
  }

  @Test
  void noOpinionOnShortMessages() {
    assertEquals(3, DisclosureModel.words("more parks please!"));
    assertEquals(2, DisclosureModel.words("我想回家"), "two Chinese characters count one word");
    assertEquals(3, DisclosureModel.words("ana-ni-piga"));
    DisclosureModel model = DisclosureModel.of(-1, 0.5, 3, Map.of("w:please", 50.0));
    assertEquals(0, model.probability("more please", "en"));
    assertTrue(model.flags("more parks please", "en"));
    // the shipped model leaves a short request alone (the rules still read it)
    assertEquals(0, shipped.probability("More parks please", "en"));
  }

  /** Written for this test, in no labelled set. */
  @Test
  void theShippedModelOnObviousMessages() {
    List<String[]> disclosures = List.of(
        new String[] {"en", "a guy from discord keeps asking for pics of me and says hell tell my parents if i stop"},
        new String[] {"en", "i dont see the point anymore, i keep thinking everyone would be happier if i was gone"},
        new String[] {"es", "mi padrastro me pega con el cinturón cuando llega borracho"},
        new String[] {"ru", "отчим бьёт меня каждый день, я боюсь идти домой"},
        new String[] {"sw", "baba yangu wa kambo ananipiga kila siku na naogopa kurudi nyumbani"});
    for (String[] d : disclosures) {
      double p = shipped.probability(d[1], d[0]);
      assertTrue(p >= shipped.threshold(), d[1] + ": " + p);
    }
    List<String[]> benign = List.of(
        new String[] {"en", "we should teach children about their rights in school"},
        new String[] {"en", "the film we watched showed a boy who was beaten by his father, it was sad"},
        new String[] {"en", "if a stranger online asks for photos, tell a teacher and block them"},
        new String[] {"es", "el profesor de matemáticas explica muy bien"},
        new String[] {"zh", "我们学校的老师都很好"});
    for (String[] b : benign) {
      double p = shipped.probability(b[1], b[0]);
      assertTrue(p < shipped.threshold(), b[1] + ": " + p);
    }
  }

  // ---- the hook in the filter -----------------------------------------------------------------

  /** The shipped rules with a model that says "disclosure" for any message with the made-up word "zorblax". */
  private static SafeguardingFilter zorblax() {
    return SafeguardingFilter.load(Path.of("moderation-rules"), DisclosureModel.of(-10, 0.5, Map.of("w:zorblax", 10_000.0)));
  }

  @Test
  void aModelDisclosureAlertsOverTheWholeStoredText() {
    SafeguardingFilter filter = zorblax();
    assertEquals("allow", filter.check("we had a great trip to the lake", "en", "GB").outcome());
    Verdict v = filter.check("zorblax, call me on 07700 900123", "en", "GB");
    assertEquals("alert", v.outcome());
    assertTrue(v.redactedText().contains("[phone]"), "personal data is still removed: " + v.redactedText());
    Finding model = v.findings().stream().filter(f -> f.ruleId().equals(SafeguardingFilter.MODEL_RULE_ID)).findFirst().orElseThrow();
    assertEquals(Rule.Category.DISCLOSURE, model.category());
    assertEquals(Rule.Action.ALERT, model.action());
    assertEquals("possible disclosure (statistical second opinion)", model.reason());
    assertEquals(0, model.start());
    assertEquals(v.redactedText().length(), model.end());
    assertTrue(v.findings().stream().anyMatch(f -> f.category() == Rule.Category.PII), "the rules' findings stay");
  }

  @Test
  void aRulesDisclosureIsLeftAsItIs() {
    SafeguardingFilter filter = zorblax();
    String text = "zorblax. my stepdad hits me every night";
    Verdict rules = rulesOnly.check(text, "en", "GB");
    Verdict both = filter.check(text, "en", "GB");
    assertEquals("alert", rules.outcome());
    assertEquals(rules, both, "no second finding when the rules already found a disclosure");
  }

  @Test
  void withoutTheModelTheFilterIsTheRules() {
    assertEquals(null, rulesOnly.model());
    String text = "zorblax";
    assertEquals("allow", rulesOnly.check(text, "en", "GB").outcome());
  }

  /** Over every labelled set: the model only adds (a stronger or equal action, every rule finding kept). */
  @Test
  void theModelNeverWeakensTheRules() {
    int added = 0;
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv")) {
      for (CorpusEvaluation.Row row : CorpusEvaluation.read(set)) {
        Verdict rules = rulesOnly.check(row.text(), row.lang(), row.country());
        Verdict both = withModel.check(row.text(), row.lang(), row.country());
        assertTrue(both.action().compareTo(rules.action()) >= 0, row.id());
        assertTrue(both.findings().containsAll(rules.findings()), row.id());
        assertEquals(rules.redactedText(), both.redactedText(), row.id());
        if (both.findings().size() > rules.findings().size()) {
          added++;
          assertEquals(Rule.Action.ALERT, both.action(), row.id());
          assertTrue(rules.findings().stream().noneMatch(f -> f.category() == Rule.Category.DISCLOSURE), row.id());
        }
      }
    }
    assertTrue(added > 0, "the model adds some disclosures the rules missed");
  }

  // ---- the switch ---------------------------------------------------------------------------

  @Test
  void theSwitchIsOnByDefaultAndMustBeABoolean() {
    assertTrue(ChorusConfig.of(new JsonObject()).bool("moderation.disclosureModel"));
    assertFalse(ChorusConfig.of(new JsonObject().put("moderation", new JsonObject().put("disclosureModel", false)))
        .bool("moderation.disclosureModel"));
    ConfigException e = assertThrows(ConfigException.class,
        () -> ChorusConfig.of(new JsonObject().put("moderation", new JsonObject().put("disclosureModel", "yes"))));
    assertTrue(e.getMessage().contains("moderation.disclosureModel"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> ChorusConfig.load(null, Map.of("CHORUS_MODERATION_DISCLOSURE_MODEL", "maybe")));
    assertTrue(e.getMessage().contains("CHORUS_MODERATION_DISCLOSURE_MODEL"), e.getMessage());
  }
}
