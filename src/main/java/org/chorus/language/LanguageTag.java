package org.chorus.language;

import io.vertx.core.json.JsonObject;

import java.util.Locale;

/**
 * The language recorded for one contribution: what the detector said ({@code und} when unsure), the
 * language the contribution is counted under, and which of the two that is. All null while the
 * contribution waits for the detector (it is tagged later, never dropped).
 */
public record LanguageTag(String detected, String content, Source source) {
  public static final String UNDETERMINED = "und";
  public static final LanguageTag PENDING = new LanguageTag(null, null, null);

  /** {@code detected}: the detector was sure; {@code chosen}: it was not, so the child's chosen language; {@code none}: neither. */
  public enum Source {
    DETECTED, CHOSEN, NONE;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Source fromWire(String s) {
      return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
    }
  }

  /** The detector's answer combined with the child's choice (which may be null). */
  public static LanguageTag of(String detected, String chosenLanguage) {
    if (!UNDETERMINED.equals(detected)) {
      return new LanguageTag(detected, detected, Source.DETECTED);
    }
    if (chosenLanguage != null && !chosenLanguage.isBlank()) {
      return new LanguageTag(UNDETERMINED, chosenLanguage, Source.CHOSEN);
    }
    return new LanguageTag(UNDETERMINED, UNDETERMINED, Source.NONE);
  }

  public boolean pending() {
    return source == null;
  }

  public String sourceWire() {
    return source == null ? null : source.wire();
  }

  public JsonObject writeTo(JsonObject json) {
    return json.put("detectedLanguage", detected).put("contentLanguage", content).put("languageSource", sourceWire());
  }
}
