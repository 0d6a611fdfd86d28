package org.chorus.bench;

import org.chorus.moderation.CorpusEvaluation;
import org.chorus.moderation.DisclosureModel;
import org.chorus.moderation.Finding;
import org.chorus.moderation.Rule;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.moderation.TextNormalizer;
import org.chorus.moderation.Verdict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs the shipped rules over the labelled corpus and prints precision/recall per category, accuracy and
 * benign false positives per language, and latency per message (one thread, after warm-up).
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.SafeguardingBench [-Dexec.args=--misses]</pre>
 * {@code -Dexec.args=--latency} prints only the best-of-N latency per set (see {@link #latency}), rules alone and with the
 * disclosure model. After each set's table (the rules alone), one line gives the same set with the rules and the disclosure
 * second opinion ({@link DisclosureModel}): in sample on every set but heldout8, which the model never saw; its honest figures are
 * leave-one-set-out ({@code DisclosureModelTrainer}, docs/safeguarding.md).
 * {@code -Dexec.args="--check lines.tsv"} instead prints the verdict for each line
 * {@code [expected<TAB>]lang<TAB>country<TAB>text} and marks the lines whose outcome is not the expected one (the rules alone;
 * with {@code --with-model} the rules and the disclosure model).
 */
public final class SafeguardingBench {
  /** The rules with the shipped disclosure model, as the server runs them by default ({@code moderation.disclosureModel}). */
  private static SafeguardingFilter withModel;
  private static final List<String> SUMMARY = new java.util.ArrayList<>();

  public static void main(String[] args) {
    SafeguardingFilter filter = SafeguardingFilter.load(Path.of("moderation-rules"));
    withModel = SafeguardingFilter.load(Path.of("moderation-rules"), DisclosureModel.loadResource());
    if (List.of(args).contains("--misses")) {
      System.out.println("regex rules without a prefilter: " + filter.rules().unfilteredRuleIds());
    }
    if (List.of(args).contains("--profile")) {
      profile(filter, CorpusEvaluation.corpus());
      return;
    }
    if (List.of(args).contains("--latency")) {
      latency(filter);
      return;
    }
    int probe = List.of(args).indexOf("--check");
    if (probe >= 0 && probe + 1 < args.length) {
      check(List.of(args).contains("--with-model") ? withModel : filter, Path.of(args[probe + 1]));
      return;
    }
    System.out.printf("Safeguarding filter: %d rules (%s), %s %s, one thread, after warm-up%n", filter.rules().size(),
        filter.rules().prefilterSummary(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
    report("corpus.tsv (the rules were written beside it)", filter, CorpusEvaluation.corpus(), args);
    report("heldout.tsv (honest for round 1, then used for round 2: a development set)", filter, CorpusEvaluation.read("heldout.tsv"), args);
    report("heldout2.tsv (honest for round 2, then used for round 3: a development set)",
        filter, CorpusEvaluation.read("heldout2.tsv"), args);
    report("heldout3.tsv (honest for round 3, then used for round 4: a development set)",
        filter, CorpusEvaluation.read("heldout3.tsv"), args);
    report("heldout4.tsv (honest for round 4, then used for round 5: a development set)",
        filter, CorpusEvaluation.read("heldout4.tsv"), args);
    report("heldout5.tsv (honest for round 5, then used for round 6: a development set)",
        filter, CorpusEvaluation.read("heldout5.tsv"), args);
    report("heldout6.tsv (honest for round 6, then used for round 7: a development set)",
        filter, CorpusEvaluation.read("heldout6.tsv"), args);
    report("heldout7.tsv (honest for round 7, then used for round 8: a development set)",
        filter, CorpusEvaluation.read("heldout7.tsv"), args);
    report("heldout8.tsv (written without seeing the rules or any other set, never used for tuning: the honest figure)",
        filter, CorpusEvaluation.read("heldout8.tsv"), args);
    System.out.printf("%n== rules alone vs rules + disclosure model (%s)%n", withModel.model().description());
    System.out.println("   in sample for the model on every set but heldout8 (trained on the others): see docs/safeguarding.md for its leave-one-set-out figures");
    System.out.printf("%-14s %20s %20s %14s %14s%n", "set", "disclosure R/P", "+model R/P", "benign FP", "+model FP");
    SUMMARY.forEach(System.out::println);
  }

  /** The regex rules that cost most over the corpus (every rule on every message, no prefilter): where to optimise. */
  private static void profile(SafeguardingFilter filter, List<CorpusEvaluation.Row> rows) {
    java.util.Map<String, Long> nanos = new java.util.HashMap<>();
    List<String> texts = rows.stream().map(r -> TextNormalizer.full(r.text()).text()).toList();
    for (int round = 0; round < 21; round++) {
      for (Rule r : filter.rules().rules()) {
        if (r.pattern() == null) {
          continue;
        }
        long t0 = System.nanoTime();
        for (String t : texts) {
          r.pattern().matcher(t).find();
        }
        if (round > 0) {
          nanos.merge(r.id(), System.nanoTime() - t0, Long::sum);
        }
      }
    }
    nanos.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(25)
        .forEach(e -> System.out.printf("%-36s %8.1f µs per message%n", e.getKey(), e.getValue() / 20.0 / texts.size() / 1000.0));
  }

  /** Times a set this many times; the best run's percentiles are the steadiest figure on a shared machine. */
  private static final int LATENCY_RUNS = 7;

  /**
   * {@code --latency}: every set, warmed up, then timed {@value #LATENCY_RUNS} times; prints the best-of-N p50 and p99
   * per message (the least disturbed by other processes) and the machine's load, for before/after tables.
   */
  private static void latency(SafeguardingFilter filter) {
    List<String> sets = List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv", "heldout5.tsv",
        "heldout6.tsv", "heldout7.tsv", "heldout8.tsv");
    for (int warm = 0; warm < 10; warm++) {
      for (String set : sets) {
        CorpusEvaluation.run(filter, CorpusEvaluation.read(set), 0);
        CorpusEvaluation.run(withModel, CorpusEvaluation.read(set), 0);
      }
    }
    System.out.printf("load average %.2f; best of %d runs, µs per message%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), LATENCY_RUNS);
    System.out.printf("%-14s %8s %8s %12s %12s %12s %12s%n", "set", "p50", "p99", "+model p50", "+model p99", "model p50", "model p99");
    DisclosureModel model = withModel.model();
    for (String set : sets) {
      List<CorpusEvaluation.Row> rows = CorpusEvaluation.read(set);
      double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
      for (int run = 0; run < LATENCY_RUNS; run++) {
        CorpusEvaluation e = CorpusEvaluation.run(filter, rows, 1);
        best[0] = Math.min(best[0], e.latencyMicros(50));
        best[1] = Math.min(best[1], e.latencyMicros(99));
        CorpusEvaluation m = CorpusEvaluation.run(withModel, rows, 1);
        best[2] = Math.min(best[2], m.latencyMicros(50));
        best[3] = Math.min(best[3], m.latencyMicros(99));
        // the model alone (normalising included), every message, as the filter calls it when the rules found no disclosure
        List<Long> nanos = new java.util.ArrayList<>();
        for (CorpusEvaluation.Row row : rows) {
          long t0 = System.nanoTime();
          model.probability(row.text(), row.lang());
          nanos.add(System.nanoTime() - t0);
        }
        java.util.Collections.sort(nanos);
        best[4] = Math.min(best[4], nanos.get(nanos.size() / 2) / 1000.0);
        best[5] = Math.min(best[5], nanos.get((int) Math.ceil(0.99 * nanos.size()) - 1) / 1000.0);
      }
      System.out.printf("%-14s %8.1f %8.1f %12.1f %12.1f %12.1f %12.1f%n", set, best[0], best[1], best[2], best[3], best[4], best[5]);
    }
  }

  /** Tries the rules on hand-written lines (a rule author's scratch file). */
  private static void check(SafeguardingFilter filter, Path file) {
    try {
      int wrong = 0;
      for (String line : Files.readAllLines(file)) {
        String expected = line.matches("^(allow|redact|hold|alert)\t.*") ? line.substring(0, line.indexOf('\t')) : null;
        String[] f = (expected == null ? line : line.substring(expected.length() + 1)).split("\t", 3);
        if (line.isBlank() || line.startsWith("#") || f.length < 3) {
          continue;
        }
        Verdict v = filter.check(f[2], f[0], f[1]);
        boolean miss = expected != null && !expected.equals(v.outcome());
        wrong += miss ? 1 : 0;
        System.out.printf("%s%-6s %-2s %-40s %s%n", miss ? "WRONG " : "", v.outcome(), f[0],
            v.findings().stream().map(Finding::ruleId).distinct().toList(), f[2]);
      }
      System.out.printf("%d wrong%n", wrong);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void report(String title, SafeguardingFilter filter, List<CorpusEvaluation.Row> rows, String[] args) {
    CorpusEvaluation e = CorpusEvaluation.run(filter, rows, 20);
    System.out.printf("%n== %s: %d messages%n%n", title, rows.size());
    System.out.print(e.table());
    CorpusEvaluation m = CorpusEvaluation.run(withModel, rows, 20);
    CorpusEvaluation.Score rd = e.category("disclosure");
    CorpusEvaluation.Score md = m.category("disclosure");
    System.out.printf("with the disclosure model (in sample except on heldout8): disclosure recall %.3f precision %.3f, action accuracy %.3f, benign FP %.3f, "
        + "p50 %.1f µs, p99 %.1f µs%n", md.recall(), md.precision(), m.actionAccuracy(null), m.benignFalsePositiveRate(null),
        m.latencyMicros(50), m.latencyMicros(99));
    SUMMARY.add(String.format("%-14s %20s %20s %13.1f%% %13.1f%%", title.substring(0, title.indexOf(' ')),
        String.format("%.3f / %.3f", rd.recall(), rd.precision()), String.format("%.3f / %.3f", md.recall(), md.precision()),
        100 * e.benignFalsePositiveRate(null), 100 * m.benignFalsePositiveRate(null)));
    if (List.of(args).contains("--misses")) {
      System.out.println("\nmisses:");
      System.out.print(e.misses());
      System.out.println("\nslowest:");
      System.out.print(e.slowest(5));
    }
  }
}
