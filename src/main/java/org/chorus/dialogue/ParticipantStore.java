package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

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
  static final String FIND = "SELECT id, dialogue_id, nickname, age_band, country, language FROM participants WHERE id = $1";

  public record Participant(UUID id, UUID dialogueId, String nickname, String ageBand, String country, String language) {}

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

  public Future<Optional<Participant>> find(UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).map(rows -> {
      var it = rows.iterator();
      if (!it.hasNext()) {
        return Optional.empty();
      }
      Row r = it.next();
      return Optional.of(new Participant(r.getUUID("id"), r.getUUID("dialogue_id"), r.getString("nickname"),
          r.getString("age_band"), r.getString("country").trim(), r.getString("language")));
    });
  }
}
