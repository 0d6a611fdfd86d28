package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Dialogues, their prompts, join codes and facilitator assignments. */
public final class DialogueStore {
  static final String INSERT_DIALOGUE = """
      INSERT INTO dialogues (id, title, description, languages, moderation_mode, capacity, opens_at, closes_at, created_by, helplines,
                             profanity, retention_days, after_retention)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""";
  static final String INSERT_PROMPT = "INSERT INTO prompts (dialogue_id, position, text) VALUES ($1, $2, $3) RETURNING id";
  static final String SET_FIRST_PROMPT = """
      UPDATE dialogues SET current_prompt_id = (SELECT id FROM prompts WHERE dialogue_id = $1 ORDER BY position LIMIT 1)
      WHERE id = $1""";
  static final String SET_FIRST_PROMPT_IF_NONE = SET_FIRST_PROMPT + " AND current_prompt_id IS NULL";
  static final String COLUMNS = """
      id, title, description, languages, moderation_mode, capacity, opens_at, closes_at, status, join_code,
      current_prompt_id, created_at, helplines, profanity, slow_mode_seconds, retention_days, after_retention""";
  static final String FIND = "SELECT " + COLUMNS + " FROM dialogues WHERE id = $1";
  static final String FIND_BY_CODE = "SELECT " + COLUMNS + " FROM dialogues WHERE join_code = $1";
  static final String LIST_ALL = "SELECT " + COLUMNS + " FROM dialogues ORDER BY created_at DESC";
  static final String LIST_ASSIGNED = """
      SELECT d.id, d.title, d.description, d.languages, d.moderation_mode, d.capacity, d.opens_at, d.closes_at,
             d.status, d.join_code, d.current_prompt_id, d.created_at, d.helplines, d.profanity, d.slow_mode_seconds,
             d.retention_days, d.after_retention
      FROM dialogues d JOIN dialogue_facilitators f ON f.dialogue_id = d.id
      WHERE f.account_id = $1 ORDER BY d.created_at DESC""";
  static final String PROMPTS = "SELECT id, dialogue_id, position, text FROM prompts WHERE dialogue_id = ANY($1) ORDER BY position";
  static final String OPEN = """
      UPDATE dialogues SET status = 'open', join_code = COALESCE(join_code, $2), closed_at = NULL, retention_applied_at = NULL,
             updated_at = now()
      WHERE id = $1 RETURNING id""";
  /** closed_at starts the retention period (docs/privacy.md). */
  static final String CLOSE = "UPDATE dialogues SET status = 'closed', closed_at = now(), updated_at = now() WHERE id = $1 RETURNING id";
  static final String SET_PROMPT = """
      UPDATE dialogues SET current_prompt_id = $2, updated_at = now()
      WHERE id = $1 AND EXISTS (SELECT 1 FROM prompts WHERE id = $2 AND dialogue_id = $1) RETURNING id""";
  static final String SET_SLOW_MODE = "UPDATE dialogues SET slow_mode_seconds = $2, updated_at = now() WHERE id = $1";
  static final String ASSIGN = "INSERT INTO dialogue_facilitators (dialogue_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  static final String UNASSIGN = "DELETE FROM dialogue_facilitators WHERE dialogue_id = $1 AND account_id = $2";
  static final String IS_ASSIGNED = "SELECT 1 FROM dialogue_facilitators WHERE dialogue_id = $1 AND account_id = $2";
  static final String FACILITATORS = """
      SELECT a.id, a.username, f.assigned_at FROM dialogue_facilitators f JOIN accounts a ON a.id = f.account_id
      WHERE f.dialogue_id = $1 ORDER BY a.username""";
  static final String COUNT = "SELECT count(*) AS n FROM dialogues";
  /**
   * Locks the dialogue for an edit and says how many prompts are fixed: none in a draft, else every
   * prompt up to the current one or the last one answered, whichever is later.
   */
  static final String LOCK_FOR_EDIT = """
      SELECT d.status,
             CASE WHEN d.status = 'draft' THEN 0 ELSE GREATEST(
               COALESCE((SELECT position FROM prompts WHERE id = d.current_prompt_id), 0),
               COALESCE((SELECT max(p.position) FROM contributions c JOIN prompts p ON p.id = c.prompt_id WHERE c.dialogue_id = d.id), 0))
             END AS fixed
      FROM dialogues d WHERE d.id = $1 FOR UPDATE""";
  static final String FIXED_PROMPTS = "SELECT text FROM prompts WHERE dialogue_id = $1 AND position <= $2 ORDER BY position";
  static final String UPDATE_DIALOGUE = """
      UPDATE dialogues SET title = $2, description = $3, languages = $4, moderation_mode = $5, capacity = $6, opens_at = $7,
             closes_at = $8, helplines = $9, profanity = $10, retention_days = $11, after_retention = $12,
             current_prompt_id = CASE WHEN status = 'draft' THEN NULL ELSE current_prompt_id END, updated_at = now()
      WHERE id = $1""";
  static final String DELETE_PROMPTS_AFTER = "DELETE FROM prompts WHERE dialogue_id = $1 AND position > $2";

