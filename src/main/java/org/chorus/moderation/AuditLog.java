package org.chorus.moderation;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.chorus.web.ApiError;

import java.util.Arrays;
import java.util.UUID;

/**
 * Reads the append-only moderation audit log (written in the same statement as each decision by
 * {@code ContributionStore}; the database refuses updates and deletes).
 */
public final class AuditLog {
  static final String LIST = """
      SELECT m.id, m.at, m.contribution_id, m.actor_kind, a.username, m.action, m.rule_ids, m.reason
      FROM moderation_audit m LEFT JOIN accounts a ON a.id = m.actor_id
      WHERE m.dialogue_id = $1 ORDER BY m.id DESC LIMIT $2""";

  private final Pool pool;

  public AuditLog(Pool pool) {
    this.pool = pool;
  }

  static final String EXISTS = "SELECT 1 FROM dialogues WHERE id = $1";

  public Future<JsonObject> list(UUID dialogueId, int limit) {
    return pool.preparedQuery(EXISTS).execute(Tuple.of(dialogueId)).compose(found -> found.size() == 0
        ? Future.failedFuture(ApiError.notFound("dialogue_not_found", "no such dialogue"))
        : pool.preparedQuery(LIST).execute(Tuple.of(dialogueId, limit))).map(rows -> {
      JsonArray entries = new JsonArray();
      rows.forEach(r -> entries.add(new JsonObject()
          .put("id", r.getLong("id"))
          .put("at", r.getOffsetDateTime("at").toInstant().toString())
          .put("contributionId", r.getLong("contribution_id"))
          .put("by", "filter".equals(r.getString("actor_kind")) ? "filter" : r.getString("username"))
          .put("action", r.getString("action"))
          .put("ruleIds", new JsonArray(Arrays.asList(r.getArrayOfStrings("rule_ids"))))
          .put("reason", r.getString("reason"))));
      return new JsonObject().put("entries", entries);
    });
  }
}
