package org.chorus.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Small-cell suppression: a breakdown cell with fewer than k children is shown as "fewer than k", and a
 * country with fewer than k children is never named: it is rolled up into "Other countries in <region>".
 * Plain class; every export goes through it.
 */
public final class SmallCells {
  private final int k;

  public SmallCells(int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be at least 1");
    }
    this.k = k;
  }

  public int k() {
    return k;
  }

  public boolean shown(long children) {
    return children >= k;
  }

  public String suppressedLabel() {
    return "fewer than " + k;
  }

  /** One row of a breakdown: {@code children} null when suppressed. */
  public record Cell(String key, String label, Long children, Long contributions) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("key", key).put("label", label).put("children", children);
      if (contributions != null || children == null) {
        j.put("contributions", contributions);
      }
      return j;
    }
  }

  /** Counts per key (children, optionally contributions) → cells, largest first; small ones suppressed. */
  public List<Cell> cells(Map<String, long[]> counts, java.util.function.Function<String, String> label) {
    List<Cell> out = new ArrayList<>();
    counts.forEach((key, n) -> out.add(cell(key, label.apply(key), n)));
    out.sort(order());
    return out;
  }

  /**
   * Countries: those with at least k children by name; the others summed per region as "Other countries
   * in <region>" (itself suppressed when still below k). A small country never appears.
   */
  public List<Cell> countries(Map<String, long[]> byCountry, Regions regions) {
    List<Cell> out = new ArrayList<>();
    Map<String, long[]> rolledUp = new LinkedHashMap<>();
    byCountry.forEach((code, n) -> {
      if (shown(n[0])) {
        out.add(cell(code, regions.countryName(code), n));
      } else {
        add(rolledUp, regions.region(code), n);
      }
    });
    rolledUp.forEach((region, n) -> out.add(cell("other:" + region, "Other countries in " + region, n)));
    out.sort(order());
    return out;
  }

  /** {@code n} = {children, contributions?}; both hidden when the children are fewer than k. */
  private Cell cell(String key, String label, long[] n) {
    return shown(n[0]) ? new Cell(key, label, n[0], n.length > 1 ? n[1] : null) : new Cell(key, label, null, null);
  }

  /** Adds the counts {@code n} to those of {@code key}. */
  static void add(Map<String, long[]> totals, String key, long[] n) {
    long[] sum = totals.computeIfAbsent(key, k -> new long[n.length]);
    for (int i = 0; i < n.length; i++) {
      sum[i] += n[i];
    }
  }

  public JsonArray toJson(List<Cell> cells) {
    return new JsonArray(cells.stream().map(Cell::toJson).toList());
  }

  /** Shown cells largest first, then suppressed ones, then by label. */
  private static Comparator<Cell> order() {
    return Comparator.<Cell, Long>comparing(c -> c.children() == null ? -1 : c.children()).reversed()
        .thenComparing(Cell::label);
  }
}
