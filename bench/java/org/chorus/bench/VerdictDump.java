package org.chorus.bench;

import org.chorus.moderation.CorpusEvaluation;
import org.chorus.moderation.Finding;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.moderation.Verdict;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The oracle for performance work on the safeguarding filter: writes the full verdict (action, every finding with its
 * rule and span, the redacted text, the labels) of every row of every labelled set, and of every string literal of the
 * moderation tests read in a few languages, one line each. Dump before a change, dump after, and {@code diff}: a speed-up
 * must leave the file identical.
 *
 * <pre>mvn -q -o -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.VerdictDump -Dexec.args=target/verdicts-before.txt
 * … change the filter …
 * mvn -q -o -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.VerdictDump -Dexec.args=target/verdicts-after.txt
 * diff target/verdicts-before.txt target/verdicts-after.txt</pre>
 * To compare with an older commit after the tests changed, dump with the old {@code src/main} and today's tests
 * ({@code git checkout OLD -- src/main/java/org/chorus/moderation}, dump, {@code git checkout HEAD -- …}, dump).
 */
public final class VerdictDump {
  private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
  /** Languages (with a country) each test literal is read in: rules depend on the child's language and script. */
  private static final String[][] PROBE_CONTEXTS = {{"en", "KE"}, {"fr", "FR"}, {"es", "MX"}, {"ru", "RU"}, {"zh", "CN"},
      {"ar", "EG"}, {"sw", "KE"}, {"pt", "BR"}, {null, null}};

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/verdicts.txt");
    SafeguardingFilter filter = SafeguardingFilter.load(Path.of("moderation-rules"));
    int lines = 0;
    // An OutputStreamWriter replaces a lone surrogate (test literals hold some) where a strict encoder would stop the file.
    try (PrintWriter w = new PrintWriter(new OutputStreamWriter(Files.newOutputStream(out), StandardCharsets.UTF_8))) {
      for (String set : sets()) {
        for (CorpusEvaluation.Row row : CorpusEvaluation.read(set)) {
          w.println(set + ":" + row.id() + "\t" + describe(filter.check(row.text(), row.lang(), row.country())));
          lines++;
        }
      }
      for (String probe : testLiterals()) {
        for (String[] context : PROBE_CONTEXTS) {
          w.println("probe:" + context[0] + ":" + escape(probe) + "\t" + describe(filter.check(probe, context[0], context[1])));
          lines++;
        }
      }
      if (w.checkError()) {
        throw new IOException("could not write " + out);
      }
    }
    System.out.println(lines + " verdicts written to " + out);
  }

  private static List<String> sets() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/safeguarding"))) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tsv")).sorted().toList();
    }
  }

  /**
   * Every string literal of the moderation tests (the probe lines, and some noise that costs nothing), sorted: a line is
   * named by its text, so a test that gains a literal adds lines and shifts none.
   */
  private static List<String> testLiterals() throws IOException {
    Set<String> out = new LinkedHashSet<>();
    List<Path> tests;
    try (Stream<Path> files = Files.list(Path.of("src/test/java/org/chorus/moderation"))) {
      tests = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path test : tests) {
      Matcher m = STRING_LITERAL.matcher(Files.readString(test));
      while (m.find()) {
        out.add(unescape(m.group(1)));
      }
    }
    List<String> sorted = new ArrayList<>(out);
    sorted.sort(null);
    return sorted;
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> b.append(e);
      }
    }
    return b.toString();
  }

  private static String describe(Verdict v) {
    List<String> findings = new ArrayList<>();
    for (Finding f : v.findings()) {
      findings.add(f.category().wire() + "/" + f.ruleId() + "/" + f.action().wire() + "/" + f.severity().wire() + "@"
          + f.start() + "-" + f.end());
    }
    // in the verdict's own order: the JSON a client sees lists them so
    return v.action().wire() + "\t" + findings + "\t" + v.redactedLabels() + "\t" + escape(v.redactedText());
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }
}
