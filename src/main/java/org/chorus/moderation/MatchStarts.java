package org.chorus.moderation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a match of a regex can begin: the characters its first character can be, each with the boundary the pattern
 * asserts before it ({@code (?<!\p{L})(?:where|what)…} begins only at a word's start with 'w'). {@link Matcher#find}
 * tries the whole pattern at every position of the text, which on a long message is most of a rule's cost;
 * {@link #find} tries it only where a match can begin, with {@link Matcher#lookingAt} over a region that starts there
 * (transparent bounds, so look-behinds still see the text before it): the same matches, found with a fraction of the
 * work. Read conservatively, like {@link RequiredLiterals}: a pattern this reader does not follow, or one that can match
 * the empty string, gets no starts and simply runs with {@link Matcher#find}.
 */
final class MatchStarts {
  /**
   * One way a match begins: the bound asserted at its start (null: none known), and what its first character can be:
   * one of {@code first} or of a class in {@code classes} ({@code first} null: any character).
   */
  private record Start(RequiredLiterals.Bound before, TreeSet<Character> first, List<RequiredLiterals.Bound> classes,
                       boolean atTextStart) {
    Start(RequiredLiterals.Bound before, TreeSet<Character> first) {
      this(before, first, List.of(), false);
    }
  }

  /** Whether a piece can match without reading a character: never, anywhere, or only at the text's start ("^"). */
  private enum Empty { NEVER, ANYWHERE, AT_TEXT_START }

  /**
   * What a piece of a pattern can begin with (a start marked {@code atTextStart} only at the text's start: it follows a
   * "^"), and whether it can match without reading a character.
   */
  private record Piece(List<Start> starts, Empty empty) {}

  private static final Piece ZERO_WIDTH = new Piece(List.of(), Empty.ANYWHERE);
  private static final Piece TEXT_START = new Piece(List.of(), Empty.AT_TEXT_START);
  private static final Piece ANY = new Piece(List.of(new Start(null, null)), Empty.NEVER);

  // per bound (null included), the characters a match may begin with after it: ASCII as a bitmap, the rest sorted
  private final RequiredLiterals.Bound[] bounds;
  private final long[] asciiLow;
  private final long[] asciiHigh;
  private final char[][] others;
  private final boolean[] anyChar;
  private final RequiredLiterals.Bound[][] classes;
  /** The ASCII characters any branch may begin with: most characters of a text are ruled out with this alone. */
  private long anyLow;
  private long anyHigh;
  /**
   * The same for the other BMP characters named in a branch, per block of 256 (null: none in the block), and whether a
   * branch may begin with a class or any character (then those are asked too).
   */
  private final long[][] otherBlocks = new long[256][];
  private boolean otherClasses;
  /**
   * For an ASCII character after an ASCII one (or at the text's start, row 128): whether a match may begin there, the
   * whole test answered in advance — two longs per preceding character, bit per character.
   */
  private final long[] asciiPairs = new long[129 * 2];
  /** A branch begins with "^": a match may begin at the text's start whatever its character. */
  private final boolean atTextStart;

  private MatchStarts(Map<RequiredLiterals.Bound, TreeSet<Character>> byBound,
                      Map<RequiredLiterals.Bound, List<RequiredLiterals.Bound>> classesByBound, boolean atTextStart) {
    this.atTextStart = atTextStart;
    int n = byBound.size();
    bounds = new RequiredLiterals.Bound[n];
    classes = new RequiredLiterals.Bound[n][];
    asciiLow = new long[n];
    asciiHigh = new long[n];
    others = new char[n][];
    anyChar = new boolean[n];
    int k = 0;
    for (var e : byBound.entrySet()) {
      bounds[k] = e.getKey();
      anyChar[k] = e.getValue() == null;
      classes[k] = classesByBound.getOrDefault(e.getKey(), List.of()).toArray(RequiredLiterals.Bound[]::new);
      List<Character> rest = new ArrayList<>();
      if (e.getValue() != null) {
        for (char c : e.getValue()) {
          if (c < 64) {
            asciiLow[k] |= 1L << c;
          } else if (c < 128) {
            asciiHigh[k] |= 1L << (c - 64);
          } else {
            rest.add(c);
          }
        }
      }
      others[k] = new char[rest.size()];
      for (int j = 0; j < rest.size(); j++) {
        others[k][j] = rest.get(j); // in order: the set is sorted
      }
      // the classes' ASCII characters join the bitmap: the classes are then asked only about the others
      for (char c = 0; c < 128; c++) {
        if (anyChar[k] || inClasses(classes[k], c)) {
          if (c < 64) {
            asciiLow[k] |= 1L << c;
          } else {
            asciiHigh[k] |= 1L << (c - 64);
          }
        }
      }
      anyLow |= asciiLow[k];
      anyHigh |= asciiHigh[k];
      for (char c : others[k]) {
        long[] block = otherBlocks[c >>> 8];
        if (block == null) {
          block = new long[4];
          otherBlocks[c >>> 8] = block;
        }
        block[(c >>> 6) & 3] |= 1L << (c & 63);
      }
      otherClasses |= anyChar[k] || classes[k].length > 0;
      k++;
    }
    // row 128 (the text's start): no bound applies; row p: each branch's characters less those p rules out
    for (int prev = 0; prev <= 128; prev++) {
      for (k = 0; k < n; k++) {
        long low = asciiLow[k];
        long high = asciiHigh[k];
        if (bounds[k] != null && prev < 128) {
          long[] excluded = bounds[k].excludedAsciiEdges((char) prev);
          low &= ~excluded[0];
          high &= ~excluded[1];
        }
        asciiPairs[prev * 2] |= low;
        asciiPairs[prev * 2 + 1] |= high;
      }
    }
  }

  /**
   * The starts of {@code pattern}, or null when they are not known (a flag or construct this reader does not follow, a
   * pattern that can match the empty string, or one that can begin anywhere). {@code canonical} gives one instance of
   * each bound (it caches what it has judged).
   */
  static MatchStarts of(Pattern pattern, UnaryOperator<RequiredLiterals.Bound> canonical) {
    // (UNICODE_CHARACTER_CLASS brings UNICODE_CASE, which changes nothing without CASE_INSENSITIVE)
    int unsupported = Pattern.CASE_INSENSITIVE | Pattern.COMMENTS | Pattern.LITERAL | Pattern.CANON_EQ | Pattern.MULTILINE
        | Pattern.DOTALL | Pattern.UNIX_LINES;
    if ((pattern.flags() & unsupported) != 0) {
      return null;
    }
    Piece piece;
    try {
      Reader r = new Reader(pattern.pattern(), pattern.flags());
      piece = r.alternation();
      if (r.i != r.p.length()) {
        return null;
      }
    } catch (RuntimeException e) {
      return null;
    }
    if (piece.empty() != Empty.NEVER || piece.starts().isEmpty()) {
      return null;
    }
    Map<RequiredLiterals.Bound, TreeSet<Character>> byBound = new LinkedHashMap<>();
    Map<RequiredLiterals.Bound, List<RequiredLiterals.Bound>> classes = new LinkedHashMap<>();
    boolean atTextStart = false;
    for (Start s : piece.starts()) {
      if (s.atTextStart()) {
        atTextStart = true; // after "^": the text's start, whatever its first character
        continue;
      }
      RequiredLiterals.Bound b = s.before() == null ? null : canonical.apply(s.before());
      if (b == null && s.first() == null) {
        return null; // may begin anywhere
      }
      if (byBound.containsKey(b) && byBound.get(b) == null) {
        continue;
      }
      if (s.first() == null) {
        byBound.put(b, null);
        classes.remove(b);
      } else {
        byBound.computeIfAbsent(b, k -> new TreeSet<>()).addAll(s.first());
        for (RequiredLiterals.Bound cls : s.classes()) {
          RequiredLiterals.Bound one = canonical.apply(cls);
          List<RequiredLiterals.Bound> list = classes.computeIfAbsent(b, k -> new ArrayList<>());
          if (!list.contains(one)) {
            list.add(one);
          }
        }
      }
    }
    MatchStarts starts = new MatchStarts(byBound, classes, atTextStart);
    return starts.dense() || beginsWithLiteral(pattern.pattern()) ? null : starts;
  }

  /**
   * Whether the starts let most positions of a Latin text through (a branch that may begin with most letters, anywhere in
   * a word): trying the pattern at each of them costs more than {@link Matcher#find}'s own loop.
   */
  private boolean dense() {
    for (int k = 0; k < bounds.length; k++) {
      if (bounds[k] != null && bounds[k].excludes('a', 'a') && bounds[k].excludes('z', 'z')) {
        continue; // only at the start of a word
      }
      int letters = 0;
      for (char c = 'a'; c <= 'z'; c++) {
        letters += anyChar[k] || (asciiLow[k] & (1L << c)) != 0 || (c >= 64 && (asciiHigh[k] & (1L << (c - 64))) != 0)
            || inClasses(classes[k], c) ? 1 : 0;
      }
      if (letters >= 13) {
        return true;
      }
    }
    return false;
  }

  /**
   * A pattern that begins with four plain characters: {@link Pattern} then looks for them with Boyer–Moore, faster than
   * trying each position.
   */
  private static boolean beginsWithLiteral(String pattern) {
    int plain = 0;
    for (int k = 0; k < pattern.length() && plain < 5; k++) {
      if ("\\[](){}.*+?^$|".indexOf(pattern.charAt(k)) >= 0) {
        // a quantifier after the fourth character takes it back
        return plain > 4 || plain == 4 && "*+?{".indexOf(pattern.charAt(k)) < 0;
      }
      plain++;
    }
    return plain >= 5 || plain == 4 && pattern.length() == 4;
  }

  /** Whether a match may begin at {@code at} of {@code text} (a position before its end). */
  boolean mayStartAt(String text, int at) {
    if (at == 0 && atTextStart) {
      return true;
    }
    char c = text.charAt(at);
    if (c < 128 ? ((c < 64 ? anyLow >>> c : anyHigh >>> (c - 64)) & 1L) == 0 : !otherClasses && !namedOther(c)) {
      return false;
    }
    return fits(at == 0 ? -1 : text.charAt(at - 1), c);
  }

  /** {@link #mayStartAt}, past the test on the character alone: {@code before} is the character before (-1: none). */
  private boolean fits(int before, char c) {
    boolean ascii = c < 128;
    for (int k = 0; k < bounds.length; k++) {
      boolean first = ascii ? ((c < 64 ? asciiLow[k] >>> c : asciiHigh[k] >>> (c - 64)) & 1L) != 0
          : anyChar[k] || java.util.Arrays.binarySearch(others[k], c) >= 0 || inClasses(classes[k], c);
      if (!first) {
        continue;
      }
      RequiredLiterals.Bound b = bounds[k];
      if (b == null || before < 0 || !b.excludes((char) before, c)) {
        return true;
      }
    }
    return false;
  }

  /** The first position from {@code from} where a match may begin, or -1. */
  int next(String text, int from) {
    if (from == 0 && atTextStart && !text.isEmpty()) {
      return 0;
    }
    // the test on the character alone, inline: it rules out most positions
    long low = anyLow;
    long high = anyHigh;
    boolean classesOrAny = otherClasses;
    long[] pairs = asciiPairs;
    for (int at = from, n = text.length(); at < n; at++) {
      char c = text.charAt(at);
      if (c < 128) {
        int before = at == 0 ? 128 : text.charAt(at - 1);
        if (before <= 128) {
          if (((pairs[before * 2 + (c >>> 6)] >>> (c & 63)) & 1L) != 0) {
            return at;
          }
          continue;
        }
        if (((c < 64 ? low >>> c : high >>> (c - 64)) & 1L) == 0) {
          continue;
        }
      } else if (!classesOrAny && !namedOther(c)) {
        continue;
      }
      if (fits(at == 0 ? -1 : text.charAt(at - 1), c)) {
        return at;
      }
    }
    return -1;
  }

  private boolean namedOther(char c) {
    long[] block = otherBlocks[c >>> 8];
    return block != null && ((block[(c >>> 6) & 3] >>> (c & 63)) & 1L) != 0;
  }

  private static boolean inClasses(RequiredLiterals.Bound[] classes, char c) {
    for (RequiredLiterals.Bound cls : classes) {
      if (cls.inClass(c)) {
        return true;
      }
    }
    return false;
  }

  /** Receives each match, as {@link Matcher#find} would give it. */
  interface MatchConsumer {
    void accept(Matcher m);
  }

  /**
   * Every match of {@code m}'s pattern in {@code text} (the text {@code m} reads), in order: what a loop over
   * {@link Matcher#find} gives, trying the pattern only where a match may begin. {@code starts} null: that loop itself.
   */
  static void find(MatchStarts starts, Matcher m, String text, MatchConsumer each) {
    Finder f = new Finder(starts, m, text);
    while (f.find()) {
      each.accept(m);
    }
  }

  /** {@link Matcher#find()} one match at a time, trying the pattern only where a match may begin (see {@link #find}). */
  static final class Finder {
    private final MatchStarts starts;
    private final Matcher m;
    private final String text;
    /** Where to look next (negative: nowhere), once {@link #started}. */
    private int at;
    private boolean started;

    Finder(MatchStarts starts, Matcher m, String text) {
      this.starts = starts;
      this.m = m;
      this.text = text;
    }

    /** The next match, as {@link Matcher#find()} gives it: false when there is none. */
    boolean find() {
      if (starts == null) {
        return m.find();
      }
      int n = text.length();
      if (!started) {
        started = true;
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        at = starts.next(text, 0);
      }
      while (at >= 0) {
        m.region(at, n);
        if (m.lookingAt()) {
          // where find() would go on: after the match (one further after an empty one)
          int after = m.end() == m.start() ? m.end() + 1 : m.end();
          at = after < n ? starts.next(text, after) : -1;
          return true;
        }
        at = starts.next(text, at + 1);
      }
      return false;
    }
  }

  /** Reads a pattern for its starts. */
  private static final class Reader {
    final String p;
    final int flags;
    int i;

    Reader(String p, int flags) {
      this.p = p;
      this.flags = flags;
    }

    Piece alternation() {
      List<Start> starts = new ArrayList<>();
      Empty empty = Empty.NEVER;
      while (true) {
        Piece b = sequence();
        starts.addAll(b.starts());
        if (b.empty() == Empty.ANYWHERE || b.empty() == Empty.AT_TEXT_START && empty == Empty.NEVER) {
          empty = b.empty();
        }
        if (i < p.length() && p.charAt(i) == '|') {
          i++;
          continue;
        }
        return new Piece(starts, empty);
      }
    }

    /**
     * The starts of the first atom that must read a character, and of the optional ones before it; a boundary asserted
     * before them holds at the match's start.
     */
    Piece sequence() {
      List<Start> starts = new ArrayList<>();
      RequiredLiterals.Bound before = null;
      boolean anchored = false; // past a piece that is empty only at the text's start: the match begins there
      while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
        int[] end = new int[1];
        RequiredLiterals.Bound b = RequiredLiterals.boundAt(p, flags, i, end);
        if (b != null) {
          i = end[0];
          if (b.before && before == null) {
            before = b;
          }
          continue;
        }
        Piece atom = quantified(atom());
        for (Start s : atom.starts()) {
          starts.add(new Start(s.before() == null ? before : s.before(), s.first(), s.classes(), s.atTextStart() || anchored));
        }
        if (atom.empty() == Empty.NEVER) {
          skipRest();
          return new Piece(starts, Empty.NEVER);
        }
        anchored |= atom.empty() == Empty.AT_TEXT_START;
      }
      return new Piece(starts, anchored ? Empty.AT_TEXT_START : Empty.ANYWHERE);
    }

    /** Past the rest of a branch once its start is known (still checking that it is well formed). */
    private void skipRest() {
      while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
        int[] end = new int[1];
        if (RequiredLiterals.boundAt(p, flags, i, end) != null) {
          i = end[0];
          continue;
        }
        quantified(atom());
      }
    }

    private Piece quantified(Piece atom) {
      RequiredLiterals.Quantifier q = RequiredLiterals.Quantifier.at(p, i);
      if (q == null) {
        return atom;
      }
      i = q.end();
      return q.min() == 0 ? new Piece(atom.starts(), Empty.ANYWHERE) : atom;
    }

    private Piece atom() {
      char c = p.charAt(i);
      switch (c) {
        case '(' -> {
          return group();
        }
        case '[' -> {
          return characterClass(RequiredLiterals.classEnd(p, i));
        }
        case '.' -> {
          i++;
          return ANY;
        }
        case '^' -> {
          i++;
          return TEXT_START; // without MULTILINE (refused), and with the region's anchoring bounds off
        }
        case '$' -> {
          i++;
          return ZERO_WIDTH;
        }
        case '\\' -> {
          return escape();
        }
        case '*', '+', '?', '{', ')' -> throw new IllegalArgumentException("unexpected " + c);
        default -> {
          i++;
          if (Character.isHighSurrogate(c) && i < p.length() && Character.isLowSurrogate(p.charAt(i))) {
            i++; // one code point: a quantifier after it applies to both halves
          }
          return literal(c);
        }
      }
    }

    /** The class from {@code i} to {@code end}: a match may begin with any character in it. */
    private Piece characterClass(int end) {
      RequiredLiterals.Bound cls = RequiredLiterals.Bound.ofClass(p.substring(i, end), flags);
      i = end;
      return cls == null ? ANY : new Piece(List.of(new Start(null, new TreeSet<>(), List.of(cls), false)), Empty.NEVER);
    }

    private static Piece literal(char c) {
      TreeSet<Character> first = new TreeSet<>();
      first.add(c);
      return new Piece(List.of(new Start(null, first)), Empty.NEVER);
    }

    private Piece group() {
      if (p.startsWith("(?=", i) || p.startsWith("(?!", i) || p.startsWith("(?<=", i) || p.startsWith("(?<!", i)) {
        i = RequiredLiterals.groupEnd(p, i); // a look-around reads nothing
        return ZERO_WIDTH;
      }
      i++;
      if (p.startsWith("?:", i)) {
        i += 2;
      } else if (p.startsWith("?<", i)) {
        int close = p.indexOf('>', i);
        if (close < 0 || !p.substring(i + 2, close).matches("[a-zA-Z][a-zA-Z0-9]*")) {
          throw new IllegalArgumentException("group name");
        }
        i = close + 1;
      } else if (p.startsWith("?", i)) {
        throw new IllegalArgumentException("flags, atomic or other group kinds");
      }
      Piece inner = alternation();
      if (i >= p.length() || p.charAt(i) != ')') {
        throw new IllegalArgumentException("unclosed group");
      }
      i++;
      return inner;
    }

    private Piece escape() {
      if (i + 1 >= p.length()) {
        throw new IllegalArgumentException("trailing backslash");
      }
      char n = p.charAt(i + 1);
      i += 2;
      switch (n) {
        case 'A' -> {
          return TEXT_START;
        }
        case 'b', 'B', 'z', 'Z' -> {
          return ZERO_WIDTH;
        }
        case 'p', 'P', 'w', 'd' -> {
          i -= 2;
          int end = RequiredLiterals.classAtomEnd(p, i);
          if (end < 0) {
            throw new IllegalArgumentException("property");
          }
          return characterClass(end);
        }
        case 'W', 'D', 's', 'S', 'h', 'H', 'v', 'V', 'R', 'X', 't', 'n', 'r', 'f', 'a', 'e' -> {
          return ANY;
        }
        default -> {
          if (Character.isLetterOrDigit(n)) {
            // back references (may be empty), G, Q…E, x, u, c, N, k, octal escapes: not followed
            throw new IllegalArgumentException("escape \\" + n);
          }
          return literal(n); // \. \( \| …
        }
      }
    }
  }
}
