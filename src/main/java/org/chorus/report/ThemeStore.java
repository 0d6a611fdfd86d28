package org.chorus.report;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The theme list, themes on contributions, and candidate quotes. Only contributions that can appear in a
 * report (published, not withheld for safeguarding) can be tagged or quoted; {@code $moderator} null means
 * staff (any dialogue), else only dialogues assigned to that facilitator.
 */
public final class ThemeStore {
  /** What an export may contain: published, and never a contribution the filter raised an alert for. */
  static final String EXPORTABLE = "c.status = 'published' AND c.moderation_action <> 'alert'";
  static final String ALLOWED = """
      ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM dialogue_facilitators f WHERE f.dialogue_id = c.dialogue_id AND f.account_id = $3))""";

  static final String LIST = """
      SELECT t.id, t.name, (SELECT count(*) FROM contribution_themes ct WHERE ct.theme_id = t.id) AS tagged
      FROM themes t ORDER BY lower(t.name), t.id""";
  static final String INSERT = "INSERT INTO themes (name, created_by) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id, name";
  static final String RENAME = "UPDATE themes SET name = $2 WHERE id = $1 RETURNING id, name";
  static final String DELETE = "DELETE FROM themes WHERE id = $1 RETURNING id";
  static final String EXISTS = "SELECT 1 FROM themes WHERE id = $1";
  static final String TAG = """
      INSERT INTO contribution_themes (contribution_id, theme_id, tagged_by)
      SELECT c.id, $2, $4 FROM contributions c
      WHERE c.id = ANY($1) AND\s""" + EXPORTABLE + " AND " + ALLOWED + """

      ON CONFLICT DO NOTHING RETURNING contribution_id""";
  static final String TAGGABLE = "SELECT count(*) FROM contributions c WHERE c.id = ANY($1) AND " + EXPORTABLE + " AND " + ALLOWED.replace("$3", "$2");
  static final String UNTAG = """
      DELETE FROM contribution_themes ct USING contributions c
      WHERE ct.contribution_id = c.id AND c.id = ANY($1) AND ct.theme_id = $2 AND\s""" + ALLOWED + " RETURNING ct.contribution_id";
  static final String QUOTE = """
      INSERT INTO quotes (contribution_id, rendering, rendering_language, marked_by)
      SELECT c.id, $2, $3, $4 FROM contributions c WHERE c.id = $1 AND\s""" + EXPORTABLE + """

      ON CONFLICT (contribution_id) DO UPDATE SET rendering = EXCLUDED.rendering,
        rendering_language = EXCLUDED.rendering_language, marked_by = EXCLUDED.marked_by, marked_at = now()
      RETURNING contribution_id""";
  static final String UNQUOTE = "DELETE FROM quotes WHERE contribution_id = $1 RETURNING contribution_id";

  private final Pool pool;

  public ThemeStore(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonArray> list() {
    return pool.preparedQuery(LIST).execute().map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("id", r.getLong("id")).put("name", r.getString("name")).put("tagged", r.getLong("tagged")));
      }
      return out;
    });
  }

  /** Empty when a theme of that name (any case) exists. */
  public Future<Optional<JsonObject>> create(String name, UUID by) {
    return pool.preparedQuery(INSERT).execute(Tuple.of(name, by)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(new JsonObject().put("id", rows.iterator().next().getLong("id")).put("name", name).put("tagged", 0L)));
  }

  public Future<Boolean> rename(long id, String name) {
    return pool.preparedQuery(RENAME).execute(Tuple.of(id, name)).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> delete(long id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> exists(long id) {
    return pool.preparedQuery(EXISTS).execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  /** Tags those of {@code ids} the caller may tag; returns how many were tagged now and how many may be tagged at all. */
  public Future<int[]> tag(List<Long> ids, long themeId, UUID facilitatorOrNull, UUID by) {
    Long[] array = ids.toArray(new Long[0]);
    return pool.withTransaction(conn -> conn.preparedQuery(TAGGABLE).execute(Tuple.of(array, facilitatorOrNull))
        .compose(count -> conn.preparedQuery(TAG).execute(Tuple.of(array, themeId, facilitatorOrNull, by))
            .map(tagged -> new int[] {tagged.size(), count.iterator().next().getLong(0).intValue()})));
  }

  public Future<Integer> untag(List<Long> ids, long themeId, UUID facilitatorOrNull) {
    return pool.preparedQuery(UNTAG).execute(Tuple.of(ids.toArray(new Long[0]), themeId, facilitatorOrNull)).map(rows -> rows.size());
  }

  /** False when the contribution cannot be quoted (unknown, not published, or withheld for safeguarding). */
  public Future<Boolean> quote(long contributionId, String rendering, String renderingLanguage, UUID by) {
    return pool.preparedQuery(QUOTE).execute(Tuple.of(contributionId, rendering, renderingLanguage, by)).map(rows -> rows.size() > 0);
  }

  public Future<Boolean> unquote(long contributionId) {
    return pool.preparedQuery(UNQUOTE).execute(Tuple.of(contributionId)).map(rows -> rows.size() > 0);
  }
}
