package org.chorus.privacy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.chorus.dialogue.Retention;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The periodic retention job: finds dialogues whose retention period has passed since they ended (closed by
 * staff, or their closing time passed) and applies {@link DialogueRetention} to each, in one transaction. The
 * nodes of a cluster share one database: a transaction-scoped advisory lock lets one node at a time run it
 * (the others skip that round). Time comes from the injected {@link Clock}, so tests can move it.
 */
public final class RetentionJob {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  static final long LOCK_KEY = 0x43686f7275735245L; // "ChorusRE"; Migrations uses another key
  /** Bounds one transaction; the next round continues with the rest. */
  static final int DIALOGUES_PER_ROUND = 20;

  static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";
  /** $1 now, $2 the default number of days. An open dialogue ended when its closing time passed. */
  static final String DUE = """
      SELECT id, after_retention FROM dialogues
      WHERE retention_applied_at IS NULL
        AND (CASE WHEN status = 'closed' THEN closed_at WHEN status = 'open' THEN closes_at END)
            + make_interval(days => COALESCE(retention_days, $2)) <= $1
      ORDER BY id LIMIT $3""";

  private final Pool pool;
  private final Clock clock;
  private final int defaultDays;

  public RetentionJob(Pool pool, Clock clock, int defaultDays) {
    this.pool = pool;
    this.clock = clock;
    this.defaultDays = defaultDays;
  }

  /** One round; what it deleted per dialogue (empty when nothing was due or another node holds the lock). */
  public Future<List<DialogueRetention.Outcome>> runOnce() {
    Instant now = clock.instant();
    return pool.withTransaction(conn -> conn.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK_KEY)).compose(lock ->
        !lock.iterator().next().getBoolean("locked") ? Future.succeededFuture(List.<DialogueRetention.Outcome>of())
            : conn.preparedQuery(DUE).execute(Tuple.of(now.atOffset(ZoneOffset.UTC), defaultDays, DIALOGUES_PER_ROUND))
                .compose(due -> applyAll(conn, due, now))));
  }

  private static Future<List<DialogueRetention.Outcome>> applyAll(SqlConnection conn, Iterable<Row> due, Instant now) {
    Future<List<DialogueRetention.Outcome>> done = Future.succeededFuture(new ArrayList<>());
    for (Row row : due) {
      UUID id = row.getUUID("id");
      Retention.After after = Retention.After.fromWire(row.getString("after_retention")).orElseThrow();
      done = done.compose(list -> DialogueRetention.apply(conn, id, after, now).map(outcome -> {
        list.add(outcome);
        return list;
      }));
    }
    return done;
  }

  /** A minute after start, so that a node restarted more often than the period still applies retention. */
  static final long FIRST_ROUND_DELAY_MS = 60_000;

  /** Runs a minute after start, then every {@code periodMs}; returns the timer id. */
  public long watch(Vertx vertx, long periodMs) {
    return vertx.setPeriodic(Math.min(FIRST_ROUND_DELAY_MS, periodMs), periodMs, t -> runOnce()
        .onSuccess(outcomes -> outcomes.forEach(o -> LOG.info(
            "retention applied to dialogue {} ({}): {} participants, {} contributions, {} reactions, {} alerts deleted",
            o.dialogueId(), o.after().wire(), o.participants(), o.contributions(), o.reactions(), o.alerts())))
        .onFailure(err -> LOG.warn("retention round failed; will retry next round: {}", err.getMessage())));
  }
}
