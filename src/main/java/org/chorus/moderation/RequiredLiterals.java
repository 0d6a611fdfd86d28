package org.chorus.moderation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds, for a regular expression, a set of literal strings of which every match must contain at least
 * one (e.g. {@code \b(my|our) (\w+ ){0,2}hits? me\b} → {"hit"}). The rule set puts these into one
 * Aho–Corasick pass and runs only the regexes whose literals occur: the approach of RE2/Hyperscan
 * prefilters, done conservatively — whenever the pattern uses something this reader does not follow,
 * it answers "none" and the regex simply always runs.
 */
final class RequiredLiterals {
  /** Literals shorter than this filter too little to be worth it. */
  static final int MIN_LENGTH = 2;
  private static final int MAX_ALTERNATIVES = 64;

  private final String p;
  private int i;
  /**
   * With {@link #boundedWays}: the pattern's flags (the boundary assertions are read with them), and the assertions met,
   * each written into a literal as one private-use character before or after its text (see {@link Bound}).
   */
  private final int flags;
  private final boolean bounded;
  private final List<Bound> bounds = new ArrayList<>();

  private RequiredLiterals(String pattern) {
    this(pattern, 0, false);
  }

  private RequiredLiterals(String pattern, int flags, boolean bounded) {
    this.p = pattern;
    this.flags = flags;
    this.bounded = bounded;
  }

  /** The required literals, or null when the regex must always run. */
  static Set<String> of(String pattern) {
    Node n = parse(pattern);
    return n == null ? null : usable(n.required());
  }

  /**
   * The ways a match can be made, each as the sets of literals it needs at once: every match contains a literal of
   * each set of at least one way. {@code my (snap|insta) is|add me} → [{"my "}, {"snap"}, {" is"}] or [{"my "},
   * {"insta"}, {" is"}] or [{"add me"}]. A way with no set means nothing is known (the regex may match anything). A message must satisfy a
   * way for the regex to be worth running: a stronger filter than {@link #of}, which names one set for the whole regex.
   */
  static List<List<Set<String>>> ways(String pattern) {
    Node n = parse(pattern);
    if (n == null) {
      return List.of(List.of());
    }
    List<List<Set<String>>> out = new ArrayList<>();
    for (List<Set<String>> way : n.ways()) {
      List<Set<String>> sets = new ArrayList<>();
      for (Set<String> set : way) {
        Set<String> usable = usable(set);
        if (usable != null && !sets.contains(usable)) {
          sets.add(usable);
        }
      }
      out.add(sets);
    }
    return out;
  }

  private static Node parse(String pattern) {
    return parse(new RequiredLiterals(pattern));
  }

