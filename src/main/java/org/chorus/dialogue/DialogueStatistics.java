package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Live counts of one dialogue for staff and its facilitators: who joined, what was written, in which language. */
public final class DialogueStatistics {
  static final String TOTALS = """
      SELECT (SELECT count(*) FROM participants WHERE dialogue_id = $1) AS participants,
             (SELECT count(*) FROM alerts WHERE dialogue_id = $1 AND acknowledged_at IS NULL) AS open_alerts""";
  /** Untagged contributions (detector still loading) are counted under "pending". */
  static final String BY_STATUS_AND_LANGUAGE = """
      SELECT status, COALESCE(content_language, 'pending') AS language, count(*) AS n
      FROM contributions WHERE dialogue_id = $1 GROUP BY 1, 2""";
  static final String PARTICIPANTS = """
      SELECT p.id, p.nickname, p.age_band, p.country, p.language, p.joined_at, p.muted_until, p.removed_at,
             (SELECT count(*) FROM contributions c WHERE c.participant_id = p.id) AS contributions
      FROM participants p WHERE p.dialogue_id = $1 ORDER BY p.joined_at, p.id LIMIT $2""";

  private final Pool pool;

  public DialogueStatistics(Pool pool) {
    this.pool = pool;
  }

  public Future<JsonObject> counts(UUID dialogueId) {
    Future<Row> totals = pool.preparedQuery(TOTALS).execute(Tuple.of(dialogueId)).map(rows -> rows.iterator().next());
    return totals.compose(t -> pool.preparedQuery(BY_STATUS_AND_LANGUAGE).execute(Tuple.of(dialogueId)).map(rows -> {
      Map<String, Long> byStatus = new LinkedHashMap<>();
      for (String s : new String[] {"pending", "published", "rejected", "removed"}) {
        byStatus.put(s, 0L);
      }
      Map<String, long[]> byLanguage = new LinkedHashMap<>();
      long total = 0;
      for (Row r : rows) {
        long n = r.getLong("n");
        total += n;
        byStatus.merge(r.getString("status"), n, Long::sum);
        long[] counts = byLanguage.computeIfAbsent(r.getString("language"), k -> new long[2]);
        counts[0] += n;
        if ("published".equals(r.getString("status"))) {
          counts[1] += n;
        }
      }
      JsonObject contributions = new JsonObject();
      byStatus.forEach(contributions::put);
      contributions.put("total", total);
      JsonArray languages = new JsonArray();
      byLanguage.entrySet().stream()
          .sorted((a, b) -> a.getValue()[0] != b.getValue()[0] ? Long.compare(b.getValue()[0], a.getValue()[0]) : a.getKey().compareTo(b.getKey()))
          .forEach(e -> languages.add(new JsonObject().put("language", e.getKey())
              .put("contributions", e.getValue()[0]).put("published", e.getValue()[1])));
      return new JsonObject()
          .put("dialogueId", dialogueId.toString())
          .put("participants", t.getLong("participants"))
          .put("contributions", contributions)
          .put("languages", languages)
          .put("openAlerts", t.getLong("open_alerts"));
    }));
  }

  /** The children of a dialogue, for the facilitator's participant list (pseudonymous ids, no identities). */
  public Future<JsonArray> participants(UUID dialogueId, int limit) {
    return pool.preparedQuery(PARTICIPANTS).execute(Tuple.of(dialogueId, limit)).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject()
            .put("id", r.getUUID("id").toString())
            .put("nickname", r.getString("nickname"))
            .put("ageBand", r.getString("age_band"))
            .put("country", r.getString("country").trim())
            .put("language", r.getString("language"))
            .put("joinedAt", text(r.getOffsetDateTime("joined_at")))
            .put("mutedUntil", text(r.getOffsetDateTime("muted_until")))
            .put("removedAt", text(r.getOffsetDateTime("removed_at")))
            .put("contributions", r.getLong("contributions")));
      }
      return out;
    });
  }

  private static String text(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }
}
