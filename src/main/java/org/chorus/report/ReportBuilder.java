package org.chorus.report;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns {@link ReportData} into what may be published: every breakdown through {@link SmallCells}, quotes
 * attributed only as "Child, age band, UN region" (each part only when k or more children share it),
 * moderation figures without content, and SVG charts. Also gives the per-row rules the exports apply.
 * Plain class.
 */
public final class ReportBuilder {
  public static final String WITHOUT_THEME = "Without a theme";
  static final String OTHER = "other";

  private final Regions regions;
  private final SmallCells cells;

  public ReportBuilder(Regions regions, SmallCells cells) {
    this.regions = regions;
    this.cells = cells;
  }

  /** What a row of an export may say about its child: region, age band and language only when k or more share it. */
  public record RowRules(Set<String> regions, Set<String> ageBands, Set<String> languages, String suppressed) {
    public String region(Regions all, String country) {
      String r = all.region(country);
      return regions.contains(r) ? r : suppressed;
    }

    public String ageBand(String band) {
      return ageBands.contains(band) ? band : suppressed;
    }

    public String language(String code) {
      return languages.contains(code) ? code : OTHER;
    }
  }

  public RowRules rowRules(ReportData d) {
    return new RowRules(
        regionCounts(d.byCountry()).entrySet().stream().filter(e -> cells.shown(e.getValue()[0])).map(Map.Entry::getKey).collect(Collectors.toSet()),
        d.byAgeBand().entrySet().stream().filter(e -> cells.shown(e.getValue()[0])).map(Map.Entry::getKey).collect(Collectors.toSet()),
        d.byLanguage().entrySet().stream().filter(e -> cells.shown(e.getValue()[0])).map(Map.Entry::getKey).collect(Collectors.toSet()),
        cells.suppressedLabel());
  }

  /** The aggregates of the report (the JSON export's head, and the printable page's data). */
  public JsonObject aggregates(ReportData d, Instant generatedAt) {
    RowRules rules = rowRules(d);
    JsonObject out = new JsonObject()
        .put("generatedAt", generatedAt.toString())
        .put("minimumCellSize", cells.k())
        .put("suppressedLabel", cells.suppressedLabel())
        .put("dialogues", new JsonArray(d.dialogues().stream()
            .map(x -> new JsonObject().put("id", x.id().toString()).put("title", x.title())).toList()))
        .put("empty", d.contributions() == 0);

    Map<String, long[]> joinedRegions = regionCounts(wrap(d.joinedByCountry()));
    out.put("totals", new JsonObject()
        .put("children", d.joined())
        .put("childrenWhoContributed", d.contributors())
        .put("countries", d.joinedByCountry().size())
        .put("regions", joinedRegions.size())
        .put("languages", d.byLanguage().size())
        .put("contributions", d.contributions()));

    List<SmallCells.Cell> regionCells = cells.cells(joinedRegions, Function.identity());
    List<SmallCells.Cell> countryCells = cells.countries(wrap(d.joinedByCountry()), regions);
    List<SmallCells.Cell> ageCells = cells.cells(wrap(d.joinedByAgeBand()), Function.identity());
    List<SmallCells.Cell> languageCells = cells.cells(d.byLanguage(), ReportBuilder::languageName);
    out.put("participation", new JsonObject()
        .put("regions", cells.toJson(regionCells))
        .put("countries", cells.toJson(countryCells))
        .put("ageBands", cells.toJson(ageCells))
        .put("languages", cells.toJson(languageCells)));

    Map<Long, List<ReportData.ThemeCount>> themesByPrompt = new HashMap<>();
    d.themes().forEach(t -> themesByPrompt.computeIfAbsent(t.promptId(), k -> new ArrayList<>()).add(t));
    Map<java.util.UUID, String> titles = new HashMap<>();
    d.dialogues().forEach(x -> titles.put(x.id(), x.title()));
    JsonArray prompts = new JsonArray();
    List<SvgCharts.Bar> promptBars = new ArrayList<>();
    for (ReportData.PromptCount p : d.prompts()) {
      boolean shown = cells.shown(p.children());
      JsonArray themes = new JsonArray();
      for (ReportData.ThemeCount t : themesByPrompt.getOrDefault(p.promptId(), List.of())) {
        boolean themeShown = cells.shown(t.children());
        themes.add(new JsonObject().put("theme", t.theme()).put("contributions", themeShown ? t.contributions() : null)
            .put("children", themeShown ? t.children() : null));
      }
      prompts.add(new JsonObject()
          .put("dialogueId", p.dialogueId().toString())
          .put("dialogue", titles.get(p.dialogueId()))
          .put("promptId", p.promptId())
          .put("position", p.position())
          .put("text", p.text())
          .put("contributions", shown ? p.contributions() : null)
          .put("children", shown ? p.children() : null)
          .put("themes", themes));
      promptBars.add(new SvgCharts.Bar((d.dialogues().size() > 1 ? titles.get(p.dialogueId()) + " · " : "") + p.position() + ". " + p.text(),
          shown ? p.contributions() : null));
    }
    out.put("prompts", prompts);
    out.put("quotes", quotes(d, rules));

    ReportData.Moderation m = d.moderation();
    out.put("moderation", new JsonObject()
        .put("contributions", m.total())
        .put("published", m.published())
        .put("pending", m.pending())
        .put("rejected", m.rejected())
        .put("removed", m.removed())
        .put("heldByFilter", m.heldByFilter())
        .put("withheldForSafeguarding", m.withheldForSafeguarding())
        .put("safeguardingAlerts", m.alerts())
        .put("sharePublished", m.total() == 0 ? null : Math.round(1000.0 * m.published() / m.total()) / 1000.0)
        .put("shareHeld", m.total() == 0 ? null : Math.round(1000.0 * m.heldByFilter() / m.total()) / 1000.0)
        .put("shareRemoved", m.total() == 0 ? null : Math.round(1000.0 * (m.removed() + m.rejected()) / m.total()) / 1000.0));

    String suppressed = cells.suppressedLabel();
    out.put("charts", new JsonObject()
        .put("regions", SvgCharts.bars("Children by UN region", bars(regionCells), suppressed))
        .put("countries", SvgCharts.bars("Children by country", bars(countryCells), suppressed))
        .put("ageBands", SvgCharts.bars("Children by age band", bars(ageCells), suppressed))
        .put("languages", SvgCharts.bars("Children by language they wrote in", bars(languageCells), suppressed))
        .put("prompts", SvgCharts.bars("Contributions per prompt", promptBars, suppressed)));
    return out;
  }

