package org.chorus.moderation;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * Reads and checks {@code moderation-rules/}: every problem is reported with file, line and what is
 * wrong, and nothing is returned unless the whole folder is right. Blocking file I/O: call from a worker.
 */
public final class RuleLoader {
  static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9.-]{1,79}");
  static final Pattern FILE = Pattern.compile("(all|[a-z]{2})\\.rules");
  static final Pattern GROUP_NAME = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>");
  private static final int MAX_ERRORS = 20;
  private static final Set<String> ISO_LANGUAGES = Set.of(Locale.getISOLanguages());

  private RuleLoader() {}

  public static List<Rule> load(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new RuleException("the rules folder " + folder + " does not exist");
    }
    List<String> errors = new ArrayList<>();
    List<Rule> rules = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder, 2)) {
      files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".rules")).sorted().toList();
    } catch (IOException e) {
      throw new RuleException("cannot read the rules folder " + folder + ": " + e.getMessage());
    }
    for (Path file : files) {
      String where = folder.relativize(file).toString();
      Path parent = folder.relativize(file).getParent();
      Rule.Category category = parent == null ? null : category(parent.toString());
      if (category == null) {
        errors.add(where + ": rules files go in a category folder (" + categoryNames() + ")");
        continue;
      }
      Matcher name = FILE.matcher(file.getFileName().toString());
      if (!name.matches() || (!name.group(1).equals("all") && !ISO_LANGUAGES.contains(name.group(1)))) {
        errors.add(where + ": the file name must be a two-letter language code or 'all', like fr.rules");
        continue;
      }
      List<String> lines;
      try {
        lines = List.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString().split("\r?\n", -1));
      } catch (CharacterCodingException e) {
        errors.add(where + ": not valid UTF-8 text");
        continue;
      } catch (IOException e) {
        errors.add(where + ": cannot be read: " + e.getMessage());
        continue;
      }
      for (int i = 0; i < lines.size() && errors.size() < MAX_ERRORS; i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String at = where + ":" + (i + 1);
        try {
          Rule rule = parse(line, category, name.group(1), at);
          String previous = seen.putIfAbsent(rule.id(), at);
          if (previous != null) {
            throw new RuleException("the id '" + rule.id() + "' is already used at " + previous);
          }
          rules.add(rule);
        } catch (RuleException e) {
          errors.add(at + ": " + e.getMessage());
        }
      }
    }
    if (errors.isEmpty()) {
      checkNearReferences(rules, errors);
    }
    if (errors.isEmpty() && rules.isEmpty()) {
      errors.add("no rules found in " + folder + ": refusing to run without safeguarding rules");
    }
    if (!errors.isEmpty()) {
      throw new RuleException("moderation rules rejected:\n  " + String.join("\n  ", errors));
    }
    return rules;
  }

  static Rule parse(String line, Rule.Category category, String language, String source) {
    List<String> fields = split(line);
    if (fields.size() != 6) {
      throw new RuleException("expected 6 fields 'id | severity | action | match | text | reason', found " + fields.size());
    }
    String id = fields.get(0);
    if (!ID.matcher(id).matches()) {
      throw new RuleException("the id '" + id + "' may only hold a-z, 0-9, '.' and '-'");
    }
    Rule.Match match = value(Rule.Match.class, fields.get(3), "match");
    String text = fields.get(4);
    String reason = fields.get(5);
    if (text.isEmpty()) {
      throw new RuleException("the text is empty");
    }
    if (reason.isEmpty()) {
      throw new RuleException("give a short reason for facilitators");
    }
    if (match == Rule.Match.LIST) {
      // A word list for near rules: it never fires by itself, so it has no severity and no action.
      if (!fields.get(1).equals("-") || !fields.get(2).equals("-")) {
        throw new RuleException("a list names words for near rules and never fires: write '-' as its severity and action");
      }
      checkPhrases(text);
      checkListWildcards(text);
      return new Rule(id, category, language, Rule.Severity.LOW, Rule.Action.DISMISS, match, text, reason, source, null);
    }
    Rule.Severity severity = value(Rule.Severity.class, fields.get(1), "severity");
    Rule.Action action = value(Rule.Action.class, fields.get(2), "action");
    if (match == Rule.Match.NEAR) {
      NearRule near = NearRule.parse(text);
      if (action == Rule.Action.ALLOW || action == Rule.Action.REDACT) {
        throw new RuleException("a near rule marks a message (mask, hold, alert or dismiss), it cannot " + action.wire() + " a span");
      }
      if (near.first().equals(near.second()) && near.mode() == NearRule.Mode.JOINED) {
        throw new RuleException("'@" + near.first() + " + @" + near.first() + "' joins a list to itself");
      }
    }
    if (action == Rule.Action.ALLOW && category != Rule.Category.ALLOW) {
      throw new RuleException("'allow' rules belong in the allow folder");
    }
    if (action == Rule.Action.DISMISS && category != Rule.Category.DISCLOSURE && category != Rule.Category.CONTACT) {
      throw new RuleException("'dismiss' rules belong in the disclosure or contact folder");
    }
    Pattern pattern = null;
    if (match == Rule.Match.REGEX) {
      // The normalised text holds no apostrophes, so a pattern's apostrophes could never match.
      String source0 = withoutApostrophes(text);
      String upper = upperCaseLiteral(source0);
      if (upper != null) {
        throw new RuleException("write patterns in lower case (the text is lower-cased before matching): found '" + upper + "'");
      }
      if (hasUnboundedNestedRepetition(source0)) {
        throw new RuleException("the pattern repeats a group that itself repeats (like (a+)+); that can take forever — use a bounded form like (\\w+ ){0,3}");
      }
      try {
        pattern = Pattern.compile(source0, Pattern.UNICODE_CHARACTER_CLASS);
      } catch (PatternSyntaxException e) {
        throw new RuleException("the pattern is not a valid regular expression: " + e.getDescription() + " near position " + e.getIndex());
      }
    } else if (match == Rule.Match.WORDS) {
      checkPhrases(text);
    }
    return new Rule(id, category, language, severity, action, match, text, reason, source, pattern);
  }

  /**
   * A list word may take '*' only at its start or end (it then stands inside a longer word); lists have no "any word"
   * wildcard, and a '*' between words used to be dropped silently ("i sell * after school" read "i sell after school").
   */
  private static void checkListWildcards(String text) {
    for (String word : text.split(" ; ")) {
      String w = word.strip();
      String inner = w.length() > 2 ? w.substring(1, w.length() - 1) : "";
      if (inner.indexOf('*') >= 0) {
        throw new RuleException("the list word '" + w + "' has a '*' inside: a list word takes '*' only at its start or end"
            + " (write the phrases out, or use a near rule)");
      }
    }
  }

  private static void checkPhrases(String text) {
    for (String phrase : text.split(" ; ")) {
      if (TextNormalizer.full(phrase.replace("*", "")).text().isBlank()) {
        throw new RuleException("the phrase '" + phrase + "' has no letters or digits");
      }
    }
  }

  /** Every list a near rule names must be a list line somewhere in the folder (ids are unique across it). */
  static void checkNearReferences(List<Rule> rules, List<String> errors) {
    Map<String, Rule> byId = new HashMap<>();
    rules.forEach(r -> byId.put(r.id(), r));
    for (Rule r : rules) {
      if (r.match() != Rule.Match.NEAR) {
        continue;
      }
      for (String list : NearRule.parse(r.text()).lists()) {
        Rule target = byId.get(list);
        if (target == null) {
          errors.add(r.source() + ": the list '@" + list + "' is not defined (a line with that id and match 'list')");
        } else if (target.match() != Rule.Match.LIST) {
          errors.add(r.source() + ": '@" + list + "' is a rule, not a list (its match is " + target.match().name().toLowerCase(Locale.ROOT) + ")");
        }
      }
    }
  }

  /**
   * The pattern as it must read the normalised text, which holds no apostrophes: they are dropped, also
   * inside character classes ("j[’']ai" → "jai"); a class left empty stood for an apostrophe and matches nothing now.
   */
  static String withoutApostrophes(String pattern) {
    StringBuilder out = new StringBuilder(pattern.length());
    int classStart = -1;
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        char next = pattern.charAt(i + 1);
        if (!isApostrophe(next)) {
          out.append(c).append(next);
        }
        i++;
        continue;
      }
      if (isApostrophe(c)) {
        continue;
      }
      if (c == '[' && classStart < 0) {
        classStart = out.length();
      } else if (c == ']' && classStart >= 0 && out.length() > classStart + 1
          && !(out.length() == classStart + 2 && out.charAt(classStart + 1) == '^')) {
        classStart = -1;
      } else if (c == ']' && classStart >= 0) {
        // "[]" or "[^]" once the apostrophes are gone
        boolean negated = out.length() == classStart + 2;
        out.setLength(classStart);
        out.append(negated ? "(?s:.)" : "(?:)");
        classStart = -1;
        continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * A group that repeats something and is itself repeated without bound — (a+)+, (\\w+\\s?)*, (x{2,}){3,} —
   * can take exponential time; a bounded outer repetition such as (\\w+ ){0,3} is fine. A plain scan
   * (no regex, no recursion), so a pattern of any length is checked safely.
   */
  static boolean hasUnboundedNestedRepetition(String p) {
    java.util.ArrayDeque<boolean[]> groups = new java.util.ArrayDeque<>(); // per open group: contains a quantifier
    boolean inClass = false;
    boolean lastClosedGroupRepeats = false;
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '\\') {
        i++;
        lastClosedGroupRepeats = false;
        continue;
      }
      if (inClass) {
        inClass = c != ']';
        continue;
      }
      boolean justClosed = false;
      switch (c) {
        case '[' -> inClass = true;
        case '(' -> groups.push(new boolean[] {false});
        case ')' -> {
          boolean[] g = groups.isEmpty() ? new boolean[] {false} : groups.pop();
          lastClosedGroupRepeats = g[0];
          if (g[0] && !groups.isEmpty()) {
            groups.peek()[0] = true;
          }
          justClosed = true;
        }
        case '*', '+' -> {
          if (lastClosedGroupRepeats) {
            return true;
          }
          markQuantifier(groups);
        }
        case '{' -> {
          int close = p.indexOf('}', i);
          String inside = close < 0 ? "" : p.substring(i + 1, close);
          boolean unbounded = inside.matches("\\d+,");
          if (unbounded && lastClosedGroupRepeats) {
            return true;
          }
          markQuantifier(groups);
          i = close < 0 ? i : close;
        }
        case '?' -> {
          // optional, lazy or possessive: not a repetition
        }
        default -> { }
      }
      if (!justClosed && c != '?') {
        lastClosedGroupRepeats = false;
      }
    }
    return false;
  }

  private static void markQuantifier(java.util.ArrayDeque<boolean[]> groups) {
    if (!groups.isEmpty()) {
      groups.peek()[0] = true;
    }
  }

  /** An upper-case letter outside escapes (\\W, \\p{Lu}) and group names, or null. */
  static String upperCaseLiteral(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        if (i + 1 < pattern.length() && (pattern.charAt(i + 1) == 'p' || pattern.charAt(i + 1) == 'P')
            && i + 2 < pattern.length() && pattern.charAt(i + 2) == '{') {
          i = pattern.indexOf('}', i);
          if (i < 0) {
            return null;
          }
        } else {
          i++;
        }
        continue;
      }
      if (c == '(' && pattern.startsWith("?<", i + 1) && i + 3 < pattern.length()
          && pattern.charAt(i + 3) != '=' && pattern.charAt(i + 3) != '!') {
        i = pattern.indexOf('>', i);
        if (i < 0) {
          return null;
        }
        continue;
      }
      if (Character.isUpperCase(c)) {
        return String.valueOf(c);
      }
    }
    return null;
  }

  private static boolean isApostrophe(char c) {
    return c == '\'' || c == '’' || c == 'ʼ' || c == '`';
  }

  /**
   * Fields split on '|': the first four and the last are plain; everything between is the text, so a
   * pattern may use '|' for alternatives ("(my|our) …") while a reason may not contain one.
   */
  private static List<String> split(String line) {
    String[] parts = line.split("\\|", -1);
    List<String> out = new ArrayList<>();
    if (parts.length < 6) {
      for (String p : parts) {
        out.add(p.strip());
      }
      return out;
    }
    for (int i = 0; i < 4; i++) {
      out.add(parts[i].strip());
    }
    out.add(String.join("|", java.util.Arrays.copyOfRange(parts, 4, parts.length - 1)).strip());
    out.add(parts[parts.length - 1].strip());
    return out;
  }

  private static <E extends Enum<E>> E value(Class<E> type, String raw, String what) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(raw)) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw new RuleException("unknown " + what + " '" + raw + "' (use " + String.join(", ", names) + ")");
  }

  private static Rule.Category category(String folder) {
    for (Rule.Category c : Rule.Category.values()) {
      if (c.wire().equals(folder)) {
        return c;
      }
    }
    return null;
  }

  private static String categoryNames() {
    List<String> names = new ArrayList<>();
    for (Rule.Category c : Rule.Category.values()) {
      names.add(c.wire());
    }
    return String.join(", ", names);
  }
}
