package org.chorus.moderation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

  private RequiredLiterals(String pattern) {
    this.p = pattern;
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
    try {
      RequiredLiterals r = new RequiredLiterals(pattern);
      Node n = r.alternation();
      return r.i == pattern.length() ? n : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The set, unless it says nothing or holds a literal too short to filter. */
  private static Set<String> usable(Set<String> req) {
    if (req == null || req.isEmpty() || req.stream().anyMatch(s -> s.length() < MIN_LENGTH)) {
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
  private record Node(String exact, Set<String> req, boolean optional, List<List<Set<String>>> alternatives) {
    Node(String exact, Set<String> req, boolean optional) {
      this(exact, req, optional, null);
    }

    List<List<Set<String>>> ways() {
      if (optional) {
        return UNKNOWN;
      }
      if (exact != null) {
        return exact.isEmpty() ? UNKNOWN : List.of(List.of(Set.of(exact)));
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
        return exact.isEmpty() ? null : Set.of(exact);
      }
      return req;
    }
  }

  private static final Node ANY = new Node(null, null, false);
  private static final Node EMPTY = new Node("", null, false);

  private Node alternation() {
    Set<String> union = new HashSet<>();
    boolean anyBranchWithout = false;
    int branches = 0;
    Node single = null;
    List<List<Set<String>>> ways = new ArrayList<>();
    List<Node> branchNodes = new ArrayList<>();
    while (true) {
      Node b = sequence();
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

  private Node sequence() {
    StringBuilder run = new StringBuilder();
    Set<String> best = null;
    List<List<Set<String>>> ways = UNKNOWN;
    boolean allExact = true;
    while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
      Node atom = atom();
      atom = quantified(atom);
      if (atom.exact() != null && !atom.optional()) {
        run.append(atom.exact());
        continue;
      }
      allExact = false;
      if (run.length() > 0) {
        ways = bothNeeded(ways, List.of(List.of(Set.of(run.toString()))), null);
      }
      best = better(best, run.length() > 0 ? Set.of(run.toString()) : null);
      run.setLength(0);
      best = better(best, atom.required());
      ways = bothNeeded(ways, atom.ways(), atom.required());
    }
    if (allExact) {
      return new Node(run.toString(), null, false);
    }
    if (run.length() > 0) {
      ways = bothNeeded(ways, List.of(List.of(Set.of(run.toString()))), null);
    }
    best = better(best, run.length() > 0 ? Set.of(run.toString()) : null);
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

  private Node quantified(Node atom) {
    if (i >= p.length()) {
      return atom;
    }
    char c = p.charAt(i);
    int min;
    if (c == '?' || c == '*') {
      i++;
      min = 0;
    } else if (c == '+') {
      i++;
      min = 1;
    } else if (c == '{') {
      int close = p.indexOf('}', i);
      String inside = p.substring(i + 1, close);
      if (!inside.matches("\\d+(,\\d*)?")) {
        throw new IllegalArgumentException("brace");
      }
      min = Integer.parseInt(inside.split(",")[0]);
      i = close + 1;
    } else {
      return atom;
    }
    if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
      i++; // lazy or possessive: same literals
    }
    if (min == 0) {
      return new Node(null, null, true);
    }
    // Repeated at least once: it still contains what the atom contains, but is no longer one exact string.
    return new Node(null, atom.required(), false, atom.ways());
  }

  private Node atom() {
    char c = p.charAt(i);
    switch (c) {
      case '(' -> {
        return group();
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

  private Node group() {
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
    Node inner = alternation();
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
    int depth = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
        if (depth == 0) {
          i++;
          return;
        }
      }
      i++;
    }
    throw new IllegalArgumentException("unclosed class");
  }
}
