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

  private final Path folder;
  private final AtomicReference<RuleSet> active;
  private volatile String fingerprint;
  private volatile String lastRejected;

  private SafeguardingFilter(Path folder, RuleSet rules, String fingerprint) {
    this.folder = folder;
    this.active = new AtomicReference<>(rules);
    this.fingerprint = fingerprint;
  }

  /** Loads and checks the rules; throws {@link RuleException} naming file, line and problem. Blocking. */
  public static SafeguardingFilter load(Path folder) {
    String print = fingerprint(folder);
    RuleSet rules = new RuleSet(RuleLoader.load(folder));
    LOG.info("Loaded {} safeguarding rules from {}", rules.size(), folder);
    return new SafeguardingFilter(folder, rules, print);
  }

  public Verdict check(String text, String language, String country) {
    return active.get().check(text, language, country);
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

  /** Start-up helper: load off the event loop. */
  public static Future<SafeguardingFilter> loadAsync(Vertx vertx, Path folder) {
    return vertx.executeBlocking(() -> load(folder), false);
  }
}
