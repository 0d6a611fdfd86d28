package org.chorus.dialogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Validates a staff member's "create dialogue" request; every refusal names the field. */
public final class DialogueRequest {
  static final int MAX_TITLE = 200;
  static final int MAX_DESCRIPTION = 4000;
  static final int MAX_PROMPTS = 50;
  static final int MAX_PROMPT = 1000;
  static final int MAX_CAPACITY = 100_000;
  static final int DEFAULT_CAPACITY = 1000;
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

  private DialogueRequest() {}

  public static DialogueStore.NewDialogue parse(JsonObject body, Instant now) {
    String title = text(body, "title", 1, MAX_TITLE, true);
    String description = text(body, "description", 0, MAX_DESCRIPTION, false);
    List<String> prompts = stringList(body, "prompts", 1, MAX_PROMPTS);
    for (int i = 0; i < prompts.size(); i++) {
      String p = prompts.get(i).strip();
      if (p.isEmpty() || p.length() > MAX_PROMPT) {
        throw invalid("prompts", "prompt " + (i + 1) + " must be 1-" + MAX_PROMPT + " characters");
      }
      prompts.set(i, p);
    }
    List<String> languages = stringList(body, "languages", 1, 30);
    for (int i = 0; i < languages.size(); i++) {
      String code = languages.get(i).strip().toLowerCase(Locale.ROOT);
      if (!ISO_LANGUAGES.contains(code) || code.length() != 2) {
        throw invalid("languages", "'" + languages.get(i) + "' is not an ISO 639-1 language code such as en, fr, ar");
      }
      languages.set(i, code);
    }
    Object modeValue = body.getValue("moderationMode", "pre");
    Dialogue.ModerationMode mode = modeValue instanceof String s ? Dialogue.ModerationMode.fromWire(s).orElse(null) : null;
    if (mode == null) {
      throw invalid("moderationMode", "must be \"pre\" (a facilitator approves first) or \"post\" (published at once, removable)");
    }
    Object capacityValue = body.getValue("capacity", DEFAULT_CAPACITY);
    if (!(capacityValue instanceof Integer capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
      throw invalid("capacity", "must be a whole number between 1 and " + MAX_CAPACITY);
    }
    Instant opensAt = instant(body, "opensAt");
    Instant closesAt = instant(body, "closesAt");
    if (opensAt != null && closesAt != null && !closesAt.isAfter(opensAt)) {
      throw invalid("closesAt", "must be after opensAt");
    }
    if (closesAt != null && !closesAt.isAfter(now)) {
      throw invalid("closesAt", "must be in the future");
    }
    return new DialogueStore.NewDialogue(title, description, List.copyOf(languages), mode, capacity, opensAt, closesAt,
        List.copyOf(prompts), helplines(body), holdProfanity(body), Retention.parse(body));
  }

  /** The child helpline is the default; a dialogue may list its own (a name and a phone number and/or a link). */
  public static final JsonArray DEFAULT_HELPLINES = new JsonArray().add(new JsonObject().put("name", "Child helpline").put("phone", "116 111"));

  static boolean holdProfanity(JsonObject body) {
    Object v = body.getValue("profanity", "mask");
    if (!"mask".equals(v) && !"hold".equals(v)) {
      throw invalid("profanity", "must be \"mask\" (swear words shown as f***) or \"hold\" (a facilitator reads them first)");
    }
    return "hold".equals(v);
  }

  static JsonArray helplines(JsonObject body) {
    Object v = body.getValue("helplines");
    if (v == null) {
      return DEFAULT_HELPLINES.copy();
    }
    if (!(v instanceof JsonArray list) || list.isEmpty() || list.size() > 10) {
      throw invalid("helplines", "must be a list of 1-10 helplines like {\"name\": \"Childline\", \"phone\": \"116 111\", \"url\": \"https://…\"}");
    }
    JsonArray out = new JsonArray();
    for (Object o : list) {
      if (!(o instanceof JsonObject h) || !(h.getValue("name") instanceof String name) || name.isBlank() || name.length() > 80) {
        throw invalid("helplines", "each helpline needs a name of 1-80 characters");
      }
      Object phone = h.getValue("phone");
      Object url = h.getValue("url");
      if (phone == null && url == null) {
        throw invalid("helplines", "each helpline needs a phone number or a link");
      }
      if (phone != null && !(phone instanceof String p && p.matches("[0-9+() -]{3,30}"))) {
        throw invalid("helplines", "a helpline phone is 3-30 digits, spaces, +, -, ( )");
      }
      if (url != null && !(url instanceof String u && u.matches("https://[^\\s]{3,300}"))) {
        throw invalid("helplines", "a helpline link must start with https://");
      }
      JsonObject clean = new JsonObject().put("name", name.strip());
      if (phone != null) {
        clean.put("phone", ((String) phone).strip());
      }
      if (url != null) {
        clean.put("url", url);
      }
      out.add(clean);
    }
    return out;
  }

  private static String text(JsonObject body, String field, int min, int max, boolean required) {
    Object v = body.getValue(field);
    if (v == null && !required) {
      return "";
    }
    if (!(v instanceof String s)) {
      throw invalid(field, required ? "is required and must be text" : "must be text");
    }
    String stripped = s.strip();
    if (stripped.length() < min || stripped.length() > max) {
      throw invalid(field, "must be " + min + "-" + max + " characters");
    }
    return stripped;
  }

  private static List<String> stringList(JsonObject body, String field, int min, int max) {
    Object v = body.getValue(field);
    if (!(v instanceof JsonArray array) || array.size() < min || array.size() > max) {
      throw invalid(field, "must be a list of " + min + "-" + max + " texts");
    }
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) {
        throw invalid(field, "must contain only texts");
      }
      out.add(s);
    }
    return out;
  }

  private static Instant instant(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse((String) v);
    } catch (ClassCastException | DateTimeParseException e) {
      throw invalid(field, "must be an ISO-8601 time such as 2026-12-01T09:00:00Z");
    }
  }

  private static ApiError invalid(String field, String problem) {
    return ApiError.badRequest("invalid_field", field + " " + problem);
  }
}
