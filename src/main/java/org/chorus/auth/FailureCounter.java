package org.chorus.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failures per key in a fixed window, in memory only (a client key such as an IP address is
 * never written anywhere). Once {@code limit} failures are reached the key is refused until its
 * window ends. Thread-safe; shared by the HTTP verticle instances of a node.
 */
public final class FailureCounter {
  private static final int PRUNE_ABOVE = 50_000;

  private record Window(long startMillis, int failures) {}

  private final int limit;
  private final long windowMillis;
  private final Clock clock;
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  public FailureCounter(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.windowMillis = window.toMillis();
    this.clock = clock;
  }

  /** 0 when the key may try now, else the seconds until it may. */
  public long retryAfterSeconds(String key) {
    Window w = windows.get(key);
    long now = clock.millis();
    if (w == null || now - w.startMillis() >= windowMillis || w.failures() < limit) {
      return 0;
    }
    return Math.max(1, (w.startMillis() + windowMillis - now + 999) / 1000);
  }

  public void fail(String key) {
    long now = clock.millis();
    windows.compute(key, (k, w) -> w == null || now - w.startMillis() >= windowMillis
        ? new Window(now, 1) : new Window(w.startMillis(), w.failures() + 1));
    if (windows.size() > PRUNE_ABOVE) {
      windows.values().removeIf(w -> now - w.startMillis() >= windowMillis);
    }
  }
}
