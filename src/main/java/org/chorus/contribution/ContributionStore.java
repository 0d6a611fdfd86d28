package org.chorus.contribution;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.chorus.language.LanguageTag;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Contributions and reactions in PostgreSQL. An insert is acknowledged only after its commit, which
 * is synchronous (see {@code Database}); the (participant, clientId) key makes a resend idempotent.
 */
public final class ContributionStore {
  static final String SELECT = """
      SELECT c.id, c.dialogue_id, c.prompt_id, c.participant_id, p.nickname, c.client_id, c.age_band, c.country,
             c.language, c.text, c.status, c.decision_reason, c.created_at, c.decided_at, c.moderation_action, c.moderation_flags,
             c.detected_language, c.content_language, c.language_source
      FROM contributions c JOIN participants p ON p.id = c.participant_id""";
  /**
   * Inserts only while the dialogue accepts contributions and its author exists; a resend of the same clientId
   * inserts nothing. One statement, so one commit: the contribution and the filter's entry in the audit log.
   */
  static final String INSERT = """
      WITH stored AS (
        INSERT INTO contributions (dialogue_id, prompt_id, participant_id, client_id, age_band, country, language, text, status,
                                   moderation_action, moderation_flags, detected_language, content_language, language_source)
        SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13, $14, $15
        WHERE EXISTS (SELECT 1 FROM dialogues d WHERE d.id = $1 AND d.status = 'open'
                      AND (d.opens_at IS NULL OR d.opens_at <= now()) AND (d.closes_at IS NULL OR d.closes_at > now()))
          AND NOT EXISTS (SELECT 1 FROM participants p WHERE p.id = $3 AND (p.removed_at IS NOT NULL OR p.muted_until > now()))
          -- Instead of a foreign key (a contribution kept past retention outlives its participant row): the author must
          -- still exist, and the lock makes a concurrent erasure wait for this insert, so it then erases it too.
          AND EXISTS (SELECT 1 FROM participants p WHERE p.id = $3 FOR KEY SHARE)
        ON CONFLICT (participant_id, client_id) DO NOTHING
        RETURNING id, created_at
      ), audited AS (
        INSERT INTO moderation_audit (dialogue_id, contribution_id, actor_kind, action, rule_ids)
        SELECT $1, id, 'filter', $10, $12 FROM stored
      ), alerted AS (
        INSERT INTO alerts (dialogue_id, contribution_id) SELECT $1, id FROM stored WHERE $10 = 'alert'
      )
      SELECT id, created_at FROM stored""";
  static final String BY_CLIENT_ID = SELECT + " WHERE c.participant_id = $1 AND c.client_id = $2";
  static final String BY_ID = SELECT + " WHERE c.id = $1";
  static final String DECIDE = """
      WITH decided AS (
        UPDATE contributions SET status = $3, decided_by = $4, decision_reason = $5, decided_at = now(),
               text = COALESCE($8, text), edited = edited OR $8 IS NOT NULL
        WHERE id = $1 AND dialogue_id = $2 AND status = $6 RETURNING id
      ), audited AS (
        INSERT INTO moderation_audit (dialogue_id, contribution_id, actor_kind, actor_id, action, reason)
        SELECT $2, id, 'account', $4, $7, $5 FROM decided
      )
      SELECT id FROM decided""";
  static final String RECENT_PUBLISHED = SELECT + " WHERE c.dialogue_id = $1 AND c.status = 'published' ORDER BY c.id DESC LIMIT $2";
  static final String BY_AUTHOR = SELECT + " WHERE c.participant_id = $1 ORDER BY c.id DESC LIMIT $2";
  static final String QUEUE = SELECT + " WHERE c.dialogue_id = $1 AND c.status = 'pending' ORDER BY c.id ASC LIMIT $2";
  /** Contributions stored while the detector was loading, oldest first. */
  static final String UNTAGGED = "SELECT id, text, language FROM contributions WHERE language_source IS NULL ORDER BY id LIMIT $1";
  static final String TAG = """
      UPDATE contributions SET detected_language = $2, content_language = $3, language_source = $4
      WHERE id = $1 AND language_source IS NULL RETURNING id""";
  static final String IS_PUBLISHED = "SELECT 1 FROM contributions WHERE id = $1 AND dialogue_id = $2 AND status = 'published'";
  static final String REACT = "INSERT INTO reactions (contribution_id, participant_id, kind) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
  static final String REACTED_BY = """
      SELECT contribution_id, kind FROM reactions WHERE participant_id = $1 AND contribution_id = ANY($2)""";
  static final String REACTION_COUNTS = """
      SELECT contribution_id, kind, count(*) AS n FROM reactions WHERE contribution_id = ANY($1) GROUP BY contribution_id, kind""";

