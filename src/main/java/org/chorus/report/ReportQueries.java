package org.chorus.report;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The named queries of a report over dialogues {@code $1}; run on one connection inside one snapshot. */
final class ReportQueries {
  static final String EXPORTABLE = ThemeStore.EXPORTABLE + " AND c.dialogue_id = ANY($1)";
  static final String LANGUAGE = "COALESCE(c.content_language, c.language)";

  static final String DIALOGUES = "SELECT id, title FROM dialogues WHERE id = ANY($1) ORDER BY created_at, id";
  /** Children who joined: the participant rows, plus the counts kept of those a retention deletion removed (docs/privacy.md). */
  static final String JOINED = """
      SELECT country, age_band, language, COALESCE(sum(children), 0)::bigint AS children FROM (
        SELECT country, age_band, language, 1 AS children FROM participants WHERE dialogue_id = ANY($1)
        UNION ALL SELECT country, age_band, language, children FROM joined_tallies WHERE dialogue_id = ANY($1)) joined
      GROUP BY GROUPING SETS ((country), (age_band), (language), ())""";
  static final String CONTRIBUTORS = "SELECT c.country, c.age_band, " + LANGUAGE + """
       AS language, count(DISTINCT c.participant_id) AS children, count(*) AS contributions
      FROM contributions c WHERE\s""" + EXPORTABLE + """

      GROUP BY GROUPING SETS ((c.country), (c.age_band), (""" + LANGUAGE + "), ())";
  static final String PROMPTS = """
      SELECT p.dialogue_id, p.id, p.position, p.text,
             count(c.id) AS contributions, count(DISTINCT c.participant_id) AS children
      FROM prompts p JOIN dialogues d ON d.id = p.dialogue_id
      LEFT JOIN contributions c ON c.prompt_id = p.id AND\s""" + ThemeStore.EXPORTABLE + """

      WHERE p.dialogue_id = ANY($1)
      GROUP BY d.created_at, p.dialogue_id, p.id, p.position, p.text ORDER BY d.created_at, p.dialogue_id, p.position""";
  static final String THEMES = """
      SELECT c.prompt_id, t.name, count(*) AS contributions, count(DISTINCT c.participant_id) AS children
      FROM contribution_themes ct JOIN contributions c ON c.id = ct.contribution_id JOIN themes t ON t.id = ct.theme_id
      WHERE\s""" + EXPORTABLE + """

      GROUP BY c.prompt_id, t.name ORDER BY c.prompt_id, count(*) DESC, t.name""";
  static final String QUOTES = "SELECT c.id, c.prompt_id, c.text, " + LANGUAGE + """
       AS language, c.age_band, c.country, q.rendering, q.rendering_language,
             ARRAY(SELECT t.name FROM contribution_themes ct JOIN themes t ON t.id = ct.theme_id
                   WHERE ct.contribution_id = c.id ORDER BY t.name) AS themes
      FROM quotes q JOIN contributions c ON c.id = q.contribution_id
      WHERE\s""" + EXPORTABLE + " ORDER BY c.id";
  static final String MODERATION = """
      SELECT count(*) AS total,
             count(*) FILTER (WHERE status = 'published') AS published,
             count(*) FILTER (WHERE status = 'pending') AS pending,
             count(*) FILTER (WHERE status = 'rejected') AS rejected,
             count(*) FILTER (WHERE status = 'removed') AS removed,
             count(*) FILTER (WHERE moderation_action IN ('hold', 'alert')) AS held_by_filter,
             count(*) FILTER (WHERE moderation_action = 'alert') AS withheld,
             (SELECT count(*) FROM alerts a WHERE a.dialogue_id = ANY($1)) AS alerts
      FROM contributions WHERE dialogue_id = ANY($1)""";
  /** Staff's filtered list for tagging and quoting: optional prompt, language, theme ("none": untagged), text, newest first. */
  static final String BROWSE = "SELECT c.id, c.dialogue_id, c.prompt_id, c.text, " + LANGUAGE + """
       AS language, c.age_band, c.country, c.created_at, q.rendering, q.rendering_language, (q.contribution_id IS NOT NULL) AS quote,
             ARRAY(SELECT t.id || ':' || t.name FROM contribution_themes ct JOIN themes t ON t.id = ct.theme_id
                   WHERE ct.contribution_id = c.id ORDER BY t.name) AS themes
      FROM contributions c LEFT JOIN quotes q ON q.contribution_id = c.id
      WHERE\s""" + EXPORTABLE + """

        AND ($2::bigint IS NULL OR c.prompt_id = $2)
        AND ($3::text IS NULL OR\s""" + LANGUAGE + """
       = $3)
        AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM contribution_themes ct WHERE ct.contribution_id = c.id AND ct.theme_id = $4))
        AND (NOT $5 OR NOT EXISTS (SELECT 1 FROM contribution_themes ct WHERE ct.contribution_id = c.id))
        AND ($6::text IS NULL OR strpos(lower(c.text), lower($6)) > 0)
        AND ($7::bigint IS NULL OR c.id < $7)
      ORDER BY c.id DESC LIMIT $8""";
  static final String SUGGESTION_TEXTS = "SELECT c.prompt_id, " + LANGUAGE + " AS language, c.text FROM contributions c WHERE " + EXPORTABLE;
  /** One row per exportable contribution, in dialogue, prompt and arrival order. */
  static final String ROWS = "SELECT c.id, c.dialogue_id, d.title AS dialogue, p.position AS prompt_position, p.text AS prompt, "
      + "c.country, c.age_band, " + LANGUAGE + """
       AS language, c.text,
             ARRAY(SELECT t.name FROM contribution_themes ct JOIN themes t ON t.id = ct.theme_id
                   WHERE ct.contribution_id = c.id ORDER BY t.name) AS themes,
             q.rendering, q.rendering_language
      FROM contributions c JOIN prompts p ON p.id = c.prompt_id JOIN dialogues d ON d.id = c.dialogue_id
      LEFT JOIN quotes q ON q.contribution_id = c.id
      WHERE\s""" + EXPORTABLE + " ORDER BY d.created_at, c.dialogue_id, p.position, c.id";