  private static final String UNIQUE_VIOLATION = "23505";

  public record NewDialogue(String title, String description, List<String> languages, Dialogue.ModerationMode mode,
                            int capacity, Instant opensAt, Instant closesAt, List<String> prompts, JsonArray helplines,
                            boolean holdProfanity, Retention retention) {
    /** With the default retention (the server's period, the report survives). */
    public NewDialogue(String title, String description, List<String> languages, Dialogue.ModerationMode mode, int capacity,
                       Instant opensAt, Instant closesAt, List<String> prompts, JsonArray helplines, boolean holdProfanity) {
      this(title, description, languages, mode, capacity, opensAt, closesAt, prompts, helplines, holdProfanity, Retention.DEFAULT);
    }
  }

  private final Pool pool;

  public DialogueStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Dialogue> create(NewDialogue d, UUID createdBy) {
    UUID id = UUID.randomUUID();
    return pool.withTransaction(conn -> conn.preparedQuery(INSERT_DIALOGUE)
            .execute(Tuple.from(new Object[] {id, d.title(), d.description(), d.languages().toArray(new String[0]),
                d.mode().wire(), d.capacity(), utc(d.opensAt()), utc(d.closesAt()), createdBy, d.helplines(), d.holdProfanity() ? "hold" : "mask",
                d.retention().days(), d.retention().after().wire()}))
            .compose(v -> {
              List<Tuple> batch = new ArrayList<>();
              for (int i = 0; i < d.prompts().size(); i++) {
                batch.add(Tuple.of(id, i + 1, d.prompts().get(i)));
              }
              return conn.preparedQuery(INSERT_PROMPT).executeBatch(batch);
            })
            .compose(v -> conn.preparedQuery(SET_FIRST_PROMPT).execute(Tuple.of(id))))
        .compose(v -> find(id))
        .map(Optional::orElseThrow);
  }

  /** Why an edit was refused: the dialogue does not exist, or it changes prompts children have already seen. */
  public static final class EditRefused extends RuntimeException {
    public final int fixedPrompts;

    EditRefused(int fixedPrompts) {
      super(null, null, false, false);
      this.fixedPrompts = fixedPrompts;
    }
  }

