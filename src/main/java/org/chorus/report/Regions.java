package org.chorus.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Country → UN M49 region (Africa, Americas, Asia, Europe, Oceania), shipped as data in
 * {@code report/m49-regions.tsv}. Quotes are attributed to a region, never a country, and countries
 * with few children are rolled up into theirs.
 */
public final class Regions {
  public static final String UNKNOWN = "Unknown region";
  private static final String RESOURCE = "/report/m49-regions.tsv";

  public record Country(String alpha2, String name, String region, String subregion) {}

  private final Map<String, Country> byCode;

  private Regions(Map<String, Country> byCode) {
    this.byCode = byCode;
  }

  public static Regions load() {
    try (InputStream in = Regions.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      Map<String, Country> map = new HashMap<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] f = lines[i].split("\t", -1);
        if (f.length < 5) {
          throw new IllegalStateException(RESOURCE + " line " + (i + 1) + ": expected alpha2, m49, name, region, subregion");
        }
        String region = f[3].isBlank() ? UNKNOWN : f[3].strip();
        map.put(f[0].strip(), new Country(f[0].strip(), f[2].strip(), region, f[4].isBlank() ? region : f[4].strip()));
      }
      return new Regions(Map.copyOf(map));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String region(String alpha2) {
    Country c = alpha2 == null ? null : byCode.get(alpha2.strip());
    return c == null ? UNKNOWN : c.region();
  }

  public String countryName(String alpha2) {
    Country c = alpha2 == null ? null : byCode.get(alpha2.strip());
    return c == null ? alpha2 : c.name();
  }

  public int size() {
    return byCode.size();
  }
}
