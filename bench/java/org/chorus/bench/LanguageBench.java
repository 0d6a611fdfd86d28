package org.chorus.bench;

import org.chorus.app.ChorusConfig;
import org.chorus.language.LanguageDetection;
import org.chorus.language.LanguageSamples;
import org.chorus.language.LanguageTag;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Lingua as configured: build time, heap it holds, accuracy per language on the labelled short messages,
 * and latency per message (one thread, after warm-up). Run it in a fresh JVM (the heap figure is the
 * difference before/after building).
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.LanguageBench
 *   [-Dexec.args="--accuracy low --distance 0.1 --languages en,fr,... --misses"]</pre>
 */
public final class LanguageBench {
  public static void main(String[] args) {
    List<String> a = List.of(args);
    JsonObject language = new JsonObject();
    option(a, "--accuracy").ifPresent(v -> language.put("accuracy", v));
    option(a, "--distance").ifPresent(v -> language.put("minimumRelativeDistance", Double.parseDouble(v)));
    option(a, "--languages").ifPresent(v -> language.put("detect", new JsonArray(Arrays.asList(v.split(",")))));
    LanguageDetection.Settings settings = ChorusConfig.of(new JsonObject().put("language", language)).languageSettings();

    long heapBefore = usedHeapAfterGc();
    long t0 = System.nanoTime();
    LanguageDetection detection = LanguageDetection.build(settings);
    long buildMs = (System.nanoTime() - t0) / 1_000_000;
    long heapMb = (usedHeapAfterGc() - heapBefore) / (1024 * 1024);

    List<LanguageSamples.Sample> samples = LanguageSamples.load();
    System.out.printf("Lingua 1.2.2, %d languages %s, %s accuracy, minimum relative distance %.2f, minimum letters %d; %s %s, %d cores%n",
        settings.languages().size(), settings.languages(), settings.accuracy().name().toLowerCase(), settings.minimumRelativeDistance(),
        settings.minimumLetters(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf("build (models loaded): %d ms; heap held by the detector: %d MB%n%n", buildMs, heapMb);

    Map<String, LanguageSamples.Score> scores = LanguageSamples.score(detection, samples);
    System.out.println("| language | 4+ words | correct | accuracy | 1-3 words | correct | und | accuracy |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    scores.forEach((lang, s) -> System.out.printf("| %s | %d | %d | %s | %d | %d | %d | %s |%n", lang.equals("all") ? "**all**" : lang,
        s.longTotal, s.longCorrect, pct(s.longAccuracy()), s.shortTotal, s.shortCorrect, s.shortUndetermined, pct(s.shortAccuracy())));

    int romanised = 0, romanisedDetected = 0, romanisedFallback = 0;
    for (LanguageSamples.Sample s : samples) {
      if (s.romanised()) {
        romanised++;
        LanguageTag tag = detection.tag(s.text(), s.lang());
        romanisedDetected += s.lang().equals(tag.detected()) ? 1 : 0;
        romanisedFallback += s.lang().equals(tag.content()) ? 1 : 0;
      }
    }
    System.out.printf("%nromanised / code-switched rows: %d; detected right %d; right after falling back to the chosen language %d%n",
        romanised, romanisedDetected, romanisedFallback);

    if (a.contains("--misses")) {
      System.out.println("\nmisses:");
      for (LanguageSamples.Sample s : samples) {
        String found = detection.detect(s.text());
        if (!found.equals(s.lang())) {
          System.out.printf("  %-8s want %-3s got %-3s %s%n", s.id(), s.lang(), found, s.text());
        }
      }
    }

    latency(detection, samples);
  }

  private static void latency(LanguageDetection detection, List<LanguageSamples.Sample> samples) {
    for (int i = 0; i < 20; i++) {
      samples.forEach(s -> detection.detect(s.text()));
    }
    // Contributions of 600+ characters: the labelled messages of one language joined together.
    Map<String, StringBuilder> joined = new java.util.TreeMap<>();
    samples.stream().filter(s -> s.longMessage() && !s.romanised())
        .forEach(s -> joined.computeIfAbsent(s.lang(), k -> new StringBuilder()).append(s.text()).append(' '));
    List<String> essays = joined.values().stream().map(sb -> sb.length() > 1000 ? sb.substring(0, 1000) : sb.toString())
        .filter(t -> t.length() >= 600).toList();
    List<Long> shortNs = new ArrayList<>();
    List<Long> longNs = new ArrayList<>();
    List<Long> essayNs = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (LanguageSamples.Sample s : samples) {
        long t = System.nanoTime();
        detection.detect(s.text());
        (s.longMessage() ? longNs : shortNs).add(System.nanoTime() - t);
      }
      for (String essay : essays) {
        long t = System.nanoTime();
        detection.detect(essay);
        essayNs.add(System.nanoTime() - t);
      }
    }
    System.out.println("\n| messages | count | p50 µs | p99 µs | max µs |");
    System.out.println("|---|---:|---:|---:|---:|");
    row("1-3 words", shortNs);
    row("4+ words", longNs);
    row("600-1,000 characters", essayNs);
  }

  private static void row(String name, List<Long> ns) {
    long[] sorted = ns.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf("| %s | %d | %.0f | %.0f | %.0f |%n", name, sorted.length, sorted[sorted.length / 2] / 1e3,
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e3, sorted[sorted.length - 1] / 1e3);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "-" : String.format("%.1f %%", v * 100);
  }

  private static java.util.Optional<String> option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? java.util.Optional.of(args.get(i + 1)) : java.util.Optional.empty();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
