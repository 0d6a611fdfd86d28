package org.chorus.moderation;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of a {@code near} rule: a word of one list close to a word of another, in the same sentence, with no word
 * of the "unless" lists around them. {@code @a ~3 @b} — at most 3 words between them, either order; {@code @a >3 @b} —
 * the same with a first; {@code @a + @b} — b right after a inside one word ("ana|ni|piga", "يضرب|ني").
 * Chinese and Japanese characters count as one word each. {@code unless @neg} — no word of that list between the two
 * or in the 3 words before them (negation: "never hits me", "nadie me pega"); {@code unless ~@ctx} — none between, before
 * or in the 3 words after (context: "beat me at chess", "打我电话").
 */
record NearRule(String first, Mode mode, int maxGap, String second, List<String> unless, List<String> unlessAround) {
  enum Mode { EITHER, ORDERED, JOINED }

  /** Words of an "unless" list count this many words before and after the pair (and anywhere between). */
  static final int UNLESS_REACH = 3;

  private static final Pattern SHAPE = Pattern.compile(
      "(@[a-z0-9][a-z0-9.-]*)\\s+(?:([~>])(\\d{1,2})|(\\+))\\s+(@[a-z0-9][a-z0-9.-]*)(?:\\s+unless((?:\\s+~?@[a-z0-9][a-z0-9.-]*)+))?");

  static NearRule parse(String text) {
    Matcher m = SHAPE.matcher(text.strip());
    if (!m.matches()) {
      throw new RuleException("a near rule reads '@list ~N @list', '@list >N @list' or '@list + @list', optionally followed by"
          + " 'unless @list ~@list …' (N = most words between, 0–30; ~@ also looks after the pair); found '" + text + "'");
    }
    Mode mode = m.group(4) != null ? Mode.JOINED : m.group(2).equals("~") ? Mode.EITHER : Mode.ORDERED;
    int gap = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    if (gap > 30) {
      throw new RuleException("a near rule may allow at most 30 words between its lists, found " + gap);
    }
    List<String> unless = new ArrayList<>();
    List<String> around = new ArrayList<>();
    if (m.group(6) != null) {
      for (String ref : m.group(6).strip().split("\\s+")) {
        if (ref.startsWith("~")) {
          around.add(ref.substring(2));
        } else {
          unless.add(ref.substring(1));
        }
      }
    }
    return new NearRule(m.group(1).substring(1), mode, gap, m.group(5).substring(1), List.copyOf(unless), List.copyOf(around));
  }

  List<String> lists() {
    List<String> all = new ArrayList<>(List.of(first, second));
    all.addAll(unless);
    all.addAll(unlessAround);
    return all;
  }

  /** One word (or piece of a word) of a list found in the normalised text. */
  record Occurrence(int start, int end, int firstToken, int lastToken, int sentence) {}

  /**
   * The span [start, end) of every pair that satisfies the rule (at most {@code limit}), in normalised positions.
   * {@code found} gives the occurrences of each list.
   */
  List<int[]> pairs(java.util.Map<String, List<Occurrence>> found, int limit) {
    List<int[]> out = new ArrayList<>();
    List<Occurrence> as = found.getOrDefault(first, List.of());
    List<Occurrence> bs = found.getOrDefault(second, List.of());
    for (Occurrence a : as) {
      for (Occurrence b : bs) {
        if (out.size() >= limit) {
          return out;
        }
        if (a.sentence() != b.sentence() || !fits(a, b)) {
          continue;
        }
        Occurrence lo = a.start() <= b.start() ? a : b;
        Occurrence hi = lo == a ? b : a;
        if (!blocked(found, lo, hi)) {
          out.add(new int[] {lo.start(), Math.max(lo.end(), hi.end())});
        }
      }
    }
    return out;
  }

  private boolean fits(Occurrence a, Occurrence b) {
    return switch (mode) {
      case JOINED -> a.end() == b.start() && a.lastToken() == b.firstToken();
      case ORDERED -> a.end() <= b.start() && gap(a, b) <= maxGap;
      case EITHER -> (a.end() <= b.start() && gap(a, b) <= maxGap) || (b.end() <= a.start() && gap(b, a) <= maxGap);
    };
  }

  /** Whole words strictly between two occurrences (0 when adjacent or in the same word). */
  private static int gap(Occurrence lo, Occurrence hi) {
    return Math.max(0, hi.firstToken() - lo.lastToken() - 1);
  }

  private boolean blocked(java.util.Map<String, List<Occurrence>> found, Occurrence lo, Occurrence hi) {
    return blockedBy(unless, found, lo, hi, 0) || blockedBy(unlessAround, found, lo, hi, UNLESS_REACH);
  }

  private static boolean blockedBy(List<String> lists, java.util.Map<String, List<Occurrence>> found, Occurrence lo,
                                   Occurrence hi, int after) {
    for (String list : lists) {
      for (Occurrence u : found.getOrDefault(list, List.of())) {
        if (u.sentence() == lo.sentence() && u.lastToken() >= lo.firstToken() - UNLESS_REACH
            && u.firstToken() <= hi.lastToken() + after && !inside(u, lo) && !inside(u, hi)
            && (after > 0 || u.start() < hi.start())) {
          return true;
        }
      }
    }
    return false;
  }

  /** A word inside the pair's own words ("não" in "não digas a ninguém") does not block it; "its private" does block "private". */
  private static boolean inside(Occurrence u, Occurrence x) {
    return x.start() <= u.start() && u.end() <= x.end();
  }
}