  /** Quotes grouped by theme (a quote with two themes appears under both), attributed without identity. */
  private JsonArray quotes(ReportData d, RowRules rules) {
    Map<String, JsonArray> byTheme = new TreeMap<>();
    for (ReportData.Quote q : d.quotes()) {
      JsonObject quote = new JsonObject()
          .put("contributionId", q.contributionId())
          .put("promptId", q.promptId())
          .put("text", q.text())
          .put("language", rules.language(q.language()))
          .put("rendering", q.rendering())
          .put("renderingLanguage", q.renderingLanguage())
          .put("attribution", attribution(rules, q.ageBand(), q.country()));
      for (String theme : q.themes().isEmpty() ? List.of(WITHOUT_THEME) : q.themes()) {
        byTheme.computeIfAbsent(theme, k -> new JsonArray()).add(quote);
      }
    }
    JsonArray out = new JsonArray();
    byTheme.entrySet().stream().sorted((a, b) -> WITHOUT_THEME.equals(a.getKey()) ? 1 : WITHOUT_THEME.equals(b.getKey()) ? -1 : a.getKey().compareTo(b.getKey()))
        .forEach(e -> out.add(new JsonObject().put("theme", e.getKey()).put("quotes", e.getValue())));
    return out;
  }

  /** "Child, 12-14, Africa"; a part that fewer than k children share is left out. */
  public String attribution(RowRules rules, String ageBand, String country) {
    StringBuilder s = new StringBuilder("Child");
    if (rules.ageBands().contains(ageBand)) {
      s.append(", ").append(ageBand);
    }
    String region = regions.region(country);
    if (rules.regions().contains(region)) {
      s.append(", ").append(region);
    }
    return s.toString();
  }

  /** Children per region (a child has one country, so summing countries counts each once). */
  private Map<String, long[]> regionCounts(Map<String, long[]> byCountry) {
    Map<String, long[]> out = new LinkedHashMap<>();
    byCountry.forEach((code, n) -> SmallCells.add(out, regions.region(code), n));
    return out;
  }

  private static Map<String, long[]> wrap(Map<String, Long> counts) {
    Map<String, long[]> out = new LinkedHashMap<>();
    counts.forEach((k, v) -> out.put(k, new long[] {v}));
    return out;
  }

  private static List<SvgCharts.Bar> bars(List<SmallCells.Cell> list) {
    return list.stream().map(c -> new SvgCharts.Bar(c.label(), c.children())).toList();
  }

  static String languageName(String code) {
    if ("und".equals(code) || "pending".equals(code)) {
      return "Undetermined";
    }
    String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
    return name.isEmpty() || name.equals(code) ? code : name;
  }
}
