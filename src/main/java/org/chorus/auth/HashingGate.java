package org.chorus.auth;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code limit} password verifications at once on a node. Each costs a quarter to half a second of CPU
 * (docs/security.md), and the per-username back-off does not slow guesses spread over many usernames: past
 * the limit a sign-in is told to try again in a second instead of queueing more CPU work. Thread-safe.
 */
public final class HashingGate {
  private final AtomicInteger inFlight = new AtomicInteger();
  private final int limit;

  public HashingGate(int limit) {
    this.limit = limit;
  }

  /** True and counted when there is room; the caller must {@link #leave()} afterwards. */
  public boolean tryEnter() {
    while (true) {
      int now = inFlight.get();
      if (now >= limit) {
        return false;
      }
      if (inFlight.compareAndSet(now, now + 1)) {
        return true;
      }
    }
  }

  public void leave() {
    inFlight.decrementAndGet();
  }
}
