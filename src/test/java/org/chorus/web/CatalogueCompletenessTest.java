package org.chorus.web;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The message catalogues in webroot/i18n cannot drift: every language has exactly the English keys, with the
 * same placeholders, nothing empty, and (mostly) really translated; every key the pages and scripts use exists.
 */
class CatalogueCompletenessTest {
  static final Path WEBROOT = Path.of("webroot");
  static final Path I18N = WEBROOT.resolve("i18n");
  /** bundle → languages that must be there (the child's page has more: Portuguese and Swahili too). */
  static final Map<String, Set<String>> REQUIRED = Map.of(
      "child", Set.of("en", "fr", "es", "ar", "ru", "zh", "pt", "sw"),
      "console", Set.of("en", "fr", "es", "ar", "ru", "zh"));
  /** bundle → the pages and scripts that read it. */
  static final Map<String, List<String>> USERS = Map.of(
      "child", List.of("index.html", "js/child.js", "js/room.js", "js/api.js", "js/i18n.js"),
      "console", List.of("facilitator.html", "staff.html", "report.html", "js/facilitator.js", "js/staff.js", "js/console.js",
          "js/moderation-forms.js", "js/report-tools.js", "js/report.js", "js/api.js", "js/i18n.js"));
  static final Pattern FILE = Pattern.compile("([a-z]+)\\.([a-z]{2})\\.json");
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)(?:\\}|, plural,)");
  static final Pattern PLURAL = Pattern.compile("\\{[A-Za-z0-9_]+, plural,((?:\\s*=?[A-Za-z0-9_]+\\s*\\{[^{}]*\\})+)\\s*\\}");
  static final Pattern BRANCH = Pattern.compile("\\s*(=?[A-Za-z0-9_]+)\\s*\\{[^{}]*\\}");
  static final Set<String> PLURAL_CATEGORIES = Set.of("zero", "one", "two", "few", "many", "other");

  static Map<String, Map<String, JsonObject>> catalogues() throws IOException {
    Map<String, Map<String, JsonObject>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(I18N)) {
      for (Path file : files.sorted().toList()) {
        Matcher m = FILE.matcher(file.getFileName().toString());
        assertTrue(m.matches(), file + " is named <bundle>.<language>.json");
        assertTrue(REQUIRED.containsKey(m.group(1)), file + " belongs to a known bundle " + REQUIRED.keySet());
        out.computeIfAbsent(m.group(1), b -> new TreeMap<>()).put(m.group(2), new JsonObject(Files.readString(file)));
      }
    }
    return out;
  }

  static Set<String> placeholders(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void everyLanguageHasExactlyTheEnglishKeysWithTheSamePlaceholders() throws IOException {
    Map<String, Map<String, JsonObject>> all = catalogues();
    assertEquals(REQUIRED.keySet(), all.keySet(), "both bundles exist");
    List<String> problems = new ArrayList<>();
    for (var bundle : all.entrySet()) {
      Map<String, JsonObject> languages = bundle.getValue();
      assertTrue(languages.keySet().containsAll(REQUIRED.get(bundle.getKey())),
          bundle.getKey() + " has " + languages.keySet() + ", needs " + REQUIRED.get(bundle.getKey()));
      JsonObject english = languages.get("en");
      for (var language : languages.entrySet()) {
        String name = bundle.getKey() + "." + language.getKey();
        JsonObject catalogue = language.getValue();
        Set<String> missing = new TreeSet<>(english.fieldNames());
        missing.removeAll(catalogue.fieldNames());
        Set<String> extra = new TreeSet<>(catalogue.fieldNames());
        extra.removeAll(english.fieldNames());
        if (!missing.isEmpty()) {
          problems.add(name + " misses " + missing);
        }
        if (!extra.isEmpty()) {
          problems.add(name + " has keys English does not have " + extra);
        }
        int same = 0;
        for (String key : catalogue.fieldNames()) {
          if (!(catalogue.getValue(key) instanceof String value) || value.isBlank()) {
            problems.add(name + ": " + key + " is empty or not text");
            continue;
          }
          String en = english.getString(key);
          if (en == null) {
            continue;
          }
          if (!placeholders(en).equals(placeholders(value))) {
            problems.add(name + ": " + key + " has placeholders " + placeholders(value) + ", English has " + placeholders(en));
          }
          problems.addAll(pluralProblems(name + ": " + key, value));
          if (value.equals(en)) {
            same++;
          }
        }
        if (!"en".equals(language.getKey()) && same > english.size() * 0.05) {
          problems.add(name + ": " + same + " of " + english.size() + " messages are still the English text");
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** "{n, plural, one {…} other {…}}": known categories (or =N), always an "other". */
  static List<String> pluralProblems(String where, String value) {
    List<String> problems = new ArrayList<>();
    int declared = value.split(", plural,", -1).length - 1;
    Matcher m = PLURAL.matcher(value);
    int parsed = 0;
    while (m.find()) {
      parsed++;
      Set<String> categories = new TreeSet<>();
      Matcher b = BRANCH.matcher(m.group(1));
      while (b.find()) {
        categories.add(b.group(1));
      }
      for (String c : categories) {
        if (!PLURAL_CATEGORIES.contains(c) && !c.matches("=\\d+")) {
          problems.add(where + " has an unknown plural category " + c);
        }
      }
      if (!categories.contains("other")) {
        problems.add(where + " has a plural without \"other\"");
      }
    }
    if (parsed != declared) {
      problems.add(where + " has a plural that does not parse");
    }
    return problems;
  }

  @Test
  void everyKeyThePagesAndScriptsUseExists() throws IOException {
    Map<String, Map<String, JsonObject>> all = catalogues();
    List<String> problems = new ArrayList<>();
    Pattern html = Pattern.compile("data-i18n=\"([^\"]+)\"|data-i18n-attr=\"([^\"]+)\"");
    Pattern js = Pattern.compile("\\bt\\('([a-zA-Z0-9_.]+)'");
    for (var bundle : USERS.entrySet()) {
      JsonObject english = all.get(bundle.getKey()).get("en");
      for (String file : bundle.getValue()) {
        String source = Files.readString(WEBROOT.resolve(file));
        Set<String> used = new TreeSet<>();
        Matcher m = (file.endsWith(".html") ? html : js).matcher(source);
        while (m.find()) {
          if (m.group(1) != null) {
            used.add(m.group(1));
          }
          if (file.endsWith(".html") && m.group(2) != null) {
            for (String pair : m.group(2).split(";")) {
              used.add(pair.split(":")[1].trim());
            }
          }
        }
        // Keys shared by both bundles' pages (api.js, i18n.js) must be in both.
        for (String key : used) {
          if (!english.containsKey(key)) {
            problems.add(file + " uses " + key + ", missing from " + bundle.getKey() + ".en.json");
          }
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  /** Keys built from a value at run time: every value that can occur has its message. */
  @Test
  void everyKeyFamilyBuiltAtRunTimeIsComplete() throws IOException {
    Map<String, Map<String, JsonObject>> all = catalogues();
    JsonObject child = all.get("child").get("en");
    JsonObject console = all.get("console").get("en");
    List<String> problems = new ArrayList<>();
    // The reasons a facilitator picks are sent as codes and shown to the child in kind words.
    for (String code : listIn("js/moderation-forms.js", "REASONS")) {
      require(console, "form.reason." + code, problems);
      require(child, "reason." + code, problems);
    }
    assertEquals(listIn("js/moderation-forms.js", "REASONS"), listIn("js/room.js", "REASON_CODES"),
        "the child's page knows every reason the facilitator's page can send");
    for (String s : List.of("pending", "published", "rejected", "removed", "failed", "sending")) {
      require(child, "status." + s, problems);
    }
    for (String s : List.of("published", "rejected", "removed")) {
      require(child, "announce.mine." + s, problems);
      if (!"published".equals(s)) {
        require(child, "reason.none." + s, problems);
      }
    }
    for (String label : List.of("phone", "email", "link", "handle", "school", "name", "address", "other")) {
      require(child, "redacted." + label, problems);
    }
    for (String s : List.of("draft", "open", "closed")) {
      require(console, "status." + s, problems);
    }
    for (String s : List.of("pre", "post")) {
      require(console, "mode." + s, problems);
    }
    for (String s : List.of("allow", "redact", "hold", "alert")) {
      require(console, "action." + s, problems);
    }
    for (String s : List.of("facilitator", "staff")) {
      require(console, "role." + s, problems);
    }
    for (String s : List.of("me_too", "heart", "idea")) {
      require(console, "reaction." + s, problems);
    }
    for (String s : List.of("participants", "pending", "published", "rejected", "removed", "total", "openAlerts", "languages")) {
      require(console, "staff.count." + s, problems);
    }
    for (String s : List.of("approve", "reject", "remove")) {
      require(console, "done." + s, problems);
    }
    // The report page: a heading, a column and a chart text per breakdown; a line per moderation figure and total.
    for (String s : List.of("regions", "countries", "ageBands", "languages")) {
      require(console, "report.by." + s, problems);
      require(console, "report.col." + s, problems);
    }
    for (String s : List.of("contributions", "published", "heldByFilter", "removed", "pending", "withheld", "alerts")) {
      require(console, "report.mod." + s, problems);
    }
    for (String s : List.of("children", "childrenWhoContributed", "countries", "regions", "languages", "contributions")) {
      require(console, "report.total." + s, problems);
    }
    for (String s : List.of("export_in_progress", "theme_exists", "theme_not_found", "not_quotable", "not_a_quote", "dialogue_not_found")) {
      require(console, "error." + s, problems);
    }
    assertEquals(List.of(), problems);
  }

  static void require(JsonObject catalogue, String key, List<String> problems) {
    if (!catalogue.containsKey(key)) {
      problems.add("missing " + key);
    }
  }

  /** The strings of {@code const NAME = ['a', 'b'];} or {@code new Set(['a', 'b'])} in a script. */
  static List<String> listIn(String file, String name) throws IOException {
    String source = Files.readString(WEBROOT.resolve(file));
    Matcher m = Pattern.compile("const " + name + " = (?:new Set\\()?\\[([^\\]]*)\\]").matcher(source);
    assertTrue(m.find(), file + " defines " + name);
    List<String> values = new ArrayList<>();
    Matcher v = Pattern.compile("'([^']+)'").matcher(m.group(1));
    while (v.find()) {
      values.add(v.group(1));
    }
    return values;
  }
}
