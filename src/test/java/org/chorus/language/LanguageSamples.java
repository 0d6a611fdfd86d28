package org.chorus.language;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled short messages of {@code language/messages.tsv} and the scoring shared by the accuracy
 * test and {@code LanguageBench}.
 */
public final class LanguageSamples {
  /** One labelled message; {@code romanised} rows (ids {@code rom-}) are a known weakness, scored apart. */
  public record Sample(String id, String lang, String text) {
    public boolean romanised() {
      return id.startsWith("rom-");
    }

    public boolean noLanguage() {
      return LanguageTag.UNDETERMINED.equals(lang);
    }

    /** Four words or more (whitespace tokens with a letter or digit); Chinese: six Han characters or more. */
    public boolean longMessage() {
      long han = text.codePoints().filter(cp -> Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN).count();
      if (han > 0) {
        return han >= 6;
      }
      int words = 0;
      for (String token : text.trim().split("\\s+")) {
        if (token.codePoints().anyMatch(Character::isLetterOrDigit)) {
          words++;
        }
      }
      return words >= 4;
    }
  }

  /** Per language: messages and correct answers, long and short apart; {@code undetermined} counts abstentions. */
  public static final class Score {
    public int longTotal, longCorrect, shortTotal, shortCorrect, shortUndetermined, longUndetermined;

    public double longAccuracy() {
      return longTotal == 0 ? Double.NaN : (double) longCorrect / longTotal;
    }

    public double shortAccuracy() {
      return shortTotal == 0 ? Double.NaN : (double) shortCorrect / shortTotal;
    }
  }

  private LanguageSamples() {}

  public static List<Sample> load() {
    try (InputStream in = LanguageSamples.class.getResourceAsStream("/language/messages.tsv")) {
      if (in == null) {
        throw new IllegalStateException("language/messages.tsv missing from the test classpath");
      }
      List<Sample> out = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] f = lines[i].split("\t", -1);
        if (f.length != 3) {
          throw new IllegalStateException("messages.tsv line " + (i + 1) + ": expected 3 tab-separated fields, got " + f.length);
        }
        out.add(new Sample(f[0], f[1], f[2]));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Scores the detector on the labelled rows (not the romanised ones), by language; key "all" sums them. */
  public static Map<String, Score> score(LanguageDetection detection, List<Sample> samples) {
    Map<String, Score> scores = new TreeMap<>();
    Score all = new Score();
    for (Sample s : samples) {
      if (s.romanised()) {
        continue;
      }
      String found = detection.detect(s.text());
      boolean correct = found.equals(s.lang());
      boolean undetermined = LanguageTag.UNDETERMINED.equals(found);
      for (Score score : List.of(scores.computeIfAbsent(s.lang(), k -> new Score()), all)) {
        if (s.longMessage()) {
          score.longTotal++;
          score.longCorrect += correct ? 1 : 0;
          score.longUndetermined += undetermined ? 1 : 0;
        } else {
          score.shortTotal++;
          score.shortCorrect += correct ? 1 : 0;
          score.shortUndetermined += undetermined ? 1 : 0;
        }
      }
    }
    scores.put("all", all);
    return scores;
  }
}