  public record Draft(UUID dialogueId, long promptId, UUID participantId, String nickname, String clientId, String ageBand,
                      String country, String language, String text, Contribution.Status status,
                      String moderationAction, JsonArray moderationFlags, LanguageTag languageTag) {}

  /** A contribution still waiting for its language: its stored text and the child's chosen language. */
  public record Untagged(long id, String text, String chosenLanguage) {}

  /** What an insert did: stored now, found as an earlier copy of the same clientId, or refused (dialogue not open). */
  public record Stored(Optional<Contribution> contribution, boolean duplicate) {}

  /** Batches of at most 64, at most 4 batches committing at once (the pool keeps connections for reads). */
  static final int GROUP_COMMIT_BATCH = 64;
  static final int GROUP_COMMIT_IN_FLIGHT = 4;

  private final Pool pool;
  private final GroupCommit inserts;

  public ContributionStore(Pool pool) {
    this.pool = pool;
    this.inserts = new GroupCommit(pool, INSERT, GROUP_COMMIT_BATCH, GROUP_COMMIT_IN_FLIGHT);
  }

  public Future<Stored> insert(Draft d) {
    return inserts
        .execute(Tuple.from(new Object[] {d.dialogueId(), d.promptId(), d.participantId(), d.clientId(), d.ageBand(),
            d.country(), d.language(), d.text(), d.status().wire(), d.moderationAction(), d.moderationFlags(),
            ruleIds(d.moderationFlags()), d.languageTag().detected(), d.languageTag().content(), d.languageTag().sourceWire()}))
        .compose(rows -> {
          if (rows.size() > 0) {
            Row row = rows.iterator().next();
            Contribution stored = new Contribution(row.getLong("id"), d.dialogueId(), d.promptId(), d.participantId(),
                d.nickname(), d.clientId(), d.ageBand(), d.country(), d.language(), d.text(), d.status(), null,
                row.getOffsetDateTime("created_at").toInstant(), null, Map.of(), d.moderationAction(), d.moderationFlags(),
                d.languageTag());
            return Future.succeededFuture(new Stored(Optional.of(stored), false));
          }
          return pool.preparedQuery(BY_CLIENT_ID).execute(Tuple.of(d.participantId(), d.clientId()))
              .map(existing -> new Stored(first(existing), existing.size() > 0));
        });
  }

  public Future<Optional<Contribution>> byId(long id) {
    return pool.preparedQuery(BY_ID).execute(Tuple.of(id)).compose(this::withReactions).map(ContributionStore::firstOf);
  }