  private static Node parse(RequiredLiterals r) {
    try {
      Node n = r.alternation(null, null);
      return r.i == r.p.length() ? n : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The length of a literal string without the marks of its bounds (see {@link #withBounds}). */
  private static int textLength(String s) {
    int n = 0;
    for (int k = 0; k < s.length(); k++) {
      n += isMark(s.charAt(k)) ? 0 : 1;
    }
    return n;
  }

  /** The set, unless it says nothing or holds a literal too short to filter. */
  private static Set<String> usable(Set<String> req) {
    return usable(req, false);
  }

  /** As {@link #usable(Set)}; {@code marked}: its strings may hold the marks of bounds, which are no text. */
  private static Set<String> usable(Set<String> req, boolean marked) {
    if (req == null || req.isEmpty() || req.stream().anyMatch(s -> (marked ? textLength(s) : s.length()) < MIN_LENGTH)) {
      return null;
    }
    return req;
  }

  /** More ways than this (alternatives multiplied along a sequence) fall back to the piece's single required set. */
  private static final int MAX_WAYS = 32;
  private static final List<List<Set<String>>> UNKNOWN = List.of(List.of());

  /**
   * A parsed piece: its exact literal when it is one, the most selective set of literals any match of it must contain,
   * and the ways it can match, each with the sets of literals it needs at once (see {@link #ways(String)}; null when
   * they follow from the rest).
   */
  private record Node(String exact, Set<String> req, boolean optional, List<List<Set<String>>> alternatives,
                      String boundedExact) {
    Node(String exact, Set<String> req, boolean optional) {
      this(exact, req, optional, null, exact);
    }

    Node(String exact, Set<String> req, boolean optional, List<List<Set<String>>> alternatives) {
      this(exact, req, optional, alternatives, exact);
    }

    List<List<Set<String>>> ways() {
      if (optional) {
        return UNKNOWN;
      }
      if (exact != null) {
        return exact.isEmpty() ? UNKNOWN : List.of(List.of(Set.of(boundedExact)));
      }
      if (alternatives != null) {
        return alternatives;
      }
      return req == null ? UNKNOWN : List.of(List.of(req));
    }

    Set<String> required() {
      if (optional) {
        return null;
      }
      if (exact != null) {
        return exact.isEmpty() ? null : Set.of(boundedExact);
      }
      return req;
    }
  }

  private static final Node ANY = new Node(null, null, false);
  private static final Node EMPTY = new Node("", null, false);

  /**
   * {@code left}, {@code right}: what the pattern asserts about the characters just before and just after this piece
   * (null when nothing is known or not {@link #bounded}); handed on to the literals at its edges.
   */
  private Node alternation(Bound left, Bound right) {
    Set<String> union = new HashSet<>();
    boolean anyBranchWithout = false;
    int branches = 0;
    Node single = null;
    List<List<Set<String>>> ways = new ArrayList<>();
    List<Node> branchNodes = new ArrayList<>();
    while (true) {
      Node b = sequence(left, right);
      branchNodes.add(b);
      ways.addAll(b.ways());
      branches++;
      single = b;
      Set<String> r = b.required();
      if (r == null) {
        anyBranchWithout = true;
      } else {
        union.addAll(r);
      }
      if (i < p.length() && p.charAt(i) == '|') {
        i++;
        continue;
      }
      break;
    }
    if (branches == 1) {
      return single;
    }
    Set<String> req = anyBranchWithout || union.size() > MAX_ALTERNATIVES ? null : union;
    if (ways.size() > MAX_WAYS) {
      // too many: each branch keeps one way, what all its ways need
      ways.clear();
      for (Node b : branchNodes) {
        ways.add(oneWay(b.ways(), b.required()));
      }
    }
    return new Node(null, req, false, ways.size() > MAX_WAYS ? null : ways);
  }

  private Node sequence(Bound left, Bound right) {
    StringBuilder run = new StringBuilder();
    Set<String> best = null;
    List<List<Set<String>>> ways = UNKNOWN;
    boolean allExact = true;
    Bound pending = left; // holds at the current position while nothing has been read since it was asserted
    Bound runLeft = null; // holds just before the run
    Bound runRight = null; // holds just after the run read so far
    while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
      int[] end = new int[1];
      Bound assertion = bounded ? boundAt(i, end) : null;
      if (assertion != null) {
        // zero-width: "\b", "(?<!\p{L})" before the next literal, "(?!\p{L})" after the one just read
        i = end[0];
        if (run.length() == 0 && assertion.before) {
          pending = assertion;
        } else if (run.length() > 0 && assertion.after) {
          runRight = assertion;
        }
        continue;
      }
      Node atom;
      if (p.charAt(i) == '(') {
        atom = group(run.length() == 0 ? pending : null, bounded ? boundAfterGroup(i, right) : null);
      } else {
        atom = atom();
      }
      atom = quantified(atom);
      if (atom.exact() != null && !atom.optional()) {
        if (!atom.exact().isEmpty()) {
          if (run.length() == 0) {
            runLeft = pending;
            pending = null;
          }
          runRight = null; // the run goes on past the assertion
        }
        run.append(atom.exact());
        continue;
      }
      allExact = false;
      String literal = withBounds(run, runLeft, runRight);
      if (run.length() > 0) {
        ways = bothNeeded(ways, List.of(List.of(Set.of(literal))), null);
      }
      best = better(best, run.length() > 0 ? Set.of(literal) : null);
      run.setLength(0);
      pending = null;
      best = better(best, atom.required());
      ways = bothNeeded(ways, atom.ways(), atom.required());
    }
    if (run.length() > 0 && runRight == null) {
      runRight = right; // the run ends the piece
    }
    String literal = withBounds(run, runLeft, runRight);
    if (allExact) {
      return new Node(run.toString(), null, false, null, literal);
    }
    if (run.length() > 0) {
      ways = bothNeeded(ways, List.of(List.of(Set.of(literal))), null);
    }
    best = better(best, run.length() > 0 ? Set.of(literal) : null);
    return new Node(null, best, false, ways);
  }

  /**
   * The ways of a sequence so far followed by a piece: each way of one with each way of the other. When that makes too
   * many, the piece counts as one way (see {@link #oneWay}).
   */
  private static List<List<Set<String>>> bothNeeded(List<List<Set<String>>> before, List<List<Set<String>>> piece,
                                                    Set<String> pieceRequired) {
    if (before.size() * piece.size() > MAX_WAYS) {
      piece = List.of(oneWay(piece, pieceRequired));
    }
    List<List<Set<String>>> out = new ArrayList<>();
    for (List<Set<String>> a : before) {
      for (List<Set<String>> b : piece) {
        List<Set<String>> way = new ArrayList<>(a);
        way.addAll(b);
        out.add(way);
      }
    }
    return out;
  }

  /** One way standing for several: the sets every one of them needs, and {@code required} (null when none). */
  private static List<Set<String>> oneWay(List<List<Set<String>>> ways, Set<String> required) {
    List<Set<String>> common = new ArrayList<>(ways.get(0));
    for (List<Set<String>> way : ways) {
      common.retainAll(way);
    }
    if (required != null && !common.contains(required)) {
      common.add(required);
    }
    return common;
  }

  /** Prefers the set whose shortest literal is longest (filters best). */
  private static Set<String> better(Set<String> a, Set<String> b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    int ma = a.stream().mapToInt(String::length).min().orElse(0);
    int mb = b.stream().mapToInt(String::length).min().orElse(0);
    return mb > ma ? b : a;
  }

  /** A quantifier in a pattern: the fewest repeats it allows, and the index just after it (a lazy or possessive mark included). */
  record Quantifier(int min, int end) {
    /** The quantifier that starts at {@code at} in {@code p}, or null when none does. */
    static Quantifier at(String p, int at) {
      if (at >= p.length()) {
        return null;
      }
      char c = p.charAt(at);
      int min;
      int end;
      if (c == '?' || c == '*') {
        min = 0;
        end = at + 1;
      } else if (c == '+') {
        min = 1;
        end = at + 1;
      } else if (c == '{') {
        int close = p.indexOf('}', at);
        String inside = p.substring(at + 1, close);
        if (!inside.matches("\\d+(,\\d*)?")) {
          throw new IllegalArgumentException("brace");
        }
        min = Integer.parseInt(inside.split(",")[0]);
        end = close + 1;
      } else {
        return null;
      }
      if (end < p.length() && (p.charAt(end) == '?' || p.charAt(end) == '+')) {
        end++; // lazy or possessive: the same literals and starts
      }
      return new Quantifier(min, end);
    }
  }

  private Node quantified(Node atom) {
    Quantifier q = Quantifier.at(p, i);
    if (q == null) {
      return atom;
    }
    i = q.end();
    if (q.min() == 0) {
      return new Node(null, null, true);
    }
    // Repeated at least once: it still contains what the atom contains, but is no longer one exact string.
    return new Node(null, atom.required(), false, atom.ways());
  }

  private Node atom() {
    char c = p.charAt(i);
    switch (c) {
      case '(' -> {
        return group(null, null);
      }
      case '[' -> {
        skipClass();
        return ANY;
      }
      case '.', '^', '$' -> {
        i++;
        return c == '.' ? ANY : EMPTY;
      }
      case '\\' -> {
        return escape();
      }
      case '*', '+', '?', '{' -> throw new IllegalArgumentException("dangling quantifier");
      default -> {
        i++;
        return new Node(String.valueOf(c), null, false);
      }
    }
  }

  /** A group; {@code left}/{@code right}: what holds around it (see {@link #alternation}), unless it is repeated. */
  private Node group(Bound left, Bound right) {
    if ((left != null || right != null) && isQuantifier(groupEnd(i))) {
      // repeated or optional: a literal at its edge may stand next to another repetition
      left = null;
      right = null;
    }
    i++; // (
    boolean lookaround = false;
    if (p.startsWith("?:", i)) {
      i += 2;
    } else if (p.startsWith("?=", i) || p.startsWith("?!", i)) {
      i += 2;
      lookaround = true;
    } else if (p.startsWith("?<=", i) || p.startsWith("?<!", i)) {
      i += 3;
      lookaround = true;
    } else if (p.startsWith("?<", i)) {
      int close = p.indexOf('>', i);
      i = close + 1;
    } else if (p.startsWith("?", i)) {
      throw new IllegalArgumentException("flags or other group kinds");
    }
    Node inner = lookaround ? alternation(null, null) : alternation(left, right);
    if (i >= p.length() || p.charAt(i) != ')') {
      throw new IllegalArgumentException("unclosed group");
    }
    i++;
    return lookaround ? EMPTY : inner;
  }

  private Node escape() {
    char n = p.charAt(i + 1);
    i += 2;
    if (n == 'p' || n == 'P') {
      if (i < p.length() && p.charAt(i) == '{') {
        i = p.indexOf('}', i) + 1;
      } else {
        i++;
      }
      return ANY;
    }
    if (n == 'b' || n == 'B' || n == 'A' || n == 'z' || n == 'Z' || n == 'G') {
      return EMPTY;
    }
    if (Character.isLetterOrDigit(n)) {
      return ANY; // word, space and digit classes, back references, code points
    }
    return new Node(String.valueOf(n), null, false); // \. \| \( …
  }

  private void skipClass() {
    i = classEnd(i);
  }

  /** The index just after the character class that opens at {@code at}. */
  private int classEnd(int at) {
    return closeOf(at, '[', ']');
  }

  /** The index just after the group that opens at {@code at}. */
  private int groupEnd(int at) {
    return closeOf(at, '(', ')');
  }

  /**
   * The index just after the bracket that closes the one at {@code at}: escapes are skipped, and inside a group a
   * whole character class is skipped too (a ')' in a class closes nothing).
   */
  private int closeOf(int at, char open, char close) {
    int k = at;
    int depth = 0;
    while (k < p.length()) {
      char c = p.charAt(k);
      if (c == '\\') {
        k += 2;
        continue;
      }
      if (open == '(' && c == '[') {
        k = classEnd(k);
        continue;
      }
      if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return k + 1;
      }
      k++;
    }
    throw new IllegalArgumentException(open == '[' ? "unclosed class" : "unclosed group");
  }

  // --- Boundaries: what a pattern asserts next to a literal, for boundedWays ---

  /**
   * What the pattern asserts about the character next to a literal: that it is not of a class ({@code (?<!\p{L})} before
   * it, {@code (?![\p{L}\p{M}])} after it), or that there is a word boundary ({@code \b}). A literal found with such a
   * character beside it cannot be the one a match contains ("ig" in "night" for {@code (?<!\p{L})(?:ig|insta)…}).
   * Judged the way {@link java.util.regex.Pattern} judges it, on the one character beside the literal; a surrogate is
   * never judged (the literal counts as found).
   */
  static final class Bound {
    /** The class ({@code \p{L}}, {@code [\p{L}\p{M}]}), or null for {@code \b}. */
    private final String cls;
    private final int flags;
    private final Pattern pattern;
    final boolean before;
    final boolean after;
    /**
     * Per BMP character: 0 not yet asked, 1 in the class, 2 not (filled as characters are met; a thread that does not yet
     * see another's entry or array only asks again and writes the same).
     */
    private byte[] cache;

    private Bound(String cls, int flags, boolean before, boolean after) {
      this.cls = cls;
      this.flags = flags;
      this.pattern = cls == null ? null : Pattern.compile(cls, flags);
      this.before = before;
      this.after = after;
    }

    /** One character class ({@code [.!?]}, {@code \\p{L}}) for {@link #inClass}; null when it does not compile alone. */
    static Bound ofClass(String cls, int flags) {
      try {
        return new Bound(cls, flags, false, false);
      } catch (RuntimeException e) {
        return null;
      }
    }

    /** True when {@code neighbour} beside a literal whose edge character is {@code edge} rules the match out. */
    boolean excludes(char neighbour, char edge) {
      if (Character.isSurrogate(neighbour)) {
        return false;
      }
      if (pattern == null) {
        // \b between two word characters is no boundary (letters, digits and '_' are word characters in any mode)
        return isWord(neighbour) && isWord(edge);
      }
      return matches(neighbour);
    }

    /**
     * The ASCII edge characters that {@code neighbour} rules out (as {@link #excludes} answers), as two 64-bit masks:
     * for building tables.
     */
    long[] excludedAsciiEdges(char neighbour) {
      long[][] known = asciiExcluded;
      if (known == null) {
        known = new long[128][];
        asciiExcluded = known;
      }
      long[] out = neighbour < 128 ? known[neighbour] : null;
      if (out == null) {
        out = new long[2];
        for (char c = 0; c < 128; c++) {
          if (excludes(neighbour, c)) {
            out[c >>> 6] |= 1L << (c & 63);
          }
        }
        if (neighbour < 128) {
          known[neighbour] = out;
        }
      }
      return out;
    }

    /** {@link #excludedAsciiEdges} per ASCII neighbour, as asked (shared by every pattern with this bound). */
    private long[][] asciiExcluded;

    /** Whether {@code c} may be in the class: a surrogate may (half of a character outside the BMP is not judged). */
    boolean inClass(char c) {
      return Character.isSurrogate(c) || matches(c);
    }

    private boolean matches(char neighbour) {
      byte[] c = cache;
      if (c == null) {
        c = new byte[0x10000];
        cache = c;
      }
      byte known = c[neighbour];
      if (known == 0) {
        known = pattern.matcher(String.valueOf(neighbour)).matches() ? (byte) 1 : (byte) 2;
        c[neighbour] = known;
      }
      return known == 1;
    }

    private static boolean isWord(char c) {
      return c == '_' || Character.isLetterOrDigit(c);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Bound b && java.util.Objects.equals(cls, b.cls) && flags == b.flags && before == b.before
          && after == b.after;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(cls, flags, before, after);
    }

    @Override
    public String toString() {
      return cls == null ? "\\b" : before ? "(?<!" + cls + ")" : after ? "(?!" + cls + ")" : cls;
    }
  }

  /**
   * A literal of {@link #boundedWays}: its text, and what must hold of the character just before and just after it (null
   * when nothing is known).
   */
  record Literal(String text, Bound before, Bound after) {
    /** Whether the occurrence of {@link #text} at [start, end) of {@code in} may be the one a match contains. */
    boolean fitsAt(String in, int start, int end) {
      return (before == null || start == 0 || !before.excludes(in.charAt(start - 1), text.charAt(0)))
          && (after == null || end == in.length() || !after.excludes(in.charAt(end), text.charAt(text.length() - 1)));
    }

    @Override
    public String toString() {
      return (before == null ? "" : before.toString()) + text + (after == null ? "" : after.toString());
    }
  }

  /** Bounds are written into literal strings as one private-use character each: before ones from here… */
  private static final char BEFORE_MARK = '\uE000';
  /** … after ones from here, up to {@link #MARK_END}. */
  private static final char AFTER_MARK = '\uE800';
  private static final char MARK_END = '\uF000';

  private static boolean isMark(char c) {
    return c >= BEFORE_MARK && c < MARK_END;
  }

  /**
   * As {@link #ways(String)}, with the boundaries the pattern asserts at the edges of each literal: a literal found inside
   * a longer word does not count when the pattern wants it at a word's edge. Reads {@code \b} only for a pattern with
   * {@link Pattern#UNICODE_CHARACTER_CLASS} (where every letter is a word character).
   */
  static List<List<Set<Literal>>> boundedWays(Pattern pattern) {
    String source = pattern.pattern();
    boolean marksFree = source.chars().noneMatch(c -> isMark((char) c));
    RequiredLiterals r = new RequiredLiterals(source, pattern.flags(), marksFree);
    Node n = parse(r);
    if (n == null) {
      return List.of(List.of());
    }
    List<List<Set<Literal>>> out = new ArrayList<>();
    for (List<Set<String>> way : n.ways()) {
      List<Set<Literal>> sets = new ArrayList<>();
      for (Set<String> set : way) {
        Set<String> usable = usable(set, r.bounded);
        if (usable == null) {
          continue;
        }
        Set<Literal> literals = new java.util.LinkedHashSet<>();
        for (String s : usable) {
          literals.add(r.decode(s));
        }
        if (!sets.contains(literals)) {
          sets.add(literals);
        }
      }
      out.add(sets);
    }
    return out;
  }

  private Literal decode(String s) {
    int from = 0;
    int to = s.length();
    Bound before = null;
    Bound after = null;
    if (bounded && to > 0 && s.charAt(0) >= BEFORE_MARK && s.charAt(0) < AFTER_MARK) {
      before = bounds.get(s.charAt(0) - BEFORE_MARK);
      from = 1;
    }
    if (bounded && to > from && s.charAt(to - 1) >= AFTER_MARK && s.charAt(to - 1) < MARK_END) {
      after = bounds.get(s.charAt(to - 1) - AFTER_MARK);
      to--;
    }
    return new Literal(s.substring(from, to), before, after);
  }

  /** The run as a literal string, with a mark for each bound that holds beside it. */
  private String withBounds(StringBuilder run, Bound left, Bound right) {
    if (!bounded || run.length() == 0 || (left == null && right == null)) {
      return run.toString();
    }
    StringBuilder b = new StringBuilder(run.length() + 2);
    if (left != null) {
      b.append((char) (BEFORE_MARK + index(left)));
    }
    b.append(run);
    if (right != null) {
      b.append((char) (AFTER_MARK + index(right)));
    }
    return b.toString();
  }

  private int index(Bound bound) {
    int at = bounds.indexOf(bound);
    if (at < 0) {
      if (bounds.size() == AFTER_MARK - BEFORE_MARK) {
        throw new IllegalArgumentException("too many bounds"); // the pattern is then simply read without them
      }
      bounds.add(bound);
      at = bounds.size() - 1;
    }
    return at;
  }

  /** {@link #boundAt(int, int[])} for another reader of patterns ({@link MatchStarts}). */
  static Bound boundAt(String pattern, int flags, int at, int[] end) {
    return new RequiredLiterals(pattern, flags, true).boundAt(at, end);
  }

  /** {@link #groupEnd(int)} for another reader of patterns. */
  static int groupEnd(String pattern, int at) {
    return new RequiredLiterals(pattern).groupEnd(at);
  }

  /** {@link #classEnd(int)} for another reader of patterns. */
  static int classEnd(String pattern, int at) {
    return new RequiredLiterals(pattern).classEnd(at);
  }

  /**
   * The boundary assertion at {@code at}, if it is one this reader follows: {@code \b} (with
   * {@link Pattern#UNICODE_CHARACTER_CLASS}), {@code (?<!CLASS)} or {@code (?!CLASS)} with one character class and no
   * quantifier after it; {@code end[0]} is set to the index after it.
   */
  private Bound boundAt(int at, int[] end) {
    if (p.startsWith("\\b", at)) {
      int after = at + 2;
      if ((flags & Pattern.UNICODE_CHARACTER_CLASS) == 0 || isQuantifier(after)) {
        return null;
      }
      end[0] = after;
      return new Bound(null, flags, true, true);
    }
    boolean behind = p.startsWith("(?<!", at);
    if (!behind && !p.startsWith("(?!", at)) {
      return null;
    }
    int from = at + (behind ? 4 : 3);
    int to = classAtomEnd(from);
    if (to < 0 || to >= p.length() || p.charAt(to) != ')' || isQuantifier(to + 1)) {
      return null;
    }
    try {
      Bound b = new Bound(p.substring(from, to), flags, behind, !behind);
      end[0] = to + 1;
      return b;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@link #classAtomEnd(int)} for another reader of patterns. */
  static int classAtomEnd(String pattern, int at) {
    return new RequiredLiterals(pattern).classAtomEnd(at);
  }

  /** The end of one character class at {@code at} ({@code [...]}, {@code \p{..}}, {@code \P{..}}, {@code \w}), or -1. */
  private int classAtomEnd(int at) {
    if (at >= p.length()) {
      return -1;
    }
    if (p.charAt(at) == '[') {
      return classEnd(at);
    }
    if (p.charAt(at) == '\\' && at + 1 < p.length()) {
      char n = p.charAt(at + 1);
      if ((n == 'p' || n == 'P') && at + 2 < p.length() && p.charAt(at + 2) == '{') {
        int close = p.indexOf('}', at);
        return close < 0 ? -1 : close + 1;
      }
      if (n == 'w' || n == 'd') {
        return at + 2;
      }
    }
    return -1;
  }

  private boolean isQuantifier(int at) {
    return at < p.length() && "?*+{".indexOf(p.charAt(at)) >= 0;
  }

  /**
   * What holds just after the group opening at {@code at}: a boundary asserted right after it (past other zero-width
   * assertions), or {@code sequenceEnd} when the group ends its branch; null when it is repeated or something follows.
   */
  private Bound boundAfterGroup(int at, Bound sequenceEnd) {
    int k;
    try {
      k = groupEnd(at);
    } catch (RuntimeException e) {
      return null;
    }
    if (isQuantifier(k)) {
      return null;
    }
    while (true) {
      if (k >= p.length() || p.charAt(k) == '|' || p.charAt(k) == ')') {
        return sequenceEnd;
      }
      int[] end = new int[1];
      Bound b = boundAt(k, end);
      if (b != null) {
        if (b.after) {
          return b;
        }
        k = end[0];
        continue;
      }
      if (p.startsWith("(?=", k) || p.startsWith("(?!", k) || p.startsWith("(?<=", k) || p.startsWith("(?<!", k)) {
        k = groupEnd(k);
        if (isQuantifier(k)) {
          return null;
        }
        continue;
      }
      return null;
    }
  }
}
