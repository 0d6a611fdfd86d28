package org.chorus.bench;

import org.chorus.moderation.CorpusEvaluation;
import org.chorus.moderation.DisclosureModel;
import org.chorus.moderation.Finding;
import org.chorus.moderation.Rule;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.moderation.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the disclosure second opinion ({@link DisclosureModel}) and measures it honestly by leave-one-set-out
 * cross-validation: for each labelled set S, a model trained on all the other sets scores S, and S's figures are those
 * of the rules alone and of the rules OR the model. The threshold is the lowest at which the combined benign false
 * positives stay within the rules' own plus one point, averaged over the folds; a nested run (the threshold chosen by an
 * inner leave-one-set-out inside each fold's training sets) shows what that choice is worth on a set it never saw.
 * Then one model is trained on every listed set and written.
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.DisclosureModelTrainer</pre>
 * Options ({@code -Dexec.args="…"}): {@code --sets a.tsv,b.tsv} the sets to use, by name, always an explicit list (default:
 * {@link #DEFAULT_SETS}; a newer honest set is never picked up by itself), {@code --out FILE} where to write the model
 * (default {@code src/main/resources/moderation/disclosure.model}), {@code --report FILE} where to write the tables
 * (default {@code bench/disclosure/cv-report.md}), {@code --cv-only} measure, write no model (and no report unless
 * {@code --report}), {@code --no-nested} skip the nested run, {@code --baseline FILE} compare with rule outcomes saved
 * from older rules (lines {@code set<TAB>id<TAB>action<TAB>0|1}, 1 = a disclosure rule fired; default
 * {@code bench/disclosure/honest-rule-outcomes.tsv}, made by {@code bench/disclosure/honest-baseline.sh}; today's rules
 * give such a file with {@code --dump-rules FILE}), {@code --no-baseline}, {@code --misses} list the out-of-fold misses and
 * false alarms of the combined filter. Training settings: {@code --min-df --lambda --epochs --rate --positive-weight
 * --min-gram --max-gram --no-words --no-pairs --seed} (the defaults are the shipped ones).
 */
public final class DisclosureModelTrainer {
  /** The labelled sets, named one by one: never a glob (a future honest set must not slip into training). */
  static final List<String> DEFAULT_SETS = List.of("corpus.tsv", "heldout.tsv", "heldout2.tsv", "heldout3.tsv", "heldout4.tsv",
      "heldout5.tsv", "heldout6.tsv", "heldout7.tsv");
  static final Path DEFAULT_OUT = Path.of("src/main/resources/moderation/disclosure.model");
  /** The rules' outcomes of the round for which each set was honest (made by bench/disclosure/honest-baseline.sh). */
  static final Path DEFAULT_BASELINE = Path.of("bench/disclosure/honest-rule-outcomes.tsv");
  static final Path DEFAULT_REPORT = Path.of("bench/disclosure/cv-report.md");
  /** Everyday first-person messages without harm, added to the training side of every fold (never measured on). */
  static final Path DEFAULT_NEGATIVES = Path.of("bench/disclosure/everyday-negatives.tsv");
  /**
   * Messages without harm, never trained on, to count the model's false alarms on ordinary consultation traffic: everyday
   * first-person messages written apart from the negatives, and the sample consultation's answers.
   */
  static final List<Path> DEFAULT_PROBES = List.of(Path.of("bench/disclosure/everyday-probe.tsv"),
      Path.of("src/main/resources/sample/consultation.tsv"));
  /** Each extra negative counts this many times (chosen with the probes; see docs/safeguarding.md). */
  static final int NEGATIVE_COPIES = 3;

  /** Training settings; the defaults are the shipped ones (chosen by leave-one-set-out without heldout7, see docs). */
  record Settings(int minDf, double lambda, int epochs, double rate, double positiveWeight, int minGram, int maxGram,
                  boolean words, boolean pairs, long seed, double minWords) {
    static Settings defaults() {
      return new Settings(2, 2e-2, 20, 0.2, 1.0, DisclosureModel.MIN_GRAM, DisclosureModel.MAX_GRAM, true, true, 7, 5);
    }

    String describe() {
      return String.format(Locale.ROOT, "char %d-%d grams%s%s, min df %d, L2 %.0e, %d epochs AdaGrad rate %.2f, positive weight %.1f, "
          + "seed %d, no opinion under %.0f words", minGram, maxGram, words ? " + words" : "", pairs ? " + word pairs" : "", minDf, lambda,
          epochs, rate, positiveWeight, seed, minWords);
    }
  }

  /** One labelled row with its features and the rules' verdict. */
  record Doc(String set, CorpusEvaluation.Row row, boolean disclosure, boolean benign, int[] features, float[] values,
             String rulesAction, boolean rulesDisclosure, double words) {}

  private final List<String> featureNames = new ArrayList<>();
  private final Map<String, Integer> featureIndex = new HashMap<>();
  private final Settings settings;

  DisclosureModelTrainer(Settings settings) {
    this.settings = settings;
  }

  public static void main(String[] args) throws IOException {
    List<String> a = List.of(args);
    Settings s = Settings.defaults();
    s = new Settings(intArg(a, "--min-df", s.minDf()), doubleArg(a, "--lambda", s.lambda()), intArg(a, "--epochs", s.epochs()),
        doubleArg(a, "--rate", s.rate()), doubleArg(a, "--positive-weight", s.positiveWeight()), intArg(a, "--min-gram", s.minGram()),
        intArg(a, "--max-gram", s.maxGram()), !a.contains("--no-words"), !a.contains("--no-pairs"), intArg(a, "--seed", (int) s.seed()),
        doubleArg(a, "--min-words", s.minWords()));
    List<String> sets = a.contains("--sets") ? List.of(a.get(a.indexOf("--sets") + 1).split(",")) : DEFAULT_SETS;
    for (String set : sets) {
      if (!set.matches("[a-z0-9]+\\.tsv")) {
        throw new IllegalArgumentException("--sets takes file names such as heldout3.tsv, got " + set);
      }
    }
    SafeguardingFilter rules = SafeguardingFilter.load(Path.of("moderation-rules"));
    if (a.contains("--dump-rules")) {
      dumpRules(rules, sets, Path.of(a.get(a.indexOf("--dump-rules") + 1)));
      return;
    }
    DisclosureModelTrainer trainer = new DisclosureModelTrainer(s);
    List<Doc> docs = trainer.read(sets, rules);
    Path negativesFile = a.contains("--negatives") ? Path.of(a.get(a.indexOf("--negatives") + 1)) : DEFAULT_NEGATIVES;
    List<Doc> negatives = a.contains("--no-negatives") ? List.of() : trainer.readPlain(negativesFile, "negatives");
    int copies = intArg(a, "--negatives-copies", NEGATIVE_COPIES);
    List<Path> probeFiles = a.contains("--probes") ? java.util.Arrays.stream(a.get(a.indexOf("--probes") + 1).split(",")).map(Path::of).toList()
        : DEFAULT_PROBES;
    Map<Path, List<Doc>> probes = new LinkedHashMap<>();
    for (Path probeFile : probeFiles) {
      probes.put(probeFile, trainer.readPlain(probeFile, "probe"));
    }
    StringBuilder report = new StringBuilder();
    report.append(String.format("Disclosure model, leave-one-set-out over %s (%d rows), %s; %d extra training negatives (%s × %d)%n",
        String.join(", ", sets), docs.size(), s.describe(), negatives.size(), negatives.isEmpty() ? "-" : negativesFile, copies));
    Path baselineFile = a.contains("--baseline") ? Path.of(a.get(a.indexOf("--baseline") + 1)) : DEFAULT_BASELINE;
    Map<String, Baseline> baseline = Files.isRegularFile(baselineFile) && !a.contains("--no-baseline") ? readBaseline(baselineFile) : null;
    List<Doc> weighted = new ArrayList<>();
    for (int copy = 0; copy < copies; copy++) {
      weighted.addAll(negatives);
    }
    negatives = weighted;
    trainer.extra = negatives;
    double threshold = trainer.crossValidate(docs, sets, !a.contains("--no-nested"), baseline, a.contains("--misses"), report);
    trainer.probe(docs, probes, threshold, report);
    System.out.print(report);
    if (a.contains("--cv-only")) {
      if (a.contains("--report")) {
        Files.writeString(Path.of(a.get(a.indexOf("--report") + 1)), report.toString(), StandardCharsets.UTF_8);
      }
      return;
    }
    Files.writeString(a.contains("--report") ? Path.of(a.get(a.indexOf("--report") + 1)) : DEFAULT_REPORT, report.toString(),
        StandardCharsets.UTF_8);
    Path out = a.contains("--out") ? Path.of(a.get(a.indexOf("--out") + 1)) : DEFAULT_OUT;
    List<Doc> training = new ArrayList<>(docs);
    training.addAll(negatives);
    trainer.writeModel(training, sets, negatives.isEmpty() ? "" : " + " + negativesFile.getFileName() + " x" + copies, threshold, out);
  }

  private static int intArg(List<String> a, String name, int fallback) {
    return a.contains(name) ? Integer.parseInt(a.get(a.indexOf(name) + 1)) : fallback;
  }

  private static double doubleArg(List<String> a, String name, double fallback) {
    return a.contains(name) ? Double.parseDouble(a.get(a.indexOf(name) + 1)) : fallback;
  }

  // ---- data ---------------------------------------------------------------------------------

  /** Extra training rows (never measured on): added to the training side of every fold. */
  private List<Doc> extra = List.of();

  /**
   * Messages without any disclosure: lines {@code lang<TAB>text} ({@code #} comments), or a table whose header names
   * {@code language} and {@code text} columns (the sample consultation). Extra negatives, or a probe.
   */
  List<Doc> readPlain(Path file, String set) throws IOException {
    List<Doc> out = new ArrayList<>();
    int n = 0;
    int langColumn = 0;
    int textColumn = 1;
    boolean first = true;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> f = List.of(line.split("\t", -1));
      if (first && f.contains("text") && f.contains("language")) {
        langColumn = f.indexOf("language");
        textColumn = f.indexOf("text");
        first = false;
        continue;
      }
      first = false;
      if (f.size() <= Math.max(langColumn, textColumn)) {
        throw new IllegalArgumentException(file + ": '" + line + "' is not lang<TAB>text");
      }
      CorpusEvaluation.Row row = new CorpusEvaluation.Row(set + "-" + (++n), f.get(langColumn), null, "allow",
          java.util.Set.of("benign"), f.get(textColumn));
      out.add(doc(set, row, "allow", false));
    }
    return out;
  }

  List<Doc> read(List<String> sets, SafeguardingFilter rules) {
    List<Doc> docs = new ArrayList<>();
    for (String set : sets) {
      for (CorpusEvaluation.Row row : CorpusEvaluation.read(set)) {
        Verdict v = rules.check(row.text(), row.lang(), row.country());
        boolean ruleDisclosure = v.findings().stream().anyMatch(f -> f.category() == Rule.Category.DISCLOSURE);
        docs.add(doc(set, row, v.outcome(), ruleDisclosure));
      }
    }
    return docs;
  }

  private Doc doc(String set, CorpusEvaluation.Row row, String rulesAction, boolean rulesDisclosure) {
    String normalised = DisclosureModel.normalise(row.text(), row.lang());
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    int[] total = {0};
    DisclosureModel.features(normalised, (h, name) -> {
      total[0]++;
      if (!keep(name)) {
        return;
      }
      Integer index = featureIndex.get(name);
      if (index == null) {
        index = featureNames.size();
        featureIndex.put(name, index);
        featureNames.add(name);
      }
      counts.merge(index, 1, Integer::sum);
    }, true);
    int[] f = new int[counts.size()];
    float[] x = new float[counts.size()];
    int k = 0;
    for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
      f[k] = e.getKey();
      x[k] = (float) (e.getValue() / Math.sqrt(Math.max(1, total[0])));
      k++;
    }
    return new Doc(set, row, row.categories().contains("disclosure"), row.categories().contains("benign"), f, x, rulesAction,
        rulesDisclosure, DisclosureModel.words(normalised));
  }

  /** The features the settings use (the model file only ever holds these; the others weigh 0 at run time). */
  private boolean keep(String name) {
    if (name.startsWith("c:")) {
      int n = name.length() - 2;
      return n >= settings.minGram() && n <= settings.maxGram();
    }
    return name.startsWith("w:") ? settings.words() : settings.pairs();
  }

  // ---- training -----------------------------------------------------------------------------

  /** Weights (the last entry is the bias) from logistic regression with L2, AdaGrad, a fixed seed: deterministic. */
  double[] train(List<Doc> docs) {
    int size = featureNames.size();
    int[] df = new int[size];
    for (Doc d : docs) {
      for (int f : d.features()) {
        df[f]++;
      }
    }
    double[] w = new double[size + 1];
    double[] g2 = new double[size + 1];
    Random random = new Random(settings.seed());
    int[] order = new int[docs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int i : order) {
        Doc d = docs.get(i);
        double z = w[size];
        for (int k = 0; k < d.features().length; k++) {
          if (df[d.features()[k]] >= settings.minDf()) {
            z += w[d.features()[k]] * d.values()[k];
          }
        }
        double p = 1 / (1 + Math.exp(-z));
        double y = d.disclosure() ? 1 : 0;
        double g = (p - y) * (d.disclosure() ? settings.positiveWeight() : 1);
        for (int k = 0; k < d.features().length; k++) {
          int f = d.features()[k];
          if (df[f] < settings.minDf()) {
            continue;
          }
          double gi = g * d.values()[k] + settings.lambda() * w[f];
          g2[f] += gi * gi;
          w[f] -= settings.rate() * gi / (Math.sqrt(g2[f]) + 1e-8);
        }
        g2[size] += g * g;
        w[size] -= settings.rate() * g / (Math.sqrt(g2[size]) + 1e-8);
      }
    }
    return w;
  }

  /** The trained weights as a model (only features with a weight), at {@code threshold}. */
  DisclosureModel model(double[] w, double threshold) {
    return DisclosureModel.of(w[w.length - 1], threshold, settings.minWords(), weights(w));
  }

  private Map<String, Double> weights(double[] w) {
    Map<String, Double> features = new LinkedHashMap<>();
    for (int i = 0; i < w.length - 1; i++) {
      if (Math.abs(w[i]) >= 1e-4) {
        features.put(featureNames.get(i), w[i]);
      }
    }
    return features;
  }

  /** Scores with the trained weights directly (what the model file gives, before rounding to 4 digits). */
  double score(double[] w, Doc d) {
    if (d.words() < settings.minWords()) {
      return 0; // as the model at run time: no opinion on a short message
    }
    double z = w[w.length - 1];
    for (int k = 0; k < d.features().length; k++) {
      z += w[d.features()[k]] * d.values()[k];
    }
    return 1 / (1 + Math.exp(-z));
  }

  // ---- measuring ----------------------------------------------------------------------------

  /** Rules' outcome from an older commit's rules, for the honest per-round comparison. */
  record Baseline(String action, boolean disclosure) {}

  /** Figures of one set: rules alone, or rules OR model at a threshold. */
  record Figures(int disclosures, int found, int flagged, int benign, int benignHeld) {
    double recall() {
      return disclosures == 0 ? 1 : found / (double) disclosures;
    }

    double precision() {
      return flagged == 0 ? 1 : found / (double) flagged;
    }

    double benignFp() {
      return benign == 0 ? 0 : benignHeld / (double) benign;
    }
  }

  static Figures figures(List<Doc> docs, double[] probability, double threshold, Map<String, Baseline> baseline) {
    int disclosures = 0;
    int found = 0;
    int flagged = 0;
    int benign = 0;
    int benignHeld = 0;
    for (int i = 0; i < docs.size(); i++) {
      Doc d = docs.get(i);
      String action = d.rulesAction();
      boolean ruleDisclosure = d.rulesDisclosure();
      if (baseline != null) {
        Baseline b = baseline.get(d.set() + "\t" + d.row().id());
        if (b == null) {
          throw new IllegalStateException("the baseline has no outcome for " + d.set() + " " + d.row().id());
        }
        action = b.action();
        ruleDisclosure = b.disclosure();
      }
      boolean model = probability != null && probability[i] >= threshold;
      boolean disclosure = ruleDisclosure || model;
      String combined = model ? "alert" : action;
      disclosures += d.disclosure() ? 1 : 0;
      found += d.disclosure() && disclosure ? 1 : 0;
      flagged += disclosure ? 1 : 0;
      benign += d.benign() ? 1 : 0;
      benignHeld += d.benign() && !combined.equals("allow") ? 1 : 0;
    }
    return new Figures(disclosures, found, flagged, benign, benignHeld);
  }

  /**
   * The lowest threshold (most recall) whose combined benign false positives, averaged over the folds, stay within the
   * rules' own average plus one point. {@code folds}: each fold's documents and out-of-fold probabilities.
   */
  static double chooseThreshold(List<List<Doc>> folds, List<double[]> probabilities, Map<String, Baseline> baseline) {
    double rulesFp = 0;
    for (List<Doc> fold : folds) {
      rulesFp += figures(fold, null, 1, baseline).benignFp();
    }
    rulesFp /= folds.size();
    for (int step = 5; step <= 99; step++) {
      double t = step / 100.0;
      double fp = 0;
      for (int f = 0; f < folds.size(); f++) {
        fp += figures(folds.get(f), probabilities.get(f), t, baseline).benignFp();
      }
      if (fp / folds.size() <= rulesFp + 0.01 + 1e-9) {
        return t;
      }
    }
    return 0.99;
  }

  /** Out-of-fold probabilities of every set: each scored by a model trained on the other sets. */
  List<double[]> outOfFold(List<List<Doc>> folds) {
    List<double[]> out = new ArrayList<>();
    for (int held = 0; held < folds.size(); held++) {
      List<Doc> training = new ArrayList<>(extra);
      for (int f = 0; f < folds.size(); f++) {
        if (f != held) {
          training.addAll(folds.get(f));
        }
      }
      double[] w = train(training);
      List<Doc> test = folds.get(held);
      double[] p = new double[test.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = score(w, test.get(i));
      }
      out.add(p);
    }
    return out;
  }

  static List<List<Doc>> bySet(List<Doc> docs, List<String> sets) {
    List<List<Doc>> folds = new ArrayList<>();
    for (String set : sets) {
      folds.add(docs.stream().filter(d -> d.set().equals(set)).toList());
    }
    return folds;
  }

  /** Prints the leave-one-set-out tables; returns the threshold chosen over all folds. */
  double crossValidate(List<Doc> docs, List<String> sets, boolean nested, Map<String, Baseline> baseline, boolean misses,
                       StringBuilder out) {
    List<List<Doc>> folds = bySet(docs, sets);
    List<double[]> oof = outOfFold(folds);
    double threshold = chooseThreshold(folds, oof, null);
    double[] nestedThreshold = new double[folds.size()];
    if (nested) {
      for (int held = 0; held < folds.size(); held++) {
        List<List<Doc>> inner = new ArrayList<>(folds);
        inner.remove(held);
        nestedThreshold[held] = chooseThreshold(inner, outOfFold(inner), null);
      }
    }
    out.append(String.format("%nthreshold %.2f (lowest whose mean combined benign FP over the %d folds is within the rules' + 1 point)%n",
        threshold, folds.size()));
    out.append(String.format("%n| held-out set | disclosures | rules recall | rules precision | rules benign FP | "
        + "rules+model recall | rules+model precision | rules+model benign FP |%s%n", nested ? " nested threshold | nested recall | nested benign FP |" : ""));
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|" + (nested ? "---:|---:|---:|" : "") + "\n");
    Figures[] sums = new Figures[3];
    Arrays.fill(sums, new Figures(0, 0, 0, 0, 0));
    double[] fpMean = new double[3];
    for (int f = 0; f < folds.size(); f++) {
      Figures rules = figures(folds.get(f), null, 1, null);
      Figures combined = figures(folds.get(f), oof.get(f), threshold, null);
      Figures nestedFigures = figures(folds.get(f), oof.get(f), nestedThreshold[f], null);
      out.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.1f %% | %.3f | %.3f | %.1f %% |", sets.get(f), rules.disclosures(),
          rules.recall(), rules.precision(), 100 * rules.benignFp(), combined.recall(), combined.precision(), 100 * combined.benignFp()));
      if (nested) {
        out.append(String.format(Locale.ROOT, " %.2f | %.3f | %.1f %% |", nestedThreshold[f], nestedFigures.recall(), 100 * nestedFigures.benignFp()));
      }
      out.append('\n');
      sums[0] = add(sums[0], rules);
      sums[1] = add(sums[1], combined);
      sums[2] = add(sums[2], nestedFigures);
      fpMean[0] += rules.benignFp() / folds.size();
      fpMean[1] += combined.benignFp() / folds.size();
      fpMean[2] += nestedFigures.benignFp() / folds.size();
    }
    out.append(String.format(Locale.ROOT, "| all (pooled; FP mean of folds) | %d | %.3f | %.3f | %.1f %% | %.3f | %.3f | %.1f %% |%s%n",
        sums[0].disclosures(), sums[0].recall(), sums[0].precision(), 100 * fpMean[0], sums[1].recall(), sums[1].precision(),
        100 * fpMean[1], nested ? String.format(Locale.ROOT, " | %.3f | %.1f %% |", sums[2].recall(), 100 * fpMean[2]) : ""));
    out.append(String.format("%nThe model alone (out of fold), per threshold, pooled over all sets:%n"));
    out.append("| threshold | model recall | model precision | model benign FP | rules+model recall | rules+model benign FP |\n|---:|---:|---:|---:|---:|---:|\n");
    for (double t : new double[] {0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, threshold}) {
      Figures model = modelOnly(folds, oof, t);
      Figures comb = new Figures(0, 0, 0, 0, 0);
      for (int f = 0; f < folds.size(); f++) {
        comb = add(comb, figures(folds.get(f), oof.get(f), t, null));
      }
      out.append(String.format(Locale.ROOT, "| %.2f | %.3f | %.3f | %.1f %% | %.3f | %.1f %% |%n", t, model.recall(), model.precision(),
          100 * model.benignFp(), comb.recall(), 100 * comb.benignFp()));
    }
    if (baseline != null) {
      out.append(String.format("%nWith the baseline rules' outcomes (--baseline), threshold %.2f:%n", threshold));
      out.append("| held-out set | rules recall | rules benign FP | rules+model recall | rules+model precision | rules+model benign FP |\n|---|---:|---:|---:|---:|---:|\n");
      Figures rulesSum = new Figures(0, 0, 0, 0, 0);
      Figures combinedSum = new Figures(0, 0, 0, 0, 0);
      for (int f = 0; f < folds.size(); f++) {
        Figures rules = figures(folds.get(f), null, 1, baseline);
        Figures combined = figures(folds.get(f), oof.get(f), threshold, baseline);
        out.append(String.format(Locale.ROOT, "| %s | %.3f | %.1f %% | %.3f | %.3f | %.1f %% |%n", sets.get(f), rules.recall(),
            100 * rules.benignFp(), combined.recall(), combined.precision(), 100 * combined.benignFp()));
        if (!sets.get(f).equals("corpus.tsv")) {
          rulesSum = add(rulesSum, rules);
          combinedSum = add(combinedSum, combined);
        }
      }
      out.append(String.format(Locale.ROOT, "| held-out sets pooled | %.3f | %.1f %% | %.3f | %.3f | %.1f %% |%n", rulesSum.recall(),
          100 * rulesSum.benignFp(), combinedSum.recall(), combinedSum.precision(), 100 * combinedSum.benignFp()));
      summary.append(String.format(Locale.ROOT, " t=%.2f honest pooled recall %.3f -> %.3f, FP %.1f -> %.1f %%", threshold,
          rulesSum.recall(), combinedSum.recall(), 100 * rulesSum.benignFp(), 100 * combinedSum.benignFp()));
      out.append(String.format("%nThe two newest sets, left out, with the baseline rules, per threshold (recall / benign FP):%n"));
      out.append("| threshold |");
      for (int f = Math.max(0, folds.size() - 2); f < folds.size(); f++) {
        out.append(' ').append(sets.get(f)).append(" |");
      }
      out.append("\n|---:|" + "---:|".repeat(Math.min(2, folds.size())) + "\n");
      for (double t : new double[] {0.3, 0.4, 0.5, 0.6, 0.7, threshold, 0.8, 0.9, 1.01}) {
        out.append(String.format(Locale.ROOT, "| %s |", t > 1 ? "rules alone" : String.format(Locale.ROOT, "%.2f", t)));
        for (int f = Math.max(0, folds.size() - 2); f < folds.size(); f++) {
          Figures c = figures(folds.get(f), oof.get(f), t, baseline);
          out.append(String.format(Locale.ROOT, " %.3f / %.1f %% |", c.recall(), 100 * c.benignFp()));
        }
        out.append('\n');
      }
    }
    if (misses) {
      out.append("\nMisses and false alarms of rules+model (out of fold):\n");
      for (int f = 0; f < folds.size(); f++) {
        for (int i = 0; i < folds.get(f).size(); i++) {
          Doc d = folds.get(f).get(i);
          boolean model = oof.get(f)[i] >= threshold;
          boolean said = d.rulesDisclosure() || model;
          if (d.disclosure() != said || (d.benign() && model && d.rulesAction().equals("allow"))) {
            out.append(String.format(Locale.ROOT, "%s %-10s p=%.2f rules=%s %s%n", d.disclosure() ? "MISSED" : "FALSE ", d.row().id(),
                oof.get(f)[i], d.rulesDisclosure() ? "disclosure" : d.rulesAction(), d.row().text()));
          }
        }
      }
    }
    return threshold;
  }

  private static Figures modelOnly(List<List<Doc>> folds, List<double[]> oof, double t) {
    int disclosures = 0, found = 0, flagged = 0, benign = 0, benignHeld = 0;
    for (int f = 0; f < folds.size(); f++) {
      for (int i = 0; i < folds.get(f).size(); i++) {
        Doc d = folds.get(f).get(i);
        boolean m = oof.get(f)[i] >= t;
        disclosures += d.disclosure() ? 1 : 0;
        found += d.disclosure() && m ? 1 : 0;
        flagged += m ? 1 : 0;
        benign += d.benign() ? 1 : 0;
        benignHeld += d.benign() && m ? 1 : 0;
      }
    }
    return new Figures(disclosures, found, flagged, benign, benignHeld);
  }

  private static Figures add(Figures a, Figures b) {
    return new Figures(a.disclosures() + b.disclosures(), a.found() + b.found(), a.flagged() + b.flagged(), a.benign() + b.benign(),
        a.benignHeld() + b.benignHeld());
  }

  // ---- the file -----------------------------------------------------------------------------

  /** The model's false alarms on messages without harm that no model was trained on (the probes). */
  void probe(List<Doc> docs, Map<Path, List<Doc>> probes, double threshold, StringBuilder out) {
    List<Doc> training = new ArrayList<>(docs);
    training.addAll(extra);
    double[] w = train(training);
    for (Map.Entry<Path, List<Doc>> e : probes.entrySet()) {
      int flagged = 0;
      StringBuilder lines = new StringBuilder();
      for (Doc d : e.getValue()) {
        double p = score(w, d);
        if (p >= threshold) {
          flagged++;
          lines.append(String.format(Locale.ROOT, "  p=%.2f %s %s%n", p, d.row().lang(), d.row().text()));
        }
      }
      out.append(String.format(Locale.ROOT, "%nProbe %s (%d messages without harm, never trained on): the model trained on every set "
          + "flags %d (%.1f %%) at %.2f%n%s", e.getKey(), e.getValue().size(), flagged, 100.0 * flagged / e.getValue().size(),
          threshold, lines));
      summary.append(String.format(Locale.ROOT, " | %s %.1f %%", e.getKey().getFileName(), 100.0 * flagged / e.getValue().size()));
    }
    System.err.println("SUMMARY" + summary);
  }

  /** One line for comparing settings: honest pooled figures and the probes' false alarms. */
  private final StringBuilder summary = new StringBuilder();

  void writeModel(List<Doc> docs, List<String> sets, String plus, double threshold, Path out) throws IOException {
    double[] w = train(docs);
    Map<String, Double> features = weights(w);
    String text = DisclosureModel.write(w[w.length - 1], threshold, settings.minWords(), features, LocalDate.now() + " on " + String.join(",", sets) + plus,
        List.of("Chorus disclosure model: the statistical second opinion of the safeguarding filter (docs/safeguarding.md).",
            "Logistic regression: p = 1 / (1 + exp(-(bias + sum of the weights of each feature occurrence / sqrt(occurrences))))",
            "over the text as TextNormalizer.full gives it. c: character n-gram of <word>, w: word, b: word pair.",
            "Settings: " + settings.describe() + ".",
            "Made by: mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.DisclosureModelTrainer",
            "Do not edit by hand: the sha256 line checks the weights, and a changed file is refused at start."));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, text, StandardCharsets.UTF_8);
    // what was written must score as trained (up to the 4 digits kept)
    DisclosureModel written = DisclosureModel.parse(Files.readAllBytes(out), out.toString());
    double worst = 0;
    for (Doc d : docs) {
      double direct = score(w, d);
      double fromFile = written.probability(d.row().text(), d.row().lang());
      worst = Math.max(worst, Math.abs(direct - fromFile));
    }
    System.out.printf("%nwrote %s: %d features, %d bytes, threshold %.2f; largest difference file vs trained %.4f%n", out,
        features.size(), Files.size(out), threshold, worst);
    Figures inSample = figures(docs, docs.stream().mapToDouble(d -> score(w, d)).toArray(), threshold, null);
    System.out.printf("in sample (optimistic, for checking only): rules+model recall %.3f, benign FP %.1f %%%n", inSample.recall(),
        100 * inSample.benignFp());
  }

  // ---- older rules --------------------------------------------------------------------------

  /** {@code --dump-rules FILE}: the rules' outcome for each row, to compare a model with the rules of another commit. */
  static void dumpRules(SafeguardingFilter rules, List<String> sets, Path out) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String set : sets) {
      for (CorpusEvaluation.Row row : CorpusEvaluation.read(set)) {
        Verdict v = rules.check(row.text(), row.lang(), row.country());
        boolean disclosure = v.findings().stream().map(Finding::category).anyMatch(c -> c == Rule.Category.DISCLOSURE);
        sb.append(set).append('\t').append(row.id()).append('\t').append(v.outcome()).append('\t').append(disclosure ? 1 : 0).append('\n');
      }
    }
    Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    System.out.println("rule outcomes written to " + out);
  }

  static Map<String, Baseline> readBaseline(Path file) throws IOException {
    Map<String, Baseline> out = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] f = line.split("\t");
      if (f.length == 4) {
        out.put(f[0] + "\t" + f[1], new Baseline(f[2], f[3].equals("1")));
      }
    }
    return out;
  }
}
