package org.chorus.auth;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Growing back-off on failed staff and facilitator logins, per username: after {@code freeFailures}
 * wrong passwords each further failure doubles the wait (1 s, 2 s, 4 s … up to 15 minutes). A
 * successful login clears it. In memory only.
 */
public final class LoginThrottle {
  private static final long MAX_WAIT_MILLIS = 15 * 60 * 1000L;

  private record State(int failures, long lastFailureMillis) {}

  private final int freeFailures;
  private final Clock clock;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public LoginThrottle(int freeFailures, Clock clock) {
    this.freeFailures = freeFailures;
    this.clock = clock;
  }

  public long retryAfterSeconds(String username) {
    State s = states.get(username);
    if (s == null || s.failures() < freeFailures) {
      return 0;
    }
    long wait = Math.min(MAX_WAIT_MILLIS, 1000L << Math.min(20, s.failures() - freeFailures));
    long left = s.lastFailureMillis() + wait - clock.millis();
    return left <= 0 ? 0 : (left + 999) / 1000;
  }

  public void fail(String username) {
    long now = clock.millis();
    states.merge(username, new State(1, now), (old, x) -> new State(old.failures() + 1, now));
    if (states.size() > 50_000) {
      states.values().removeIf(s -> now - s.lastFailureMillis() > MAX_WAIT_MILLIS);
    }
  }

  public void succeed(String username) {
    states.remove(username);
  }
}
