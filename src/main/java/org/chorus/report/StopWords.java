package org.chorus.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Stop-word lists per language from {@code report/stopwords/<lang>.txt}; a language without a list has none. */
public final class StopWords {
  private static final Map<String, Set<String>> LOADED = new ConcurrentHashMap<>();

  private StopWords() {}

  public static Set<String> of(String language) {
    String lang = language == null ? "und" : language.toLowerCase(Locale.ROOT);
    return LOADED.computeIfAbsent(lang, StopWords::read);
  }

  private static Set<String> read(String lang) {
    if (!lang.matches("[a-z]{2,3}")) {
      return Set.of();
    }
    try (InputStream in = StopWords.class.getResourceAsStream("/report/stopwords/" + lang + ".txt")) {
      if (in == null) {
        return Set.of();
      }
      Set<String> words = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String w = line.strip();
        if (!w.isEmpty() && !w.startsWith("#")) {
          words.add(KeywordSuggester.normalise(w));
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
