package org.chorus.moderation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The safeguarding filter every contribution passes before it is stored. Rules come from
 * {@code moderation-rules/}; the folder is polled and a good edit replaces the rules at once, while a
 * broken edit is logged and the previous rules stay active (there is never a moment with no rules).
 */
public final class SafeguardingFilter {
  private static final Logger LOG = LoggerFactory.getLogger(SafeguardingFilter.class);

  /** The rule id of the statistical second opinion's finding. */
  public static final String MODEL_RULE_ID = "model.disclosure";
  static final String MODEL_REASON = "possible disclosure (statistical second opinion)";

  private final Path folder;
  private final AtomicReference<RuleSet> active;
  /** The disclosure second opinion, or null when switched off ({@code moderation.disclosureModel}). Not reloaded. */
  private final DisclosureModel model;
  private volatile String fingerprint;
  private volatile String lastRejected;

  private SafeguardingFilter(Path folder, RuleSet rules, String fingerprint, DisclosureModel model) {
    this.folder = folder;
    this.active = new AtomicReference<>(rules);
    this.fingerprint = fingerprint;
    this.model = model;
  }

  /** Loads and checks the rules, without the disclosure model; throws {@link RuleException} naming file, line and problem. Blocking. */
  public static SafeguardingFilter load(Path folder) {
    return load(folder, null);
  }

  /**
   * As {@link #load(Path)}, with the disclosure second opinion {@code model} (null: rules only) applied after the rules.
   * Blocking.
   */
  public static SafeguardingFilter load(Path folder, DisclosureModel model) {
    String print = fingerprint(folder);
    RuleSet rules = new RuleSet(RuleLoader.load(folder));
    LOG.info("Loaded {} safeguarding rules from {}", rules.size(), folder);
    if (model != null) {
      LOG.info("Disclosure second opinion: {}", model.description());
    }
    return new SafeguardingFilter(folder, rules, print, model);
  }

  public Verdict check(String text, String language, String country) {
    Verdict verdict = active.get().check(text, language, country);
    return model == null ? verdict : secondOpinion(verdict, text, language);
  }

  /** The disclosure model in use, or null. */
  public DisclosureModel model() {
    return model;
  }

  /**
   * When the rules found no disclosure and the model's probability reaches its threshold, a disclosure finding over the
   * whole text is added and the action becomes alert. Only ever adds: a disclosure the rules found is never touched.
   */
  private Verdict secondOpinion(Verdict verdict, String text, String language) {
    for (Finding f : verdict.findings()) {
      if (f.category() == Rule.Category.DISCLOSURE) {
        return verdict;
      }
    }
    if (!model.flags(text, language)) {
      return verdict;
    }
    List<Finding> findings = new ArrayList<>(verdict.findings().size() + 1);
    findings.add(new Finding(Rule.Category.DISCLOSURE, MODEL_RULE_ID, Rule.Severity.HIGH, Rule.Action.ALERT, MODEL_REASON, 0,
        verdict.redactedText().length()));
    findings.addAll(verdict.findings());
    return new Verdict(Rule.Action.ALERT, List.copyOf(findings), verdict.redactedText(), verdict.redactedLabels());
  }

  public RuleSet rules() {
    return active.get();
  }

  /** Polls the folder every {@code periodMillis}; reloading runs on a worker thread. */
  public long watch(Vertx vertx, long periodMillis) {
    return vertx.setPeriodic(periodMillis, id -> vertx.executeBlocking(() -> {
      reloadIfChanged();
      return null;
    }, false));
  }

  /** Reloads when a file changed; returns true when new rules are active. Blocking. */
  public boolean reloadIfChanged() {
    String now = fingerprint(folder);
    if (now.equals(fingerprint) || now.equals(lastRejected)) {
      return false;
    }
    try {
      RuleSet rules = new RuleSet(RuleLoader.load(folder));
      active.set(rules);
      fingerprint = now;
      lastRejected = null;
      LOG.info("Safeguarding rules reloaded: {} rules", rules.size());
      return true;
    } catch (RuleException e) {
      lastRejected = now;
      LOG.error("Safeguarding rules edit rejected, the previous {} rules stay active: {}", active.get().size(), e.getMessage());
      return false;
    }
  }

  /** Names, sizes and modification times of every file: cheap to compute, changes with any edit. */
  static String fingerprint(Path folder) {
    if (!Files.isDirectory(folder)) {
      return "missing";
    }
    List<String> parts = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(folder, 2)) {
      for (Path p : walk.sorted().toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        parts.add(folder.relativize(p) + ":" + a.size() + ":" + a.lastModifiedTime().toMillis());
      }
    } catch (IOException e) {
      return "unreadable:" + e.getMessage();
    }
    return String.join("|", parts);
  }

  /**
   * Start-up helper: the rules and, when {@code disclosureModel}, the shipped disclosure model ({@link DisclosureModel#RESOURCE}),
   * both off the event loop; a broken rule or model file fails the start.
   */
  public static Future<SafeguardingFilter> loadAsync(Vertx vertx, Path folder, boolean disclosureModel) {
    return vertx.executeBlocking(() -> {
      if (!disclosureModel) {
        LOG.info("Disclosure second opinion switched off (moderation.disclosureModel = false): rules only");
      }
      return load(folder, disclosureModel ? DisclosureModel.loadResource() : null);
    }, false);
  }
}