  /** Moves a contribution from {@code from} to {@code to}; empty if it was not in {@code from} (or not in this dialogue). */
  public Future<Optional<Contribution>> decide(UUID dialogueId, long id, Contribution.Status from, Contribution.Status to,
                                               UUID decidedBy, String action, String reason, String newText) {
    return pool.preparedQuery(DECIDE)
        .execute(Tuple.from(new Object[] {id, dialogueId, to.wire(), decidedBy, reason, from.wire(), action, newText}))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<Contribution>empty()) : byId(id));
  }

  public Future<List<Contribution>> recentPublished(UUID dialogueId, int limit) {
    return pool.preparedQuery(RECENT_PUBLISHED).execute(Tuple.of(dialogueId, limit)).compose(this::withReactions);
  }

  public Future<List<Contribution>> byAuthor(UUID participantId, int limit) {
    return pool.preparedQuery(BY_AUTHOR).execute(Tuple.of(participantId, limit)).compose(this::withReactions);
  }

  public Future<List<Contribution>> queue(UUID dialogueId, int limit) {
    return pool.preparedQuery(QUEUE).execute(Tuple.of(dialogueId, limit)).map(ContributionStore::mapAll);
  }

  public Future<List<Untagged>> untagged(int limit) {
    return pool.preparedQuery(UNTAGGED).execute(Tuple.of(limit)).map(rows -> {
      List<Untagged> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Untagged(r.getLong("id"), r.getString("text"), r.getString("language"))));
      return out;
    });
  }

  /** Records the language of a contribution stored untagged; empty if another node tagged it first. */
  public Future<Optional<Contribution>> tag(long id, LanguageTag tag) {
    return pool.preparedQuery(TAG).execute(Tuple.of(id, tag.detected(), tag.content(), tag.sourceWire()))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(Optional.<Contribution>empty()) : byId(id));
  }

  /** Counts a reaction once per child and kind; empty when the contribution is not published in this dialogue. */
  public Future<Optional<Map<String, Long>>> react(UUID dialogueId, long contributionId, UUID participantId, String kind) {
    return pool.withTransaction(conn -> conn.preparedQuery(IS_PUBLISHED).execute(Tuple.of(contributionId, dialogueId))
        .compose(found -> {
          if (found.size() == 0) {
            return Future.succeededFuture(Optional.<Map<String, Long>>empty());
          }
          return conn.preparedQuery(REACT).execute(Tuple.of(contributionId, participantId, kind))
              .compose(v -> conn.preparedQuery(REACTION_COUNTS).execute(Tuple.of((Object) new Long[] {contributionId})))
              .map(counts -> Optional.of(countsByContribution(counts).getOrDefault(contributionId, Map.of())));
        }));
  }

  /** Contribution id → reaction kind → count, for those of {@code contributionIds} that have any. */
  public Future<Map<Long, Map<String, Long>>> reactionCounts(List<Long> contributionIds) {
    return pool.preparedQuery(REACTION_COUNTS).execute(Tuple.of((Object) contributionIds.toArray(new Long[0])))
        .map(ContributionStore::countsByContribution);
  }

  /** Which of {@code contributionIds} this child reacted to, and with which kinds. */
  public Future<Map<Long, List<String>>> reactedBy(UUID participantId, List<Long> contributionIds) {
    if (contributionIds.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(REACTED_BY).execute(Tuple.of(participantId, (Object) contributionIds.toArray(new Long[0]))).map(rows -> {
      Map<Long, List<String>> out = new HashMap<>();
      rows.forEach(r -> out.computeIfAbsent(r.getLong("contribution_id"), k -> new ArrayList<>()).add(r.getString("kind")));
      return out;
    });
  }

  /** Adds reaction counts (kept through removal, so a client merging frames keeps them). */
  private static String[] ruleIds(io.vertx.core.json.JsonArray findings) {
    return findings.stream().map(f -> ((io.vertx.core.json.JsonObject) f).getString("ruleId")).distinct().toArray(String[]::new);
  }

  private Future<List<Contribution>> withReactions(RowSet<Row> rows) {
    List<Contribution> list = mapAll(rows);
    if (list.isEmpty()) {
      return Future.succeededFuture(list);
    }
    Long[] ids = list.stream().map(Contribution::id).toArray(Long[]::new);
    return pool.preparedQuery(REACTION_COUNTS).execute(Tuple.of((Object) ids))
        .map(counts -> {
          Map<Long, Map<String, Long>> byId = countsByContribution(counts);
          return list.stream().map(c -> byId.containsKey(c.id()) ? c.withReactions(byId.get(c.id())) : c).toList();
        });
  }

  private static Map<Long, Map<String, Long>> countsByContribution(RowSet<Row> rows) {
    Map<Long, Map<String, Long>> out = new HashMap<>();
    rows.forEach(r -> out.computeIfAbsent(r.getLong("contribution_id"), k -> new HashMap<>()).put(r.getString("kind"), r.getLong("n")));
    return out;
  }

  private static List<Contribution> mapAll(RowSet<Row> rows) {
    List<Contribution> out = new ArrayList<>();
    rows.forEach(r -> out.add(map(r)));
    return out;
  }

  private static Optional<Contribution> first(RowSet<Row> rows) {
    return firstOf(mapAll(rows));
  }

  private static Optional<Contribution> firstOf(List<Contribution> list) {
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  private static Contribution map(Row r) {
    OffsetDateTime decided = r.getOffsetDateTime("decided_at");
    return new Contribution(r.getLong("id"), r.getUUID("dialogue_id"), r.getLong("prompt_id"), r.getUUID("participant_id"),
        r.getString("nickname"), r.getString("client_id"), r.getString("age_band"), r.getString("country").trim(),
        r.getString("language"), r.getString("text"), Contribution.Status.fromWire(r.getString("status")),
        r.getString("decision_reason"), r.getOffsetDateTime("created_at").toInstant(),
        decided == null ? null : decided.toInstant(), Map.of(), r.getString("moderation_action"),
        (JsonArray) r.getJson("moderation_flags"),
        new LanguageTag(r.getString("detected_language"), r.getString("content_language"),
            LanguageTag.Source.fromWire(r.getString("language_source"))));
  }
}
