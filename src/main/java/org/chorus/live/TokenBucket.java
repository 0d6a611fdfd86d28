package org.chorus.live;

/** A per-connection rate limit (messages; pings, pongs and fragments); used on one event loop only, so not synchronised. */
final class TokenBucket {
  private final double perSecond;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, double capacity) {
    this.perSecond = perSecond;
    this.capacity = capacity;
    this.tokens = capacity;
    this.lastNanos = System.nanoTime();
  }

  boolean tryTake() {
    long now = System.nanoTime();
    tokens = Math.min(capacity, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
