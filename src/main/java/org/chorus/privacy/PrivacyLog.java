package org.chorus.privacy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;

/** Reads the append-only privacy log of a dialogue for staff: that erasures and retention deletions happened, and how many rows. */
public final class PrivacyLog {
  static final String LIST = """
      SELECT l.at, l.kind, a.username, l.participants, l.contributions, l.reactions, l.alerts_kept, l.alerts_deleted
      FROM privacy_log l LEFT JOIN accounts a ON a.id = l.actor_id
      WHERE l.dialogue_id = $1 ORDER BY l.id DESC LIMIT $2""";

  private final Pool pool;

  PrivacyLog(Pool pool) {
    this.pool = pool;
  }

  Future<JsonObject> list(UUID dialogueId, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(dialogueId, limit)).map(rows -> {
      JsonArray entries = new JsonArray();
      rows.forEach(r -> entries.add(new JsonObject()
          .put("at", r.getOffsetDateTime("at").toInstant().toString())
          .put("kind", r.getString("kind"))
          .put("by", switch (r.getString("kind")) {
            case "withdrawal" -> "child";
            case "retention" -> "retention";
            default -> r.getString("username");
          })
          .put("participants", r.getInteger("participants"))
          .put("contributions", r.getInteger("contributions"))
          .put("reactions", r.getInteger("reactions"))
          .put("alertsKept", r.getInteger("alerts_kept"))
          .put("alertsDeleted", r.getInteger("alerts_deleted"))));
      return new JsonObject().put("entries", entries);
    });
  }
}
