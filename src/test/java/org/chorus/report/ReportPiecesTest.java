package org.chorus.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plain pieces of the report, without a server: suppression, CSV, keywords, charts, regions. */
class ReportPiecesTest {
  static final Regions REGIONS = Regions.load();

  @Test
  void everyIsoCountryHasAUnRegion() {
    assertTrue(REGIONS.size() >= 249);
    for (String code : java.util.Locale.getISOCountries()) {
      String region = REGIONS.region(code);
      assertTrue(List.of("Africa", "Americas", "Asia", "Europe", "Oceania").contains(region) || code.equals("AQ"), code + " → " + region);
    }
    assertEquals("Africa", REGIONS.region("KE"));
    assertEquals("Asia", REGIONS.region("TW"));
    assertEquals(Regions.UNKNOWN, REGIONS.region("ZZ"));
  }

  @Test
  void smallCountriesAreRolledUpIntoTheirRegionAndSmallRollUpsSuppressed() {
    SmallCells cells = new SmallCells(5);
    Map<String, long[]> byCountry = new LinkedHashMap<>();
    byCountry.put("KE", new long[] {7});
    byCountry.put("TZ", new long[] {3});
    byCountry.put("UG", new long[] {2});
    byCountry.put("FR", new long[] {2});
    List<SmallCells.Cell> out = cells.countries(byCountry, REGIONS);
    assertEquals(List.of("KE", "other:Africa", "other:Europe"), out.stream().map(SmallCells.Cell::key).toList());
    assertEquals(5L, out.get(1).children(), "Tanzania and Uganda together reach k");
    assertNull(out.get(2).children(), "France alone stays below k: suppressed");
    assertFalse(out.stream().anyMatch(c -> c.label().contains("France") || c.label().contains("Tanzania")));
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndDisarmsFormulas() {
    assertEquals("a,\"b,c\",\"say \"\"hi\"\"\",\"two\r\nlines\",'=1+1,'@x,plain\r\n",
        CsvWriter.row(List.of("a", "b,c", "say \"hi\"", "two\r\nlines", "=1+1", "@x", "plain")));
    assertEquals(List.of(List.of("a", "b,c", "say \"hi\"", "two\r\nlines", "'=1+1", "'@x", "plain")),
        Csv.parse(CsvWriter.row(List.of("a", "b,c", "say \"hi\"", "two\r\nlines", "=1+1", "@x", "plain"))));
    assertEquals("\r\n", CsvWriter.row(List.of("")).substring(0));
  }

  @Test
  void keywordsCountEachContributionOnceAndSkipStopWordsNumbersAndLabels() {
    KeywordSuggester s = new KeywordSuggester();
    s.add("p", "en", "Teachers listen to children, teachers should LISTEN!");
    s.add("p", "en", "I think teachers listen when we call [phone] at 5 pm");
    s.add("p", "en", "Safe schools");
    List<String> words = s.topWords("p", 10, 2).stream().map(KeywordSuggester.Term::term).toList();
    assertEquals(List.of("listen", "teachers"), words);
    assertEquals(2, s.topWords("p", 1, 2).get(0).contributions(), "counted once per contribution");
    assertEquals(List.of("teachers listen"), s.topPhrases("p", 10, 2).stream().map(KeywordSuggester.Term::term).toList());
    assertFalse(KeywordSuggester.tokens("call [phone] now").contains("phone"));
  }

  @Test
  void chineseIsReadAsTwoCharacterWordsWithoutStopCharacters() {
    KeywordSuggester s = new KeywordSuggester();
    s.add("p", "zh", "我觉得学校应该更安全");
    s.add("p", "zh", "学校要安全，老师要听我们说话");
    List<String> words = s.topWords("p", 10, 2).stream().map(KeywordSuggester.Term::term).toList();
    assertTrue(words.contains("学校") && words.contains("安全"), words.toString());
  }

  @Test
  void chartLabelsAreEscapedAndSuppressedCellsHaveNoBar() {
    String svg = SvgCharts.bars("Themes <b>", List.of(new SvgCharts.Bar("<script>x</script>", 3L), new SvgCharts.Bar("Small", null)), "fewer than 5");
    assertFalse(svg.contains("<script>") || svg.contains("<b>"));
    assertTrue(svg.contains("&lt;script&gt;"));
    assertEquals(1, svg.split("<rect").length - 1, "one bar: the suppressed cell has none");
    assertTrue(svg.contains("fewer than 5"));
  }
}
