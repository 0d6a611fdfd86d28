package org.chorus.security;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.chorus.support.Blocking.await;

/**
 * What must hold in the database whatever the clients sent: each query counts the rows that break one rule
 * (0 is good). Some rules are also database constraints today; they are checked here anyway, so that a
 * migration that drops a constraint cannot silently let hostile input through.
 */
final class DatabaseInvariants {
  private static final Map<String, String> RULES = new LinkedHashMap<>();

  static {
    RULES.put("contribution of a participant of another dialogue", """
        SELECT count(*) FROM contributions c LEFT JOIN participants p ON p.id = c.participant_id
        WHERE p.id IS NULL OR p.dialogue_id <> c.dialogue_id""");
    RULES.put("contribution to a prompt of another dialogue", """
        SELECT count(*) FROM contributions c LEFT JOIN prompts q ON q.id = c.prompt_id
        WHERE q.id IS NULL OR q.dialogue_id <> c.dialogue_id""");
    RULES.put("two contributions with the same (participant, clientId)", """
        SELECT count(*) FROM (SELECT 1 FROM contributions GROUP BY participant_id, client_id HAVING count(*) > 1) d""");
    RULES.put("clientId outside 1-64 of A-Za-z0-9_-", "SELECT count(*) FROM contributions WHERE client_id !~ '^[A-Za-z0-9_-]{1,64}$'");
    RULES.put("empty contribution text", "SELECT count(*) FROM contributions WHERE btrim(text, E' \\t\\n\\r') = ''");
    RULES.put("unknown status or filter verdict", """
        SELECT count(*) FROM contributions WHERE status NOT IN ('pending', 'published', 'rejected', 'removed')
           OR moderation_action NOT IN ('allow', 'redact', 'hold', 'alert')""");
    RULES.put("contribution without the filter's audit entry", """
        SELECT count(*) FROM contributions c WHERE NOT EXISTS (SELECT 1 FROM moderation_audit a
          WHERE a.contribution_id = c.id AND a.actor_kind = 'filter' AND a.action = c.moderation_action)""");
    RULES.put("decided contribution without its decision", """
        SELECT count(*) FROM contributions WHERE status IN ('rejected', 'removed') AND (decided_by IS NULL OR decided_at IS NULL)""");
    RULES.put("pending contribution with a decision", "SELECT count(*) FROM contributions WHERE status = 'pending' AND decided_by IS NOT NULL");
    RULES.put("published without a facilitator in a pre-moderated dialogue", """
        SELECT count(*) FROM contributions c JOIN dialogues d ON d.id = c.dialogue_id
        WHERE d.moderation_mode = 'pre' AND c.status = 'published' AND c.decided_by IS NULL""");
    RULES.put("held or alerted contribution published without a facilitator", """
        SELECT count(*) FROM contributions WHERE moderation_action IN ('hold', 'alert') AND status = 'published' AND decided_by IS NULL""");
    RULES.put("facilitator decision without its audit entry", """
        SELECT count(*) FROM contributions c WHERE c.decided_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM moderation_audit a
          WHERE a.contribution_id = c.id AND a.actor_kind = 'account' AND a.actor_id = c.decided_by)""");
    RULES.put("audit entry of another dialogue than its contribution or participant", """
        SELECT count(*) FROM moderation_audit a LEFT JOIN contributions c ON c.id = a.contribution_id
          LEFT JOIN participants p ON p.id = a.participant_id
        WHERE (a.contribution_id IS NOT NULL AND c.dialogue_id <> a.dialogue_id)
           OR (a.participant_id IS NOT NULL AND p.dialogue_id <> a.dialogue_id)""");
    RULES.put("audit action unknown", """
        SELECT count(*) FROM moderation_audit WHERE (actor_kind = 'filter' AND action NOT IN ('allow', 'redact', 'hold', 'alert'))
           OR (actor_kind = 'account' AND action NOT IN ('approve', 'approve_edit', 'reject', 'remove', 'mute', 'unmute',
               'remove_participant'))""");
    RULES.put("alert without an alerted contribution, or the other way round", """
        SELECT (SELECT count(*) FROM alerts a JOIN contributions c ON c.id = a.contribution_id
                WHERE c.moderation_action <> 'alert' OR c.dialogue_id <> a.dialogue_id)
             + (SELECT count(*) FROM contributions c WHERE c.moderation_action = 'alert'
                AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.contribution_id = c.id))""");
    RULES.put("reaction to a contribution never published, of another dialogue, or of an unknown kind", """
        SELECT count(*) FROM reactions r JOIN contributions c ON c.id = r.contribution_id JOIN participants p ON p.id = r.participant_id
        WHERE c.status NOT IN ('published', 'removed') OR p.dialogue_id <> c.dialogue_id
           OR r.kind NOT IN ('me_too', 'heart', 'idea')""");
    RULES.put("current prompt of another dialogue", """
        SELECT count(*) FROM dialogues d JOIN prompts q ON q.id = d.current_prompt_id WHERE q.dialogue_id <> d.id""");
    RULES.put("slow mode or mute outside its range", """
        SELECT (SELECT count(*) FROM dialogues WHERE slow_mode_seconds NOT BETWEEN 0 AND 600)
             + (SELECT count(*) FROM participants WHERE muted_until > now() + interval '1441 minutes')""");
  }

  private DatabaseInvariants() {}

  /** Descriptions of the broken rules, with how many rows break each; empty when all hold. */
  static List<String> broken(Pool pool) {
    List<String> broken = new ArrayList<>();
    RULES.forEach((rule, sql) -> {
      long n = await(pool.query(sql).execute()).iterator().next().getLong(0);
      if (n != 0) {
        broken.add(rule + ": " + n + " rows");
      }
    });
    return broken;
  }

  /** The ids of the contributions stored in a dialogue. */
  static Set<Long> contributionIds(Pool pool, String dialogueId) {
    Set<Long> ids = new HashSet<>();
    for (Row r : await(pool.preparedQuery("SELECT id FROM contributions WHERE dialogue_id = $1")
        .execute(Tuple.of(UUID.fromString(dialogueId))))) {
      ids.add(r.getLong(0));
    }
    return ids;
  }

  /** Contributions of a dialogue by status, counted in SQL. */
  static Map<String, Long> countsByStatus(Pool pool, String dialogueId) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String status : List.of("pending", "published", "rejected", "removed")) {
      counts.put(status, 0L);
    }
    for (Row r : await(pool.preparedQuery("SELECT status, count(*) FROM contributions WHERE dialogue_id = $1 GROUP BY status")
        .execute(Tuple.of(UUID.fromString(dialogueId))))) {
      counts.put(r.getString(0), r.getLong(1));
    }
    return counts;
  }

  static long participants(Pool pool, String dialogueId) {
    return await(pool.preparedQuery("SELECT count(*) FROM participants WHERE dialogue_id = $1")
        .execute(Tuple.of(UUID.fromString(dialogueId)))).iterator().next().getLong(0);
  }
}
