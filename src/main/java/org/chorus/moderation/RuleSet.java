package org.chorus.moderation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled rules: one Aho–Corasick automaton for every word-list phrase, the regular expressions,
 * and the built-in personal-data detectors. {@link #check} is pure and fast (no I/O); immutable, so a
 * reload simply swaps in a new instance.
 */
public final class RuleSet {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuleSet.class);
  /** The first character of Thai, the lowest of the scripts written without spaces between words. */
  private static final char FIRST_SPACELESS = '\u0E00';
  private static final Set<String> NO_WORD_SPACES = Set.of("zh", "ja", "th", "lo", "km", "my");

  /** A phrase of a words rule; {@code openEnd} when its last word ends in '*'. */
  private record Phrase(Rule rule, boolean openEnd) {}

  private final List<Rule> rules;
  private final AhoCorasick<Phrase> phrases;
  /**
   * A regex rule with its number (candidates are de-duplicated by it, without hashing the rule), for redact regexes the
   * named groups whose text is replaced by "[name]", and the ways a match can be made, each with the sets of literals
   * it needs at once, as numbers in the rule set's table of literals (see {@link RequiredLiterals#boundedWays}): a
   * candidate runs only when the text holds one literal of each set of some way, standing where the pattern wants it
   * ("ig" in "night" is no "ig" for {@code (?<!\p{L})(?:ig|insta)…}). {@code script}: the rule's, looked up once.
   * {@code starts}: where a match can begin (null: anywhere), so that the pattern is tried only there.
   */
  private record Regex(Rule rule, int number, List<String> redactGroups, int[][][] ways, Character.UnicodeScript script,
                       MatchStarts starts) {
    /** {@code found}: a bit per literal number, whether the text holds it (see {@link #regexLiterals}). */
    boolean mayMatch(long[] found) {
      for (int[][] way : ways) {
        if (hasOneOfEach(found, way)) {
          return true;
        }
      }
      return false;
    }

    private static boolean hasOneOfEach(long[] found, int[][] sets) {
      for (int[] oneOf : sets) {
        if (!containsAny(found, oneOf)) {
          return false;
        }
      }
      return true;
    }

    private static boolean containsAny(long[] found, int[] literals) {
      for (int literal : literals) {
        if (isSet(found, literal)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * What the literal automaton reports for one string: the regexes that list it among the literals one of which every
   * match contains ({@link RequiredLiterals#of}: they become candidates, in the order their literals are found), and the
   * literals of the regexes' ways with this text, each with its number and the boundaries it needs. {@code number}: the
   * key's own, so that its candidates are looked at once per message however often the string occurs.
   */
  private record LiteralKey(int number, Regex[] candidates, RequiredLiterals.Literal[] literals, int[] numbers) {}

  private final int regexCount;
  /** Every literal of every regex, found in one pass (candidates, and which literals the text holds). */
  private final AhoCorasick<LiteralKey> regexLiterals;
  /** How many numbered literals and how many strings {@link #regexLiterals} knows. */
  private final int literalCount;
  private final int keyCount;
  private final List<Regex> unfilteredRegexes;
  /** A word of a list: '*' at its start or end lets it stand inside a longer word. */
  private record ListWord(String list, int listNumber, boolean openStart, boolean openEnd) {}
  /** A near rule with the numbers of its two lists (-1: a list no word belongs to), to see at once whether both occur. */
  private record Near(Rule rule, NearRule spec, int first, int second) {}
  /** Every word of every list, found in one pass; then each near rule looks at the lists it names. */
  private final AhoCorasick<ListWord> listWords;
  private final List<Near> nearRules;
  private final int listCount;

  public RuleSet(List<Rule> rules) {
    this.rules = List.copyOf(rules);
    Map<String, List<Phrase>> byText = new HashMap<>();
    List<Rule> regexes = new ArrayList<>();
    Map<String, List<ListWord>> listWords = new HashMap<>();
    Map<String, Integer> listNumbers = new HashMap<>();
    List<Near> nears = new ArrayList<>();
    for (Rule r : rules) {
      if (r.match() == Rule.Match.REGEX) {
        regexes.add(r);
        continue;
      }
      if (r.match() == Rule.Match.LIST) {
        for (String word : r.text().split(" ; ")) {
          String w = word.strip();
          boolean openStart = w.startsWith("*");
          boolean openEnd = w.length() > 1 && w.endsWith("*");
          String normalised = TextNormalizer.full(w.replace("*", "")).text().strip();
          int listNumber = listNumbers.computeIfAbsent(r.id(), k -> listNumbers.size());
          listWords.computeIfAbsent(normalised, k -> new ArrayList<>()).add(new ListWord(r.id(), listNumber, openStart,
              openEnd));
        }
        continue;
      }
      if (r.match() == Rule.Match.NEAR) {
        nears.add(new Near(r, NearRule.parse(r.text()), -1, -1));
        continue;
      }
      for (String phrase : r.text().split(" ; ")) {
        String p = phrase.strip();
        boolean openEnd = p.endsWith("*");
        String body = p.replace("*", "");
        String normalised = TextNormalizer.full(body).text().strip();
        if (p.indexOf('*') >= 0 && p.indexOf('*') < p.length() - 1) {
          // a '*' inside the phrase: a regular expression does it (still bounded)
          regexes.add(new Rule(r.id(), r.category(), r.language(), r.severity(), r.action(), Rule.Match.REGEX, p, r.reason(),
              r.source(), Pattern.compile(wordsToRegex(p), Pattern.UNICODE_CHARACTER_CLASS)));
          continue;
        }
        byText.computeIfAbsent(normalised, k -> new ArrayList<>()).add(new Phrase(r, openEnd));
      }
    }
    this.phrases = new AhoCorasick<>(byText);
    this.listWords = new AhoCorasick<>(listWords);
    this.nearRules = nears.stream().map(x -> new Near(x.rule(), x.spec(), listNumbers.getOrDefault(x.spec().first(), -1),
        listNumbers.getOrDefault(x.spec().second(), -1))).toList();
    this.listCount = listNumbers.size();
    Map<String, List<Regex>> byLiteral = new HashMap<>();
    List<Regex> unfiltered = new ArrayList<>();
    // the literals of the ways, numbered, with one instance of each boundary (it caches what it has judged)
    Map<RequiredLiterals.Literal, Integer> numbers = new HashMap<>();
    Map<RequiredLiterals.Bound, RequiredLiterals.Bound> bounds = new HashMap<>();
    Map<String, List<RequiredLiterals.Literal>> literalsByText = new HashMap<>();
    for (int number = 0; number < regexes.size(); number++) {
      Rule r = regexes.get(number);
      int[][][] ways = RequiredLiterals.boundedWays(r.pattern()).stream().map(way -> way.stream()
          .map(set -> set.stream().mapToInt(literal -> {
            RequiredLiterals.Literal l = new RequiredLiterals.Literal(literal.text(), one(bounds, literal.before()),
                one(bounds, literal.after()));
            return numbers.computeIfAbsent(l, k -> {
              literalsByText.computeIfAbsent(k.text(), t -> new ArrayList<>()).add(k);
              return numbers.size();
            });
          }).toArray()).toArray(int[][]::new)).toArray(int[][][]::new);
      Regex regex = new Regex(r, number, r.action() == Rule.Action.REDACT
          ? RuleLoader.GROUP_NAME.matcher(r.pattern().pattern()).results().map(x -> x.group(1)).toList() : List.of(),
          ways, r.script(), MatchStarts.of(r.pattern(), b -> one(bounds, b)));
      Set<String> literals = RequiredLiterals.of(r.pattern().pattern());
      if (literals == null) {
        unfiltered.add(regex);
      } else {
        literals.forEach(l -> byLiteral.computeIfAbsent(l, k -> new ArrayList<>()).add(regex));
      }
    }
    Map<String, List<LiteralKey>> keys = new HashMap<>();
    Set<String> texts = new java.util.HashSet<>(byLiteral.keySet());
    texts.addAll(literalsByText.keySet());
    for (String text : texts) {
      List<RequiredLiterals.Literal> ls = literalsByText.getOrDefault(text, List.of());
      keys.put(text, List.of(new LiteralKey(keys.size(), byLiteral.getOrDefault(text, List.of()).toArray(Regex[]::new),
          ls.toArray(RequiredLiterals.Literal[]::new), ls.stream().mapToInt(numbers::get).toArray())));
    }
    this.regexCount = regexes.size();
    this.literalCount = numbers.size();
    this.keyCount = keys.size();
    this.regexLiterals = new AhoCorasick<>(keys);
    this.unfilteredRegexes = List.copyOf(unfiltered);
  }

  private static RequiredLiterals.Bound one(Map<RequiredLiterals.Bound, RequiredLiterals.Bound> bounds,
                                            RequiredLiterals.Bound bound) {
    return bound == null ? null : bounds.computeIfAbsent(bound, b -> b);
  }

  /** How many regexes the literal prefilter can skip (for the bench and docs). */
  public String prefilterSummary() {
    long regexes = rules.stream().filter(r -> r.match() == Rule.Match.REGEX).count();
    return (regexes - unfilteredRegexes.size()) + " of " + regexes + " regex rules prefiltered by required literals, "
        + nearRules.size() + " near rules over " + rules.stream().filter(r -> r.match() == Rule.Match.LIST).count() + " word lists";
  }

  /** The regex rules that run on every message (no required literal found): keep this list short. */
  public List<String> unfilteredRuleIds() {
    return unfilteredRegexes.stream().map(x -> x.rule().id()).distinct().toList();
  }

  public int size() {
    return rules.size();
  }

  public List<Rule> rules() {
    return rules;
  }

  /** A phrase with '*' inside ("hurt* me"): each word, '*' meaning any ending, between word boundaries. */
  private static String wordsToRegex(String phrase) {
    List<String> parts = new ArrayList<>();
    for (String word : phrase.strip().split("\\s+")) {
      String body = TextNormalizer.full(word.replace("*", "")).text().strip();
      parts.add(Pattern.quote(body) + (word.endsWith("*") ? "[\\p{L}\\p{N}]*" : ""));
    }
    return "(?<![\\p{L}\\p{N}])" + String.join(" ", parts) + "(?![\\p{L}\\p{N}])";
  }

  /** An occurrence before it is turned into the verdict: original-text span. */
  private record Hit(Rule.Category category, String ruleId, Rule.Severity severity, Rule.Action action, String reason,
                     int start, int end, String label) {}

  /**
   * Checks one message. {@code language} (ISO 639-1, may be null) selects the language-specific rules;
   * {@code country} (ISO 3166, may be null) the phone-number formats.
   */
  public Verdict check(String text, String language, String country) {
    TextNormalizer.Normalized light = TextNormalizer.light(text);
    // In a Latin-script language a word made only of Cyrillic look-alikes is a disguise ("ѕехо").
    TextNormalizer.Normalized full = TextNormalizer.full(light,
        language != null && Rule.scriptOf(language) == Character.UnicodeScript.LATIN);
    List<Hit> hits = new ArrayList<>();
    Set<Character.UnicodeScript> scripts = scripts(full.text());
    personalDataHits(text, light, country, hits);
    wordHits(text, full, language, hits);
    regexHits(text, full, language, scripts, hits);
    nearHits(text, full, language, scripts, hits);
    return decide(text, hits);
  }

  /**
   * Near rules: one automaton pass finds the words of every list, each with its word number and sentence number; a rule
   * fires for a pair of its two lists close enough in one sentence, with no word of its "unless" lists around them.
   */
  private void nearHits(String text, TextNormalizer.Normalized full, String language, Set<Character.UnicodeScript> scripts,
                        List<Hit> hits) {
    if (nearRules.isEmpty()) {
      return;
    }
    String ft = full.text();
    List<AhoCorasick.Hit<ListWord>> raw = listWords.find(ft);
    if (raw.isEmpty()) {
      return;
    }
    // word and sentence number of every character: one word per letter run, one per Chinese/Japanese/Thai character
    int n = ft.length();
    int[] token = new int[n];
    int[] sentence = new int[n];
    int t = -1;
    int s = 0;
    boolean inWord = false;
    for (int i = 0; i < n; i++) {
      char c = ft.charAt(i);
      boolean spaceless = isSpacelessScript(ft, i);
      if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK) {
        if (!inWord || spaceless) {
          t++;
        }
        inWord = !spaceless;
      } else {
        inWord = false;
        if (c == '.' || c == '!' || c == '?' || c == ';' || c == '。' || c == '！' || c == '？' || c == '；' || c == '؟'
            || c == '؛' || c == '…' || c == '、'
            // NFKC has turned the Chinese comma into ','; between Chinese clauses it ends the clause
            || (c == ',' && i > 0 && isSpacelessScript(ft, i - 1))) {
          s++;
        }
      }
      token[i] = Math.max(t, 0);
      sentence[i] = s;
    }
    boolean noSpaces = language != null && NO_WORD_SPACES.contains(language);
    Map<String, List<NearRule.Occurrence>> found = new HashMap<>();
    boolean[] present = new boolean[listCount];
    for (AhoCorasick.Hit<ListWord> h : raw) {
      ListWord w = h.value();
      boolean spaceless = noSpaces || isSpacelessScript(ft, h.start());
      if (!spaceless) {
        if (!w.openStart() && h.start() > 0 && Character.isLetterOrDigit(ft.charAt(h.start() - 1))
            && !afterJoinedConjunction(ft, h.start())) {
          continue;
        }
        if (!w.openEnd() && h.end() < n && Character.isLetterOrDigit(ft.charAt(h.end()))) {
          continue;
        }
      }
      found.computeIfAbsent(w.list(), k -> new ArrayList<>()).add(new NearRule.Occurrence(h.start(), h.end(),
          token[h.start()], token[h.end() - 1], sentence[h.start()]));
      present[w.listNumber()] = true;
    }
    for (Near near : nearRules) {
      // both lists found: by number first (most rules stop here), without a lookup by name
      if (near.first() < 0 || near.second() < 0 || !present[near.first()] || !present[near.second()]) {
        continue;
      }
      Rule r = near.rule();
      if (!r.appliesTo(language)) {
        continue;
      }
      // Near rules are made of short common words ("me" is Spanish, Portuguese and French): a language's near rules read
      // the messages of children who write it, and any message in another script than the child's ("يضربني" from a
      // French-speaking child), but not a neighbouring language in the same script.
      if (r.script() != null && language != null && !r.language().equals(language)) {
        if (!scripts.contains(r.script()) || r.script() == Rule.scriptOf(language)) {
          continue;
        }
      }
      for (int[] span : near.spec().pairs(found, 8)) {
        hits.add(hit(r, full.originStart(span[0]), full.originEnd(span[1], text), null));
      }
    }
  }

  /**
   * Arabic writes "and" (و) and "so" (ف) joined to the next word: "ومحدش طايقك", "ومفيش أكل" are the list words "محدش"
   * and "مفيش" after the conjunction, so a list word in Arabic script may follow one of them at the start of a word.
   */
  static boolean afterJoinedConjunction(String text, int start) {
    char before = text.charAt(start - 1);
    return (before == '\u0648' || before == '\u0641')
        && Character.UnicodeScript.of(text.charAt(start)) == Character.UnicodeScript.ARABIC
        && (start == 1 || !Character.isLetterOrDigit(text.charAt(start - 2)));
  }

  private static void personalDataHits(String text, TextNormalizer.Normalized light, String country, List<Hit> hits) {
    try {
      for (PersonalDataDetectors.Span s : PersonalDataDetectors.find(light.text(), country)) {
        hits.add(new Hit(Rule.Category.PII, "pii.builtin." + s.label(), Rule.Severity.MEDIUM, Rule.Action.REDACT,
            "Personal data: " + s.label(), light.originStart(s.start()), light.originEnd(s.end(), text), s.label()));
      }
    } catch (BoundedText.TooSlow e) {
      // Personal data could not be ruled out in time: a person looks at it before anyone else does.
      hits.add(new Hit(Rule.Category.PII, "pii.builtin.too-complex", Rule.Severity.MEDIUM, Rule.Action.HOLD,
          "Too complex to check for personal data automatically", 0, 0, null));
    }
  }

  /** Word-list phrases: one automaton pass, then word boundaries (none for scripts without spaces). */
  private void wordHits(String text, TextNormalizer.Normalized full, String language, List<Hit> hits) {
    boolean noSpaces = language != null && NO_WORD_SPACES.contains(language);
    String ft = full.text();
    for (AhoCorasick.Hit<Phrase> h : phrases.find(ft)) {
      Rule r = h.value().rule();
      if (!r.appliesTo(language)) {
        continue;
      }
      boolean spaceless = noSpaces || NO_WORD_SPACES.contains(r.language()) || isSpacelessScript(ft, h.start());
      int end = h.end();
      if (!spaceless) {
        if (h.start() > 0 && Character.isLetterOrDigit(ft.charAt(h.start() - 1))) {
          continue;
        }
        if (h.value().openEnd()) {
          while (end < ft.length() && Character.isLetterOrDigit(ft.charAt(end))) {
            end++;
          }
        } else if (end < ft.length() && Character.isLetterOrDigit(ft.charAt(end))) {
          continue;
        }
      }
      hits.add(hit(r, full.originStart(h.start()), full.originEnd(end, text), null));
    }
  }

  /** Regexes: only those whose required literals occur (plus the few without any), each in bounded time. */
  private void regexHits(String text, TextNormalizer.Normalized full, String language, Set<Character.UnicodeScript> scripts,
                         List<Hit> hits) {
    String ft = full.text();
    // the unfiltered ones, then each regex at the first of its literals found (the order findings are made in); and
    // which literals of the ways stand where their pattern wants them
    List<Regex> candidates = new ArrayList<>(unfilteredRegexes);
    boolean[] isCandidate = new boolean[regexCount];
    for (Regex x : unfilteredRegexes) {
      isCandidate[x.number()] = true;
    }
    // bit sets, not boolean arrays: some 15,000 literals and 13,000 strings, allocated for every message
    long[] found = new long[(literalCount + 63) >>> 6];
    long[] keySeen = new long[(keyCount + 63) >>> 6];
    regexLiterals.forEachHit(ft, (start, end, key) -> {
      if (!isSet(keySeen, key.number())) {
        set(keySeen, key.number()); // its candidates are in (" me " occurs often, and hundreds of regexes name it)
        for (Regex x : key.candidates()) {
          if (!isCandidate[x.number()]) {
            isCandidate[x.number()] = true;
            candidates.add(x);
          }
        }
      }
      RequiredLiterals.Literal[] literals = key.literals();
      for (int k = 0; k < literals.length; k++) {
        int number = key.numbers()[k];
        if (!isSet(found, number) && literals[k].fitsAt(ft, start, end)) {
          set(found, number);
        }
      }
    });
    for (Regex candidate : candidates) {
      Rule r = candidate.rule();
      // A language's rules run on text in its script — and on any text of a child who writes that language
      // (pinyin "nmsl" from a Chinese-speaking child has no Han characters).
      boolean scriptFits = candidate.script() == null || scripts.contains(candidate.script()) || r.language().equals(language);
      if (!r.appliesTo(language) || !scriptFits || !candidate.mayMatch(found)) {
        continue;
      }
      try {
        Matcher matcher = r.pattern().matcher(new BoundedText(ft));
        MatchStarts.find(candidate.starts(), matcher, ft, m -> {
          if (m.end() == m.start()) {
            return;
          }
          boolean named = false;
          for (String group : candidate.redactGroups()) {
            if (m.start(group) >= 0 && m.end(group) > m.start(group)) {
              hits.add(hit(r, full.originStart(m.start(group)), full.originEnd(m.end(group), text), group.toLowerCase()));
              named = true;
            }
          }
          if (!named) {
            hits.add(hit(r, full.originStart(m.start()), full.originEnd(m.end(), text), null));
          }
        });
      } catch (BoundedText.TooSlow | StackOverflowError e) {
        // A pattern too costly for this message must not take the message (or the server) down with it.
        LOG.warn("rule {} ({}) was too costly on a message and was skipped", r.id(), r.source());
      }
    }
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  /** The scripts of the letters in the text (Japanese kana count as Han: the same rules read them). */
  private static Set<Character.UnicodeScript> scripts(String text) {
    Set<Character.UnicodeScript> out = java.util.EnumSet.noneOf(Character.UnicodeScript.class);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      Character.UnicodeScript s = letterScript(cp);
      if (s != null) {
        out.add(s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA ? Character.UnicodeScript.HAN : s);
      }
      i += Character.charCount(cp);
    }
    return out;
  }

  private static final Character.UnicodeScript[] SCRIPTS = Character.UnicodeScript.values();
  /**
   * Per BMP character, its script's number plus one when it is a letter, -1 when it is none, 0 not yet looked up (a race
   * writes the same value): the script lookup is a binary search over Unicode's ranges, done once per character.
   */
  private static final short[] LETTER_SCRIPT = new short[0x10000];

  /** The script of {@code cp} when it is a letter, else null. */
  private static Character.UnicodeScript letterScript(int cp) {
    if (cp >= LETTER_SCRIPT.length) {
      return Character.isLetter(cp) ? Character.UnicodeScript.of(cp) : null;
    }
    short known = LETTER_SCRIPT[cp];
    if (known == 0) {
      known = Character.isLetter(cp) ? (short) (Character.UnicodeScript.of(cp).ordinal() + 1) : -1;
      LETTER_SCRIPT[cp] = known;
    }
    return known < 0 ? null : SCRIPTS[known - 1];
  }

  private static boolean isSpacelessScript(String text, int at) {
    if (text.charAt(at) < FIRST_SPACELESS) {
      return false; // Latin, Cyrillic, Arabic, Devanagari…: no script lookup for the common case
    }
    Character.UnicodeScript script = Character.UnicodeScript.of(text.codePointAt(at));
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.THAI;
  }

  private static Hit hit(Rule r, int start, int end, String label) {
    return new Hit(r.category(), r.id(), r.severity(), r.action(), r.reason(), start, end,
        label != null ? label : r.action() == Rule.Action.REDACT ? "redacted" : null);
  }

  /** Strongest action wins; personal data is removed and swear words masked whatever else fires. */
  private static Verdict decide(String text, List<Hit> hits) {
    List<Hit> protectedSpans = hits.stream().filter(h -> h.action() == Rule.Action.ALLOW).toList();
    List<Hit> dismissals = hits.stream().filter(h -> h.action() == Rule.Action.DISMISS).toList();
    List<Hit> kept = new ArrayList<>();
    for (Hit h : hits) {
      // A helpline protects only what it covers whole: "024" must not shield the phone number "024 412 3456".
      boolean shielded = (h.action() == Rule.Action.REDACT || h.action() == Rule.Action.MASK)
          && within(h, protectedSpans);
      // A story of past harm that is over ("when I was 8 he hit me, now I live with my aunt and I am safe") or
      // advice that quotes a grooming phrase withdraws only the findings of its category it covers whole: a harm
      // told outside it still alerts, and personal data is never withdrawn.
      boolean dismissed = h.action() != Rule.Action.DISMISS
          && within(h, dismissals.stream().filter(d -> d.category() == h.category()).toList());
      if (!shielded && !dismissed && h.action() != Rule.Action.DISMISS) {
        kept.add(h);
      }
    }
    Rule.Action action = Rule.Action.ALLOW;
    for (Hit h : kept) {
      if (h.action().compareTo(action) > 0) {
        action = h.action();
      }
    }
    // Rewrite the text: redactions (and masks) in order, merging overlaps; remember the shift for other spans.
    List<Hit> edits = kept.stream().filter(h -> h.action() == Rule.Action.REDACT || h.action() == Rule.Action.MASK)
        .sorted(Comparator.comparingInt(Hit::start).thenComparing(h -> -h.end())).toList();
    StringBuilder out = new StringBuilder(text.length());
    List<int[]> shifts = new ArrayList<>(); // {original position, new position}
    Set<String> labels = new LinkedHashSet<>();
    int at = 0;
    for (Hit e : edits) {
      if (e.start() < at) {
        continue; // overlaps an earlier edit
      }
      out.append(text, at, e.start());
      shifts.add(new int[] {e.start(), out.length()});
      if (e.action() == Rule.Action.REDACT) {
        out.append('[').append(e.label()).append(']');
        labels.add(e.label());
      } else {
        out.append(mask(text.substring(e.start(), e.end())));
      }
      at = e.end();
      shifts.add(new int[] {at, out.length()});
    }
    out.append(text, Math.min(at, text.length()), text.length());
    List<Finding> findings = new ArrayList<>();
    for (Hit h : kept) {
      if (h.action() == Rule.Action.ALLOW) {
        continue;
      }
      findings.add(new Finding(h.category(), h.ruleId(), h.severity(), h.action(), h.reason(),
          shift(shifts, h.start()), shift(shifts, h.end())));
    }
    // Two detectors may find the same thing (libphonenumber and the digit run): report it once.
    List<Finding> distinct = new ArrayList<>(new LinkedHashSet<>(findings));
    distinct.sort(Comparator.comparingInt(Finding::start));
    return new Verdict(action, List.copyOf(distinct), out.toString(), labels);
  }

  private static boolean within(Hit h, List<Hit> spans) {
    return spans.stream().anyMatch(p -> p.start() <= h.start() && h.end() <= p.end());
  }

  /** Where an original position lands in the rewritten text. */
  private static int shift(List<int[]> shifts, int position) {
    int delta = 0;
    for (int[] s : shifts) {
      if (s[0] > position) {
        break;
      }
      delta = s[1] - s[0];
    }
    return Math.max(0, position + delta);
  }

  /** "fuck" → "f***": the first letter stays so that the sentence still reads. */
  private static String mask(String word) {
    if (word.isEmpty()) {
      return word;
    }
    int first = Character.charCount(word.codePointAt(0));
    return word.substring(0, first) + "*".repeat(Math.max(1, word.codePointCount(first, word.length())));
  }
}
