package org.chorus.report;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the database says about the dialogues of one report, before any suppression: counts keyed by
 * country, age band and language ({@code long[]{children, contributions}}), per prompt, per theme, the
 * candidate quotes and the moderation figures. {@link ReportBuilder} turns it into what may be published.
 */
public record ReportData(
    List<DialogueRef> dialogues,
    long joined, Map<String, Long> joinedByCountry, Map<String, Long> joinedByAgeBand, Map<String, Long> joinedByLanguage,
    long contributors, long contributions,
    Map<String, long[]> byCountry, Map<String, long[]> byAgeBand, Map<String, long[]> byLanguage,
    List<PromptCount> prompts, List<ThemeCount> themes, List<Quote> quotes, Moderation moderation) {

  public record DialogueRef(UUID id, String title) {}

  public record PromptCount(UUID dialogueId, long promptId, int position, String text, long contributions, long children) {}

  public record ThemeCount(long promptId, String theme, long contributions, long children) {}

  public record Quote(long contributionId, long promptId, String text, String language, String ageBand, String country,
                      String rendering, String renderingLanguage, List<String> themes) {}

  public record Moderation(long total, long published, long pending, long rejected, long removed, long heldByFilter,
                           long alerts, long withheldForSafeguarding) {}
}
