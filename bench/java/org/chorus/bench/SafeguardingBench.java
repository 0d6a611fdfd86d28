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
    List<CorpusEvaluation.Row> rows = CorpusEvaluation.corpus();
    CorpusEvaluation e = CorpusEvaluation.run(filter, rows, 20);
    System.out.printf("Safeguarding filter on %d labelled messages, %d rules, %s %s, one thread%n%n", rows.size(),
        filter.rules().size(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
    System.out.println(filter.rules().prefilterSummary());
    System.out.print(e.table());
    if (List.of(args).contains("--misses")) {
      System.out.println("\nmisses:");
      System.out.print(e.misses());
    }
  }
}