  private ReportQueries() {}

  static Future<ReportData> load(SqlConnection conn, UUID[] ids) {
    Tuple scope = Tuple.of((Object) ids);
    Future<RowSet<Row>> dialogues = conn.preparedQuery(DIALOGUES).execute(scope);
    Future<RowSet<Row>> joined = dialogues.compose(v -> conn.preparedQuery(JOINED).execute(scope));
    Future<RowSet<Row>> contributors = joined.compose(v -> conn.preparedQuery(CONTRIBUTORS).execute(scope));
    Future<RowSet<Row>> prompts = contributors.compose(v -> conn.preparedQuery(PROMPTS).execute(scope));
    Future<RowSet<Row>> themes = prompts.compose(v -> conn.preparedQuery(THEMES).execute(scope));
    Future<RowSet<Row>> quotes = themes.compose(v -> conn.preparedQuery(QUOTES).execute(scope));
    Future<RowSet<Row>> moderation = quotes.compose(v -> conn.preparedQuery(MODERATION).execute(scope));
    return moderation.map(m -> build(dialogues.result(), joined.result(), contributors.result(), prompts.result(),
        themes.result(), quotes.result(), m));
  }

  private static ReportData build(RowSet<Row> dialogueRows, RowSet<Row> joinedRows, RowSet<Row> contributorRows,
                                  RowSet<Row> promptRows, RowSet<Row> themeRows, RowSet<Row> quoteRows, RowSet<Row> moderationRows) {
    List<ReportData.DialogueRef> dialogues = new ArrayList<>();
    dialogueRows.forEach(r -> dialogues.add(new ReportData.DialogueRef(r.getUUID("id"), r.getString("title"))));

    long joined = 0;
    Map<String, Long> joinedByCountry = new LinkedHashMap<>();
    Map<String, Long> joinedByAge = new LinkedHashMap<>();
    Map<String, Long> joinedByLanguage = new LinkedHashMap<>();
    for (Row r : joinedRows) {
      long n = r.getLong("children");
      if (r.getValue("country") != null) {
        joinedByCountry.put(r.getString("country").strip(), n);
      } else if (r.getValue("age_band") != null) {
        joinedByAge.put(r.getString("age_band"), n);
      } else if (r.getValue("language") != null) {
        joinedByLanguage.put(r.getString("language"), n);
      } else {
        joined = n;
      }
    }

    long contributors = 0;
    long contributions = 0;
    Map<String, long[]> byCountry = new LinkedHashMap<>();
    Map<String, long[]> byAge = new LinkedHashMap<>();
    Map<String, long[]> byLanguage = new LinkedHashMap<>();
    for (Row r : contributorRows) {
      long[] n = {r.getLong("children"), r.getLong("contributions")};
      if (r.getValue("country") != null) {
        byCountry.put(r.getString("country").strip(), n);
      } else if (r.getValue("age_band") != null) {
        byAge.put(r.getString("age_band"), n);
      } else if (r.getValue("language") != null) {
        byLanguage.put(r.getString("language"), n);
      } else {
        contributors = n[0];
        contributions = n[1];
      }
    }

    List<ReportData.PromptCount> prompts = new ArrayList<>();
    promptRows.forEach(r -> prompts.add(new ReportData.PromptCount(r.getUUID("dialogue_id"), r.getLong("id"),
        r.getInteger("position"), r.getString("text"), r.getLong("contributions"), r.getLong("children"))));
    List<ReportData.ThemeCount> themes = new ArrayList<>();
    themeRows.forEach(r -> themes.add(new ReportData.ThemeCount(r.getLong("prompt_id"), r.getString("name"),
        r.getLong("contributions"), r.getLong("children"))));
    List<ReportData.Quote> quotes = new ArrayList<>();
    quoteRows.forEach(r -> quotes.add(new ReportData.Quote(r.getLong("id"), r.getLong("prompt_id"), r.getString("text"),
        r.getString("language"), r.getString("age_band"), r.getString("country").strip(), r.getString("rendering"),
        r.getString("rendering_language"), Arrays.asList(r.getArrayOfStrings("themes")))));
    Row m = moderationRows.iterator().next();
    ReportData.Moderation moderation = new ReportData.Moderation(m.getLong("total"), m.getLong("published"), m.getLong("pending"),
        m.getLong("rejected"), m.getLong("removed"), m.getLong("held_by_filter"), m.getLong("alerts"), m.getLong("withheld"));
    return new ReportData(dialogues, joined, joinedByCountry, joinedByAge, joinedByLanguage, contributors, contributions,
        byCountry, byAge, byLanguage, prompts, themes, quotes, moderation);
  }
}
