package org.chorus.moderation;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.chorus.live.RoomEvents;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Safeguarding alerts after they are raised (the alert row is written with the contribution): a
 * facilitator acknowledges; one left unacknowledged too long is escalated to staff. Escalation is one
 * conditional UPDATE, so with several nodes each alert is escalated exactly once.
 */
public final class AlertService {
  private static final Logger LOG = LoggerFactory.getLogger(AlertService.class);

  static final String ACKNOWLEDGE = """
      WITH acked AS (
        UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $3
        WHERE dialogue_id = $1 AND contribution_id = $2 AND acknowledged_at IS NULL RETURNING contribution_id
      ), audited AS (
        INSERT INTO moderation_audit (dialogue_id, contribution_id, actor_kind, actor_id, action)
        SELECT $1, contribution_id, 'account', $3, 'acknowledge_alert' FROM acked
      )
      SELECT contribution_id FROM acked""";
  static final String ESCALATE = """
      UPDATE alerts SET escalated_at = now()
      WHERE acknowledged_at IS NULL AND escalated_at IS NULL AND raised_at < now() - make_interval(secs => $1)
      RETURNING dialogue_id, contribution_id""";
  static final String OPEN = """
      SELECT a.dialogue_id, d.title, a.contribution_id, a.raised_at, a.escalated_at
      FROM alerts a JOIN dialogues d ON d.id = a.dialogue_id
      WHERE a.acknowledged_at IS NULL ORDER BY a.raised_at""";

  static final String OPEN_IN_DIALOGUE = """
      SELECT contribution_id, raised_at, escalated_at FROM alerts
      WHERE dialogue_id = $1 AND acknowledged_at IS NULL ORDER BY raised_at""";

  private final Pool pool;
  private final EventBus bus;

  public AlertService(Pool pool, EventBus bus) {
    this.pool = pool;
    this.bus = bus;
  }

  public Future<Void> acknowledge(UUID dialogueId, long contributionId, UUID accountId, String username) {
    return pool.preparedQuery(ACKNOWLEDGE).execute(Tuple.of(dialogueId, contributionId, accountId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ApiError.conflict("no_open_alert", "there is no unacknowledged alert for contribution " + contributionId));
      }
      RoomEvents.publish(bus, dialogueId, RoomEvents.ALERT_ACKNOWLEDGED,
          new JsonObject().put("contributionId", contributionId).put("by", username));
      return Future.succeededFuture();
    });
  }

  /** Escalates what waited longer than {@code afterSeconds}; returns how many. */
  public Future<Integer> escalateOverdue(int afterSeconds) {
    return pool.preparedQuery(ESCALATE).execute(Tuple.of(afterSeconds)).map(rows -> {
      rows.forEach(r -> {
        LOG.warn("Safeguarding alert on contribution {} escalated to staff: not acknowledged within {} s",
            r.getLong("contribution_id"), afterSeconds);
        RoomEvents.publish(bus, r.getUUID("dialogue_id"), RoomEvents.ALERT_ESCALATED,
            new JsonObject().put("contributionId", r.getLong("contribution_id")));
      });
      return rows.size();
    });
  }

  /** Checks every few seconds (at most a tenth of the escalation time). */
  public long watch(Vertx vertx, int afterSeconds) {
    long period = Math.max(1000L, Math.min(10_000L, afterSeconds * 100L));
    return vertx.setPeriodic(period, id -> escalateOverdue(afterSeconds)
        .onFailure(err -> LOG.warn("alert escalation check failed: {}", err.getMessage())));
  }

  /** Unacknowledged alerts of one room, oldest first: a facilitator who (re)connects sees what is still open. */
  public Future<JsonArray> openIn(UUID dialogueId) {
    return pool.preparedQuery(OPEN_IN_DIALOGUE).execute(Tuple.of(dialogueId)).map(rows -> {
      JsonArray alerts = new JsonArray();
      rows.forEach(r -> alerts.add(new JsonObject()
          .put("contributionId", r.getLong("contribution_id"))
          .put("raisedAt", r.getOffsetDateTime("raised_at").toInstant().toString())
          .put("escalated", r.getOffsetDateTime("escalated_at") != null)));
      return alerts;
    });
  }

  /** Unacknowledged alerts of every dialogue, oldest first, for staff. */
  public Future<JsonObject> open() {
    return pool.preparedQuery(OPEN).execute().map(rows -> {
      JsonArray alerts = new JsonArray();
      rows.forEach(r -> alerts.add(new JsonObject()
          .put("dialogueId", r.getUUID("dialogue_id").toString())
          .put("dialogueTitle", r.getString("title"))
          .put("contributionId", r.getLong("contribution_id"))
          .put("raisedAt", r.getOffsetDateTime("raised_at").toInstant().toString())
          .put("escalated", r.getOffsetDateTime("escalated_at") != null)));
      return new JsonObject().put("alerts", alerts);
    });
  }
}
