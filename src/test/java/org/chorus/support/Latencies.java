package org.chorus.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Round-trip times collected by a test, summarised as percentiles in milliseconds. */
public final class Latencies {
  private final List<Long> nanos = new ArrayList<>();

  public synchronized void add(long elapsedNanos) {
    nanos.add(elapsedNanos);
  }

  public synchronized int count() {
    return nanos.size();
  }

  /** The {@code p}-th percentile (0-100) in milliseconds, nearest rank. */
  public synchronized double percentile(double p) {
    if (nanos.isEmpty()) {
      throw new IllegalStateException("no samples");
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }

  @Override
  public String toString() {
    return String.format("n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms", count(), percentile(50), percentile(95), percentile(99), percentile(100));
  }
}
