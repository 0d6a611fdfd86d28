package org.chorus.privacy;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Erases one participant in one transaction: its reactions, its contributions (their themes, quotes and
 * the reactions of others go with them, by cascade), its participant row (the moderation audit's link to it
 * is unlinked, by cascade), and writes the privacy log entry. A safeguarding alert on one of its
 * contributions is kept, without text (docs/privacy.md).
 */
final class ErasureStore {
  /**
   * Locks the participant first: a contribution being inserted holds a key-share lock on it (see
   * ContributionStore.INSERT), so either the erasure waits for that insert and then deletes it too, or the
   * insert waits and then finds no author and stores nothing.
   */
  static final String LOCK_PARTICIPANT = "SELECT id FROM participants WHERE id = $1 AND dialogue_id = $2 FOR UPDATE";
  static final String DELETE_REACTIONS = "DELETE FROM reactions WHERE participant_id = $1 RETURNING contribution_id";
  static final String KEEP_ALERTS = """
      UPDATE alerts SET contribution_erased_at = now()
      WHERE contribution_id IN (SELECT id FROM contributions WHERE participant_id = $1)""";
  static final String DELETE_CONTRIBUTIONS = "DELETE FROM contributions WHERE participant_id = $1 RETURNING id";
  static final String DELETE_PARTICIPANT = "DELETE FROM participants WHERE id = $1";
  static final String LOG = """
      INSERT INTO privacy_log (dialogue_id, kind, actor_id, participants, contributions, reactions, alerts_kept)
      VALUES ($1, $2, $3, 1, $4, $5, $6)""";

  enum Kind { WITHDRAWAL, ERASURE }

  private final Pool pool;

  ErasureStore(Pool pool) {
    this.pool = pool;
  }

  /** Empty when the participant is not (or no longer) in that dialogue. {@code staffId} is null for the child's own withdrawal. */
  Future<Optional<Erased>> erase(UUID dialogueId, UUID participantId, UUID staffId) {
    Tuple who = Tuple.of(participantId);
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_PARTICIPANT).execute(Tuple.of(participantId, dialogueId)).compose(found -> {
      if (found.size() == 0) {
        return Future.succeededFuture(Optional.<Erased>empty());
      }
      var reactions = conn.preparedQuery(DELETE_REACTIONS).execute(who);
      var alerts = reactions.compose(v -> conn.preparedQuery(KEEP_ALERTS).execute(who));
      var contributions = alerts.compose(v -> conn.preparedQuery(DELETE_CONTRIBUTIONS).execute(who));
      return contributions
          .compose(v -> conn.preparedQuery(DELETE_PARTICIPANT).execute(who))
          .map(v -> {
            List<Long> ids = new ArrayList<>();
            contributions.result().forEach(r -> ids.add(r.getLong("id")));
            Set<Long> reactedTo = new LinkedHashSet<>();
            reactions.result().forEach(r -> reactedTo.add(r.getLong("contribution_id")));
            ids.forEach(reactedTo::remove);
            return new Erased(dialogueId, participantId, List.copyOf(ids), reactions.result().rowCount(), List.copyOf(reactedTo),
                alerts.result().rowCount());
          })
          .compose(erased -> conn.preparedQuery(LOG).execute(Tuple.from(new Object[] {dialogueId,
                  (staffId == null ? Kind.WITHDRAWAL : Kind.ERASURE).name().toLowerCase(java.util.Locale.ROOT), staffId,
                  erased.contributionIds().size(), erased.reactions(), erased.alertsKept()}))
              .map(v -> Optional.of(erased)));
    }));
  }
}
