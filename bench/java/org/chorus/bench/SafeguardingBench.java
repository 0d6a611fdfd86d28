package org.chorus.bench;

import org.chorus.moderation.CorpusEvaluation;
import org.chorus.moderation.SafeguardingFilter;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs the shipped rules over the labelled corpus and prints precision/recall per category, accuracy and
 * benign false positives per language, and latency per message (one thread, after warm-up).
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.SafeguardingBench [-Dexec.args=--misses]</pre>
 */
public final class SafeguardingBench {
  public static void main(String[] args) {
    SafeguardingFilter filter = SafeguardingFilter.load(Path.of("moderation-rules"));
    System.out.printf("Safeguarding filter: %d rules (%s), %s %s, one thread, after warm-up%n", filter.rules().size(),
        filter.rules().prefilterSummary(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
    report("corpus.tsv (the rules were written beside it)", filter, CorpusEvaluation.corpus(), args);
    report("heldout.tsv (written without seeing the rules: the honest figure)", filter, CorpusEvaluation.heldOut(), args);
  }

  private static void report(String title, SafeguardingFilter filter, List<CorpusEvaluation.Row> rows, String[] args) {
    CorpusEvaluation e = CorpusEvaluation.run(filter, rows, 20);
    System.out.printf("%n== %s: %d messages%n%n", title, rows.size());
    System.out.print(e.table());
    if (List.of(args).contains("--misses")) {
      System.out.println("\nmisses:");
      System.out.print(e.misses());
    }
  }
}
