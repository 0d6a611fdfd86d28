package org.chorus.moderation;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shortcuts of the personal-data detectors read the text exactly as the patterns they stand for. */
class PersonalDataDetectorsTest {
  private static List<String> regexWords(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PersonalDataDetectors.WORD.matcher(text);
    while (m.find()) {
      out.add(m.start() + "-" + m.end());
    }
    return out;
  }

  private static List<String> words(String text) {
    List<String> out = new ArrayList<>();
    PersonalDataDetectors.Words w = new PersonalDataDetectors.Words(text);
    while (w.find()) {
      out.add(w.start() + "-" + w.end());
      assertEquals(text.substring(w.start(), w.end()), w.group());
    }
    return out;
  }

  @Test
  void wordsAsTheWordPatternReadsThem() {
    List<String> texts = new ArrayList<>(List.of("", "a", "7", "0712345678 nine", "nueve 8 siete 5 cinco", "٠٧١٢ ٣٤٥",
        "555 📞 123 📞 4567", "𝐀𝐁 x𝟏𝟐𝟑𝟒𝟓", "\uD835", "a\uDC00b", "وتسعة و ثمانية", "一二三 幺", "x1y22z333w4444v55555"));
    for (String set : List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv")) {
      CorpusEvaluation.read(set).forEach(row -> texts.add(TextNormalizer.light(row.text()).text()));
    }
    for (String text : texts) {
      assertEquals(regexWords(text), words(text), "'" + text + "'");
    }
    assertTrue(texts.size() > 2000);
  }
}
