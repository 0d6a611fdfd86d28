package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Children in dialogues: pseudonymous, with only what the report needs. */
public final class ParticipantStore {
  static final String LOCK_AND_COUNT = """
      SELECT capacity, (SELECT count(*) FROM participants WHERE dialogue_id = $1) AS joined
      FROM dialogues WHERE id = $1 FOR UPDATE""";
  static final String INSERT = """
      INSERT INTO participants (id, dialogue_id, nickname, age_band, country, language, consent_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";
  static final String FIND = """
      SELECT id, dialogue_id, nickname, age_band, country, language, muted_until, removed_at FROM participants WHERE id = $1""";
  static final String MUTE = """
      WITH changed AS (
        UPDATE participants SET muted_until = CASE WHEN $3 > 0 THEN now() + make_interval(mins => $3) END
        WHERE id = $2 AND dialogue_id = $1 AND removed_at IS NULL RETURNING id, muted_until
      ), audited AS (
        INSERT INTO moderation_audit (dialogue_id, participant_id, actor_kind, actor_id, action, reason)
        SELECT $1, id, 'account', $4, CASE WHEN $3 > 0 THEN 'mute' ELSE 'unmute' END, $5 FROM changed
      )
      SELECT id, muted_until FROM changed""";
  static final String REMOVE = """
      WITH changed AS (
        UPDATE participants SET removed_at = now() WHERE id = $2 AND dialogue_id = $1 AND removed_at IS NULL RETURNING id
      ), audited AS (
        INSERT INTO moderation_audit (dialogue_id, participant_id, actor_kind, actor_id, action, reason)
        SELECT $1, id, 'account', $3, 'remove_participant', $4 FROM changed
      )
      SELECT id FROM changed""";

  /** A child in a dialogue; {@code mutedUntil} and {@code removed} are set by facilitators. */
  public record Participant(UUID id, UUID dialogueId, String nickname, String ageBand, String country, String language,
                            Instant mutedUntil, boolean removed) {
    public Participant(UUID id, UUID dialogueId, String nickname, String ageBand, String country, String language) {
      this(id, dialogueId, nickname, ageBand, country, language, null, false);
    }

    public boolean mutedAt(Instant now) {
      return mutedUntil != null && now.isBefore(mutedUntil);
    }

    public Participant withModeration(Instant newMutedUntil, boolean newRemoved) {
      return new Participant(id, dialogueId, nickname, ageBand, country, language, newMutedUntil, newRemoved);
    }
  }

  private final Pool pool;

  public ParticipantStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Adds the child unless the dialogue is full; empty when full. The dialogue row is locked so that
   * a burst of joins cannot overshoot the capacity.
   */
  public Future<Optional<Participant>> joinIfRoom(Participant p) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_AND_COUNT).execute(Tuple.of(p.dialogueId()))
        .compose(rows -> {
          Row row = rows.iterator().next();
          if (row.getLong("joined") >= row.getInteger("capacity")) {
            return Future.succeededFuture(Optional.<Participant>empty());
          }
          return conn.preparedQuery(INSERT)
              .execute(Tuple.from(new Object[] {p.id(), p.dialogueId(), p.nickname(), p.ageBand(), p.country(), p.language(),
                  OffsetDateTime.now(ZoneOffset.UTC)}))
              .map(v -> Optional.of(p));
        }));
  }

  /** Mutes for {@code minutes} (0 unmutes); empty when no such (unremoved) child is in the dialogue. */
  public Future<Optional<Instant>> mute(UUID dialogueId, UUID participantId, int minutes, UUID by, String reason) {
    return pool.preparedQuery(MUTE).execute(Tuple.from(new Object[] {dialogueId, participantId, minutes, by, reason}))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          OffsetDateTime until = rows.iterator().next().getOffsetDateTime("muted_until");
          return Optional.of(until == null ? Instant.EPOCH : until.toInstant());
        });
  }

  public Future<Boolean> remove(UUID dialogueId, UUID participantId, UUID by, String reason) {
    return pool.preparedQuery(REMOVE).execute(Tuple.of(dialogueId, participantId, by, reason)).map(rows -> rows.size() > 0);
  }

  public Future<Optional<Participant>> find(UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row r = it.next();
      OffsetDateTime muted = r.getOffsetDateTime("muted_until");
      return Optional.of(new Participant(r.getUUID("id"), r.getUUID("dialogue_id"), r.getString("nickname"),
          r.getString("age_band"), r.getString("country").trim(), r.getString("language"),
          muted == null ? null : muted.toInstant(), r.getOffsetDateTime("removed_at") != null));
    });
  }
}
