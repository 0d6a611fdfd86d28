package org.chorus.privacy;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.chorus.dialogue.Retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Deletes what one dialogue keeps past its retention period, on the caller's transaction. What survives
 * ({@link Retention.After#KEEP_REPORT}): the published contributions no safeguarding alert was raised for, in
 * their redacted form, with their themes and quotes, under a fresh random author key per child (so the report
 * can still count children but nothing links them to a token or a log line), and how many children joined by
 * country, age band and language. {@link Retention.After#DELETE_ALL}: none of that. The dialogue's own set-up
 * (written by staff) and the audit logs stay.
 */
public final class DialogueRetention {
  static final String DELETE_REACTIONS = """
      DELETE FROM reactions r USING contributions c WHERE r.contribution_id = c.id AND c.dialogue_id = $1""";
  /** $2: delete every contribution; else only what the report never shows. Themes and quotes go by cascade. */
  static final String DELETE_CONTRIBUTIONS = """
      DELETE FROM contributions WHERE dialogue_id = $1 AND ($2 OR status <> 'published' OR moderation_action = 'alert')""";
  static final String DELETE_ALERTS = "DELETE FROM alerts WHERE dialogue_id = $1";
  static final String TALLY_JOINED = """
      INSERT INTO joined_tallies (dialogue_id, country, age_band, language, children)
      SELECT dialogue_id, country, age_band, language, count(*) FROM participants WHERE dialogue_id = $1
      GROUP BY dialogue_id, country, age_band, language
      ON CONFLICT (dialogue_id, country, age_band, language) DO UPDATE SET children = joined_tallies.children + EXCLUDED.children""";
  /**
   * One new random key per child: the kept contributions no longer carry the id that was in the child's token.
   * Materialised, so that the join cannot evaluate gen_random_uuid() again for each contribution.
   */
  static final String REKEY_AUTHORS = """
      WITH keys AS MATERIALIZED (
        SELECT old_id, gen_random_uuid() AS new_id
        FROM (SELECT DISTINCT participant_id AS old_id FROM contributions WHERE dialogue_id = $1) authors)
      UPDATE contributions c SET participant_id = keys.new_id FROM keys
      WHERE c.dialogue_id = $1 AND c.participant_id = keys.old_id""";
  static final String DELETE_PARTICIPANTS = "DELETE FROM participants WHERE dialogue_id = $1";
  static final String MARK_APPLIED = "UPDATE dialogues SET retention_applied_at = $2 WHERE id = $1";
  static final String LOG = """
      INSERT INTO privacy_log (at, dialogue_id, kind, participants, contributions, reactions, alerts_deleted)
      VALUES ($2, $1, 'retention', $3, $4, $5, $6)""";

  /** How many rows of each kind one dialogue's retention deleted. */
  public record Outcome(UUID dialogueId, Retention.After after, int participants, int contributions, int reactions, int alerts) {}

  private DialogueRetention() {}

  static Future<Outcome> apply(SqlConnection conn, UUID dialogueId, Retention.After after, Instant now) {
    Tuple dialogue = Tuple.of(dialogueId);
    boolean deleteAll = after == Retention.After.DELETE_ALL;
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    var reactions = conn.preparedQuery(DELETE_REACTIONS).execute(dialogue);
    var contributions = reactions.compose(v -> conn.preparedQuery(DELETE_CONTRIBUTIONS).execute(Tuple.of(dialogueId, deleteAll)));
    var alerts = contributions.compose(v -> conn.preparedQuery(DELETE_ALERTS).execute(dialogue));
    var tallied = alerts.compose(v -> deleteAll ? Future.succeededFuture() : conn.preparedQuery(TALLY_JOINED).execute(dialogue)
        .compose(t -> conn.preparedQuery(REKEY_AUTHORS).execute(dialogue)));
    var participants = tallied.compose(v -> conn.preparedQuery(DELETE_PARTICIPANTS).execute(dialogue));
    return participants.compose(v -> conn.preparedQuery(MARK_APPLIED).execute(Tuple.of(dialogueId, at))).map(v ->
            new Outcome(dialogueId, after, participants.result().rowCount(), contributions.result().rowCount(),
                reactions.result().rowCount(), alerts.result().rowCount()))
        .compose(o -> conn.preparedQuery(LOG).execute(Tuple.of(dialogueId, at, o.participants(), o.contributions(), o.reactions(),
            o.alerts())).map(o));
  }
}
