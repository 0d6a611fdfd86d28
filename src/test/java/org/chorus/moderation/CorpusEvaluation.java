package org.chorus.moderation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs a filter over the labelled corpus ({@code safeguarding/corpus.tsv}) and computes what the bench
 * prints and the regression test checks: precision and recall per category, action accuracy and the
 * benign false-positive rate per language, and latency per message.
 */
public final class CorpusEvaluation {
  public record Row(String id, String lang, String country, String expected, Set<String> categories, String text) {}

  public record Outcome(Row row, String action, Set<String> fired, long nanos, String redacted) {
    boolean benign() {
      return row.categories().contains("benign");
    }
  }

  public static final List<String> CATEGORIES = List.of("pii", "contact", "sexual", "insult", "profanity", "disclosure");

  public final List<Outcome> outcomes = new ArrayList<>();

  /** The corpus the rules were written next to. */
  public static List<Row> corpus() {
    return read("corpus.tsv");
  }







  /**
   * A labelled set of {@code safeguarding/} by file name: {@code heldout.tsv} … {@code heldout8.tsv} were each written
   * without seeing the rules and measured before use (their status: the safeguarding README).
   */
  public static List<Row> read(String name) {
    try (InputStream in = CorpusEvaluation.class.getResourceAsStream("/safeguarding/" + name)) {
      if (in == null) {
        throw new IllegalStateException("safeguarding/" + name + " is missing from the test resources");
      }
      List<Row> rows = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      List<String> header = Arrays.asList(lines[0].strip().split("\t"));
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] f = lines[i].replace("\r", "").split("\t", -1);
        Set<String> categories = new LinkedHashSet<>();
        for (String c : f[header.indexOf("categories")].split(",")) {
          categories.add(c.strip().toLowerCase(Locale.ROOT));
        }
        rows.add(new Row(f[header.indexOf("id")], f[header.indexOf("lang")], f[header.indexOf("country")],
            f[header.indexOf("expected")].strip(), categories, f[header.indexOf("text")]));
      }
      return rows;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static CorpusEvaluation run(SafeguardingFilter filter, List<Row> rows, int warmupRounds) {
    for (int r = 0; r < warmupRounds; r++) {
      for (Row row : rows) {
        filter.check(row.text(), row.lang(), row.country());
      }
    }
    CorpusEvaluation e = new CorpusEvaluation();
    for (Row row : rows) {
      long t0 = System.nanoTime();
      Verdict v = filter.check(row.text(), row.lang(), row.country());
      long nanos = System.nanoTime() - t0;
      Set<String> fired = new HashSet<>();
      for (Finding f : v.findings()) {
        fired.add(f.category().wire());
      }
      e.outcomes.add(new Outcome(row, v.outcome(), fired, nanos, v.redactedText()));
    }
    return e;
  }

  public record Score(int tp, int fp, int fn) {
    public double precision() {
      return tp + fp == 0 ? 1.0 : tp / (double) (tp + fp);
    }

    public double recall() {
      return tp + fn == 0 ? 1.0 : tp / (double) (tp + fn);
    }
  }

  public Score category(String c) {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    for (Outcome o : outcomes) {
      boolean expected = o.row().categories().contains(c);
      boolean fired = o.fired().contains(c);
      if (expected && fired) {
        tp++;
      } else if (fired) {
        fp++;
      } else if (expected) {
        fn++;
      }
    }
    return new Score(tp, fp, fn);
  }

  /** Share of benign messages (about the topics, helplines, numbers) that the filter did not let through untouched. */
  public double benignFalsePositiveRate(String lang) {
    List<Outcome> benign = outcomes.stream().filter(Outcome::benign).filter(o -> lang == null || o.row().lang().equals(lang)).toList();
    return benign.isEmpty() ? 0 : benign.stream().filter(o -> !o.action().equals("allow")).count() / (double) benign.size();
  }

  public double actionAccuracy(String lang) {
    List<Outcome> rows = outcomes.stream().filter(o -> lang == null || o.row().lang().equals(lang)).toList();
    return rows.isEmpty() ? 0 : rows.stream().filter(o -> o.action().equals(o.row().expected())).count() / (double) rows.size();
  }

  public long count(String lang) {
    return outcomes.stream().filter(o -> lang == null || o.row().lang().equals(lang)).count();
  }

  public double latencyMicros(double percentile) {
    List<Long> nanos = new ArrayList<>(outcomes.stream().map(Outcome::nanos).toList());
    Collections.sort(nanos);
    int index = (int) Math.ceil(percentile / 100.0 * nanos.size()) - 1;
    return nanos.get(Math.max(0, Math.min(nanos.size() - 1, index))) / 1000.0;
  }

  public Set<String> languages() {
    Map<String, Integer> m = new TreeMap<>();
    outcomes.forEach(o -> m.merge(o.row().lang(), 1, Integer::sum));
    return m.keySet();
  }

  /** The table of the bench and of docs/safeguarding.md. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-12s %6s %6s %6s %9s %7s%n", "category", "tp", "fp", "fn", "precision", "recall"));
    for (String c : CATEGORIES) {
      Score s = category(c);
      sb.append(String.format("%-12s %6d %6d %6d %9.3f %7.3f%n", c, s.tp(), s.fp(), s.fn(), s.precision(), s.recall()));
    }
    sb.append(String.format("%n%-8s %6s %16s %18s%n", "language", "rows", "action accuracy", "benign FP rate"));
    for (String lang : languages()) {
      sb.append(String.format("%-8s %6d %16.3f %18.3f%n", lang, count(lang), actionAccuracy(lang), benignFalsePositiveRate(lang)));
    }
    sb.append(String.format("%-8s %6d %16.3f %18.3f%n", "all", count(null), actionAccuracy(null), benignFalsePositiveRate(null)));
    sb.append(String.format("%nlatency per message: p50 %.1f µs, p99 %.1f µs, max %.1f µs%n",
        latencyMicros(50), latencyMicros(99), latencyMicros(100)));
    return sb.toString();
  }

  /** The slowest messages, to find a costly rule. */
  public String slowest(int n) {
    StringBuilder sb = new StringBuilder();
    outcomes.stream().sorted(java.util.Comparator.comparingLong(Outcome::nanos).reversed()).limit(n)
        .forEach(o -> sb.append(String.format("%-8s %8.1f µs  %s%n", o.row().id(), o.nanos() / 1000.0, o.row().text())));
    return sb.toString();
  }

  /** Rows the filter got wrong, for tuning. */
  public String misses() {
    StringBuilder sb = new StringBuilder();
    for (Outcome o : outcomes) {
      Set<String> missed = new LinkedHashSet<>(o.row().categories());
      missed.remove("benign");
      missed.removeAll(o.fired());
      Set<String> extra = new LinkedHashSet<>(o.fired());
      extra.removeAll(o.row().categories());
      if (!o.action().equals(o.row().expected()) || !missed.isEmpty() || !extra.isEmpty()) {
        sb.append(String.format("%-8s expected %-6s got %-6s fired %-24s %s%s%s%n", o.row().id(), o.row().expected(), o.action(),
            o.fired(), missed.isEmpty() ? "" : "(missed " + String.join(",", missed) + ") ",
            extra.isEmpty() ? "" : "(extra " + String.join(",", extra) + ") ", o.row().text()));
      }
    }
    return sb.toString();
  }
}
