package org.chorus.privacy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.chorus.support.ReportSeed;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.chorus.support.DatabaseText.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention job against the real database with a clock the test moves: what is deleted, exactly what
 * remains, that the report and exports read the same afterwards, the one-node-at-a-time lock.
 */
class RetentionTest extends OnSharedServer {
  private static final int DEFAULT_DAYS = 90;

  private static Pool pool() {
    return server.server().database().pool();
  }

  /** The job as the server runs it, but {@code ahead} in the future. */
  private static List<DialogueRetention.Outcome> runAt(Duration ahead, UUID dialogueId) {
    return await(new RetentionJob(pool(), Clock.offset(Clock.systemUTC(), ahead), DEFAULT_DAYS).runOnce()).stream()
        .filter(o -> o.dialogueId().equals(dialogueId)).toList();
  }

  private static JsonObject openDialogue(String title, String mode, String after) {
    return api.openDialogue(staff, Api.dialogueBody(title, mode, 100, "What should change?")
        .put("retentionDays", 1).put("afterRetention", after));
  }

  private static long contribute(LiveClient child, String clientId, String text) {
    return child.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text)).getLong("id");
  }

  private static void decide(LiveClient fac, String type, long id) {
    JsonObject done = fac.request(new JsonObject().put("type", type).put("contributionId", id).put("reason", "off_topic"));
    assertEquals("done", done.getString("type"), done.encode());
  }

  private record Kept(String text, String ageBand, String country, String language, UUID author) {}

  private static Map<Long, Kept> contributions(UUID dialogueId) {
    Map<Long, Kept> out = new HashMap<>();
    for (Row r : await(pool().preparedQuery("SELECT id, text, age_band, country, language, participant_id FROM contributions"
        + " WHERE dialogue_id = $1").execute(Tuple.of(dialogueId)))) {
      out.put(r.getLong("id"), new Kept(r.getString("text"), r.getString("age_band"), r.getString("country"), r.getString("language"),
          r.getUUID("participant_id")));
    }
    return out;
  }

  /** The parts of the report that retention must not change (the moderation section counts what is left: docs/privacy.md). */
  private static JsonObject reportFigures(String dialogueId) {
    JsonObject report = expect(200, api.get("/api/report?dialogues=" + dialogueId, staff));
    return new JsonObject().put("totals", report.getJsonObject("totals")).put("participation", report.getJsonObject("participation"))
        .put("prompts", report.getJsonArray("prompts")).put("quotes", report.getJsonArray("quotes"));
  }

  @Test
  void pastItsPeriodADialogueKeepsOnlyWhatTheReportNeedsAndTheReportReadsTheSame() {
    JsonObject d = openDialogue("Retention: keep the report", "pre", "keep_report");
    UUID dialogueId = UUID.fromString(d.getString("id"));
    long promptId = d.getJsonArray("prompts").getJsonObject(0).getLong("id");
    await(ReportSeed.seed(pool(), dialogueId, promptId, 10, 20, new String[] {"KE", "UG"}, new String[] {"en", "sw"}));
    JsonObject ana = api.join(d.getString("joinCode"), "Ana");
    JsonObject ben = api.join(d.getString("joinCode"), "Ben");
    JsonObject cai = api.join(d.getString("joinCode"), "Cai");
    Set<UUID> liveIds = new HashSet<>();
    for (JsonObject child : List.of(ana, ben, cai)) {
      liveIds.add(UUID.fromString(child.getJsonObject("participant").getString("id")));
    }
    long anaFirst;
    long anaSecond;
    long bensKept;
    try (LiveClient fac = server.live(); LiveClient a = server.live(); LiveClient b = server.live(); LiveClient c = server.live()) {
      fac.hello(staff, d.getString("id"));
      a.hello(ana.getString("token"), null);
      b.hello(ben.getString("token"), null);
      c.hello(cai.getString("token"), null);
      anaFirst = contribute(a, "a-1", "Free buses to school for every child");
      anaSecond = contribute(a, "a-2", "Clean water in every classroom");
      long rejected = contribute(a, "a-3", "I like turtles");
      contribute(a, "a-4", "Still waiting for a facilitator");
      long removed = contribute(b, "b-1", "Something a facilitator removes later");
      bensKept = contribute(b, "b-2", "Safe roads near the school gate");
      contribute(c, "c-1", "my uncle hurts me every day");
      for (long id : List.of(anaFirst, anaSecond, removed, bensKept)) {
        decide(fac, "approve", id);
      }
      decide(fac, "reject", rejected);
      decide(fac, "remove", removed);
      b.request(new JsonObject().put("type", "react").put("contributionId", anaFirst).put("kind", "me_too"));
      fac.request(new JsonObject().put("type", "mute").put("participantId", ben.getJsonObject("participant").getString("id")).put("minutes", 1));
    }
    long theme = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", "Getting to school " + System.nanoTime()))).getLong("id");
    expect(200, api.post("/api/themes/" + theme + "/contributions", staff, new JsonObject().put("contributionIds", new JsonArray().add(anaFirst))));
    expect(200, api.call(HttpMethod.PUT, "/api/contributions/" + anaFirst + "/quote", staff, new JsonObject()));
    expect(200, api.post("/api/dialogues/" + dialogueId + "/close", staff, null));

    Map<Long, Kept> before = contributions(dialogueId);
    String csvBefore = api.get("/api/report/export.csv?dialogues=" + dialogueId, staff).raw();
    JsonObject figuresBefore = reportFigures(dialogueId.toString());
    long auditRows = count(pool(), "SELECT count(*) FROM moderation_audit WHERE dialogue_id = $1", dialogueId);
    assertEquals(13, count(pool(), "SELECT count(*) FROM participants WHERE dialogue_id = $1", dialogueId));

    assertTrue(runAt(Duration.ofHours(12), dialogueId).isEmpty(), "one day has not passed since it closed");
    assertEquals(before.keySet(), contributions(dialogueId).keySet());

    List<DialogueRetention.Outcome> outcomes = runAt(Duration.ofDays(2), dialogueId);
    assertEquals(1, outcomes.size());
    DialogueRetention.Outcome o = outcomes.get(0);
    assertEquals(13, o.participants());
    assertEquals(4, o.contributions(), "rejected, pending, removed and the alerted one");
    assertEquals(1, o.reactions());
    assertEquals(1, o.alerts());

    // Exactly the published, unalerted contributions remain, unchanged, under new author keys (one per child).
    Map<Long, Kept> after = contributions(dialogueId);
    Set<Long> expected = new HashSet<>();
    before.forEach((id, k) -> {
      if (!List.of("I like turtles", "Still waiting for a facilitator", "Something a facilitator removes later",
          "my uncle hurts me every day").contains(k.text())) {
        expected.add(id);
      }
    });
    assertEquals(expected, after.keySet());
    assertEquals(23, after.size(), "20 seeded + 3 approved in the room");
    Set<UUID> oldAuthors = new HashSet<>();
    before.values().forEach(k -> oldAuthors.add(k.author()));
    Map<UUID, UUID> rekeyed = new HashMap<>();
    after.forEach((id, k) -> {
      Kept was = before.get(id);
      assertEquals(List.of(was.text(), was.ageBand(), was.country(), was.language()), List.of(k.text(), k.ageBand(), k.country(), k.language()));
      assertFalse(oldAuthors.contains(k.author()), "no kept contribution carries the id of a token");
      assertEquals(k.author(), rekeyed.computeIfAbsent(was.author(), x -> k.author()), "one key per child");
    });
    assertEquals(after.get(anaFirst).author(), after.get(anaSecond).author());
    assertFalse(after.get(anaFirst).author().equals(after.get(bensKept).author()));

    assertEquals(0, count(pool(), "SELECT count(*) FROM participants WHERE dialogue_id = $1", dialogueId));
    assertEquals(0, count(pool(), "SELECT count(*) FROM participants WHERE id = ANY($1)", (Object) liveIds.toArray(new UUID[0])));
    assertEquals(0, count(pool(), "SELECT count(*) FROM reactions r JOIN contributions c ON c.id = r.contribution_id WHERE c.dialogue_id = $1", dialogueId));
    assertEquals(0, count(pool(), "SELECT count(*) FROM alerts WHERE dialogue_id = $1", dialogueId));
    assertEquals(1, count(pool(), "SELECT count(*) FROM contribution_themes WHERE contribution_id = $1", anaFirst));
    assertEquals(1, count(pool(), "SELECT count(*) FROM quotes WHERE contribution_id = $1", anaFirst));
    assertEquals(13, count(pool(), "SELECT COALESCE(sum(children), 0) FROM joined_tallies WHERE dialogue_id = $1", dialogueId));
    assertEquals(auditRows, count(pool(), "SELECT count(*) FROM moderation_audit WHERE dialogue_id = $1", dialogueId));
    assertEquals(0, count(pool(), "SELECT count(*) FROM moderation_audit WHERE dialogue_id = $1 AND participant_id IS NOT NULL", dialogueId),
        "the mute entry no longer names the child");
    JsonObject entry = expect(200, api.get("/api/dialogues/" + dialogueId + "/privacy-log", staff)).getJsonArray("entries").getJsonObject(0);
    assertEquals(List.of("retention", "retention", 13, 4, 1, 1), List.of(entry.getString("kind"), entry.getString("by"),
        entry.getInteger("participants"), entry.getInteger("contributions"), entry.getInteger("reactions"), entry.getInteger("alertsDeleted")));

    // The report and the exports read the same as before.
    assertEquals(csvBefore, api.get("/api/report/export.csv?dialogues=" + dialogueId, staff).raw());
    assertEquals(figuresBefore, reportFigures(dialogueId.toString()));
    assertEquals(200, api.get("/api/report/export.json?dialogues=" + dialogueId, staff).status());

    assertTrue(runAt(Duration.ofDays(3), dialogueId).isEmpty(), "applied once");
  }

  @Test
  void deleteAllLeavesNoContributionAndOnlyOneNodeRunsTheJobAtATime() throws Exception {
    JsonObject d = openDialogue("Retention: delete everything", "post", "delete_all");
    UUID dialogueId = UUID.fromString(d.getString("id"));
    JsonObject child = api.join(d.getString("joinCode"), "Dara");
    try (LiveClient c = server.live()) {
      c.hello(child.getString("token"), null);
      contribute(c, "d-1", "Bigger playgrounds");
    }
    expect(200, api.post("/api/dialogues/" + dialogueId + "/close", staff, null));

    // Another node holds the lock: this one skips the round and deletes nothing.
    SqlConnection other = await(pool().getConnection());
    try {
      await(other.preparedQuery("SELECT pg_advisory_lock($1)").execute(Tuple.of(RetentionJob.LOCK_KEY)));
      assertTrue(runAt(Duration.ofDays(2), dialogueId).isEmpty());
      assertEquals(1, count(pool(), "SELECT count(*) FROM contributions WHERE dialogue_id = $1", dialogueId));
      await(other.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(RetentionJob.LOCK_KEY)));
    } finally {
      await(other.close());
    }

    List<DialogueRetention.Outcome> outcomes = runAt(Duration.ofDays(2), dialogueId);
    assertEquals(1, outcomes.size());
    assertEquals(1, outcomes.get(0).contributions());
    assertEquals(0, count(pool(), "SELECT count(*) FROM contributions WHERE dialogue_id = $1", dialogueId));
    assertEquals(0, count(pool(), "SELECT count(*) FROM participants WHERE dialogue_id = $1", dialogueId));
    assertEquals(0, count(pool(), "SELECT count(*) FROM joined_tallies WHERE dialogue_id = $1", dialogueId));
    String csv = api.get("/api/report/export.csv?dialogues=" + dialogueId, staff).raw();
    assertEquals(1, csv.strip().lines().count(), "the header only: " + csv);
    assertEquals(0L, expect(200, api.get("/api/report?dialogues=" + dialogueId, staff)).getJsonObject("totals").getLong("children"));
  }

  @Test
  void retentionIsSetPerDialogueAndBadValuesAreRefusedWithTheFieldNamed() {
    JsonObject body = Api.dialogueBody("Retention: settings", "pre", 10, "Q");
    JsonObject created = expect(201, api.post("/api/dialogues", staff, body));
    assertEquals(null, created.getValue("retentionDays"), "absent: the server default");
    assertEquals("keep_report", created.getString("afterRetention"));
    JsonObject edited = expect(200, api.call(HttpMethod.PUT, "/api/dialogues/" + created.getString("id"), staff,
        body.copy().put("retentionDays", 30).put("afterRetention", "delete_all")));
    assertEquals(30, edited.getInteger("retentionDays"));
    assertEquals("delete_all", edited.getString("afterRetention"));
    for (Object bad : List.of(0, 3651, "30", 1.5)) {
      Api.Reply reply = api.post("/api/dialogues", staff, body.copy().put("retentionDays", bad));
      assertEquals(400, reply.status(), String.valueOf(bad));
      assertTrue(reply.body().getJsonObject("error").getString("message").startsWith("retentionDays"), reply.raw());
    }
    Api.Reply reply = api.post("/api/dialogues", staff, body.copy().put("afterRetention", "keep_everything"));
    assertTrue(reply.body().getJsonObject("error").getString("message").startsWith("afterRetention"), reply.raw());
    assertEquals(DEFAULT_DAYS, expect(200, api.get("/api/privacy", staff)).getInteger("defaultRetentionDays"));
  }
}