  /**
   * Replaces a dialogue's settings and prompts in one transaction. Prompts already asked (see
   * {@link #LOCK_FOR_EDIT}) must come first and unchanged, or the edit fails with {@link EditRefused};
   * empty when there is no such dialogue.
   */
  public Future<Optional<Dialogue>> update(UUID id, NewDialogue d) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_FOR_EDIT).execute(Tuple.of(id)).compose(locked -> {
      if (locked.size() == 0) {
        return Future.succeededFuture(false);
      }
      int fixed = locked.iterator().next().getInteger("fixed");
      return conn.preparedQuery(FIXED_PROMPTS).execute(Tuple.of(id, fixed)).compose(rows -> {
        List<String> asked = new ArrayList<>();
        rows.forEach(r -> asked.add(r.getString("text")));
        if (d.prompts().size() < asked.size() || !d.prompts().subList(0, asked.size()).equals(asked)) {
          return Future.failedFuture(new EditRefused(asked.size()));
        }
        List<Tuple> added = new ArrayList<>();
        for (int i = asked.size(); i < d.prompts().size(); i++) {
          added.add(Tuple.of(id, i + 1, d.prompts().get(i)));
        }
        return conn.preparedQuery(UPDATE_DIALOGUE).execute(Tuple.from(new Object[] {id, d.title(), d.description(),
                d.languages().toArray(new String[0]), d.mode().wire(), d.capacity(), utc(d.opensAt()), utc(d.closesAt()),
                d.helplines(), d.holdProfanity() ? "hold" : "mask", d.retention().days(), d.retention().after().wire()}))
            .compose(v -> conn.preparedQuery(DELETE_PROMPTS_AFTER).execute(Tuple.of(id, asked.size())))
            .compose(v -> added.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(INSERT_PROMPT).executeBatch(added))
            .compose(v -> conn.preparedQuery(SET_FIRST_PROMPT_IF_NONE).execute(Tuple.of(id)))
            .map(v -> true);
      });
    })).compose(found -> found ? find(id) : Future.succeededFuture(Optional.empty()));
  }

  public Future<Optional<Dialogue>> find(UUID id) {
    return pool.preparedQuery(FIND).execute(Tuple.of(id)).compose(rows -> withPrompts(pool, rows)).map(DialogueStore::first);
  }

  public Future<Optional<Dialogue>> findByJoinCode(String code) {
    return pool.preparedQuery(FIND_BY_CODE).execute(Tuple.of(code)).compose(rows -> withPrompts(pool, rows)).map(DialogueStore::first);
  }

  public Future<List<Dialogue>> listAll() {
    return pool.preparedQuery(LIST_ALL).execute().compose(rows -> withPrompts(pool, rows));
  }

  public Future<List<Dialogue>> listAssigned(UUID accountId) {
    return pool.preparedQuery(LIST_ASSIGNED).execute(Tuple.of(accountId)).compose(rows -> withPrompts(pool, rows));
  }

  public Future<Long> count() {
    return pool.preparedQuery(COUNT).execute().map(rows -> rows.iterator().next().getLong("n"));
  }

  /** Opens the dialogue, giving it a join code the first time; retries on the (astronomically rare) code clash. */
  public Future<Boolean> open(UUID id) {
    return openAttempt(id, 5);
  }

  private Future<Boolean> openAttempt(UUID id, int attemptsLeft) {
    return pool.preparedQuery(OPEN).execute(Tuple.of(id, JoinCodes.generate()))
        .map(rows -> rows.size() > 0)
        .recover(err -> err instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState()) && attemptsLeft > 1
            ? openAttempt(id, attemptsLeft - 1) : Future.failedFuture(err));
  }

  public Future<Boolean> close(UUID id) {
    return pool.preparedQuery(CLOSE).execute(Tuple.of(id)).map(rows -> rows.size() > 0);
  }

  /** False when the prompt does not belong to the dialogue. */
  public Future<Boolean> setCurrentPrompt(UUID dialogueId, long promptId) {
    return pool.preparedQuery(SET_PROMPT).execute(Tuple.of(dialogueId, promptId)).map(rows -> rows.size() > 0);
  }

  public Future<Void> setSlowMode(UUID dialogueId, int seconds) {
    return pool.preparedQuery(SET_SLOW_MODE).execute(Tuple.of(dialogueId, seconds)).mapEmpty();
  }

  public Future<Void> assign(UUID dialogueId, UUID accountId) {
    return pool.preparedQuery(ASSIGN).execute(Tuple.of(dialogueId, accountId)).mapEmpty();
  }

  public Future<Boolean> unassign(UUID dialogueId, UUID accountId) {
    return pool.preparedQuery(UNASSIGN).execute(Tuple.of(dialogueId, accountId)).map(rows -> rows.rowCount() > 0);
  }

  public Future<Boolean> isAssigned(UUID dialogueId, UUID accountId) {
    return pool.preparedQuery(IS_ASSIGNED).execute(Tuple.of(dialogueId, accountId)).map(rows -> rows.size() > 0);
  }

  public record Assignment(UUID accountId, String username, Instant assignedAt) {}

  public Future<List<Assignment>> facilitators(UUID dialogueId) {
    return pool.preparedQuery(FACILITATORS).execute(Tuple.of(dialogueId)).map(rows -> {
      List<Assignment> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Assignment(r.getUUID("id"), r.getString("username"),
          r.getOffsetDateTime("assigned_at").toInstant())));
      return out;
    });
  }

  private static Future<List<Dialogue>> withPrompts(SqlClient client, RowSet<Row> rows) {
    List<Row> list = new ArrayList<>();
    rows.forEach(list::add);
    if (list.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] ids = list.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
    return client.preparedQuery(PROMPTS).execute(Tuple.of(ids)).map(promptRows -> {
      Map<UUID, List<Dialogue.Prompt>> byDialogue = new HashMap<>();
      promptRows.forEach(p -> byDialogue.computeIfAbsent(p.getUUID("dialogue_id"), k -> new ArrayList<>())
          .add(new Dialogue.Prompt(p.getLong("id"), p.getInteger("position"), p.getString("text"))));
      return list.stream().map(r -> map(r, byDialogue.getOrDefault(r.getUUID("id"), List.of()))).toList();
    });
  }

  private static Dialogue map(Row r, List<Dialogue.Prompt> prompts) {
    return new Dialogue(
        r.getUUID("id"),
        r.getString("title"),
        r.getString("description"),
        Arrays.asList(r.getArrayOfStrings("languages")),
        Dialogue.ModerationMode.fromWire(r.getString("moderation_mode")).orElseThrow(),
        r.getInteger("capacity"),
        instant(r.getOffsetDateTime("opens_at")),
        instant(r.getOffsetDateTime("closes_at")),
        Dialogue.Status.valueOf(r.getString("status").toUpperCase(java.util.Locale.ROOT)),
        r.getString("join_code"),
        r.getLong("current_prompt_id"),
        List.copyOf(prompts),
        instant(r.getOffsetDateTime("created_at")),
        (JsonArray) r.getJson("helplines"),
        "hold".equals(r.getString("profanity")),
        r.getInteger("slow_mode_seconds"),
        new Retention(r.getInteger("retention_days"), Retention.After.fromWire(r.getString("after_retention")).orElseThrow()));
  }

  private static <T> Optional<T> first(List<T> list) {
    return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
  }

  static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  static OffsetDateTime utc(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
