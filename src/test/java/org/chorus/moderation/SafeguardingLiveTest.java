package org.chorus.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped rules in the live room, with real WebSocket clients and the database read back. */
class SafeguardingLiveTest extends OnSharedServer {
  record Room(String id, String code) {}

  static Room room(String mode, JsonArray helplines) {
    JsonObject body = Api.dialogueBody("Safeguarding " + mode, mode, 50, "What makes you feel safe?");
    if (helplines != null) {
      body.put("helplines", helplines);
    }
    JsonObject d = api.openDialogue(staff, body);
    return new Room(d.getString("id"), d.getString("joinCode"));
  }

  static LiveClient child(Room room, String nickname) {
    LiveClient c = server.live();
    c.hello(expect(201, api.post("/api/join", null, Api.joinBody(room.code(), nickname, "12-14", "KE", "en"))).getString("token"), null);
    return c;
  }

  static JsonObject contribute(LiveClient c, String clientId, String text) {
    return c.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text));
  }

  @Test
  void aDisclosureAlertsFacilitatorsAndHelpsOnlyThatChild() {
    JsonArray helplines = new JsonArray().add(new JsonObject().put("name", "Childline Kenya").put("phone", "116"))
        .add(new JsonObject().put("name", "Child helpline").put("phone", "116 111").put("url", "https://example.org/help"));
    Room room = room("post", helplines);
    try (LiveClient fac = server.live(); LiveClient author = child(room, "Asha"); LiveClient other = child(room, "Baraka")) {
      fac.hello(staff, room.id());
      JsonObject ack = contribute(author, "d-1", "my uncle hurts me every day");
      assertEquals("pending", ack.getString("status"), "held for a facilitator even in post mode");
      assertTrue(ack.getBoolean("held"));
      JsonObject help = author.next("help");
      assertEquals(ack.getLong("id"), help.getLong("contributionId"));
      assertEquals(helplines, help.getJsonArray("helplines"));

      JsonObject alert = fac.next("alert").getJsonObject("contribution");
      assertEquals(ack.getLong("id"), alert.getLong("id"));
      assertEquals("alert", alert.getJsonObject("moderation").getString("action"));
      JsonObject finding = alert.getJsonObject("moderation").getJsonArray("findings").getJsonObject(0);
      assertEquals("disclosure", finding.getString("category"));
      assertTrue(alert.getString("text").substring(finding.getInteger("start"), finding.getInteger("end")).contains("hurts me"));
      fac.awaitContribution(ack.getLong("id"), "pending");

      other.assertNone(f -> List.of("contribution", "alert", "help").contains(f.getString("type")), Duration.ofMillis(500));
      JsonObject own = author.awaitContribution(ack.getLong("id"), "pending");
      assertNull(own.getJsonObject("moderation"), "rule details are for facilitators");
    }
  }

  @Test
  void aPhoneNumberNeverReachesTheDatabase() {
    Room room = room("post", null);
    try (LiveClient author = child(room, "Chege")) {
      JsonObject ack = contribute(author, "p-1", "text me on 0712 345 678 or +254 712 345679 ok");
      assertEquals(List.of("phone"), ack.getJsonArray("redacted").getList());
      assertEquals("text me on [phone] or [phone] ok", ack.getString("text"));
    }
    var pool = server.server().database().pool();
    for (Row r : await(pool.query("SELECT t::text FROM contributions t").execute())) {
      String row = r.getString(0);
      assertFalse(row.contains("0712") || row.contains("345 678") || row.contains("712 345679"), row);
    }
    Row stored = await(pool.preparedQuery("SELECT text, moderation_action FROM contributions WHERE client_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of("p-1"))).iterator().next();
    assertEquals("text me on [phone] or [phone] ok", stored.getString("text"));
    assertEquals("redact", stored.getString("moderation_action"));
  }

  @Test
  void aGroomingAttemptWaitsInTheQueueWhileTalkAboutHarmIsPublished() {
    Room room = room("post", null);
    try (LiveClient fac = server.live(); LiveClient groomer = child(room, "Dan"); LiveClient other = child(room, "Esi")) {
      fac.hello(staff, room.id());
      JsonObject held = contribute(groomer, "g-1", "are you alone? add me on snapchat");
      assertEquals("pending", held.getString("status"));
      assertTrue(held.getBoolean("held"));
      JsonObject queued = fac.awaitContribution(held.getLong("id"), "pending");
      assertEquals("hold", queued.getJsonObject("moderation").getString("action"));
      assertTrue(queued.getJsonObject("moderation").getJsonArray("findings").stream()
          .anyMatch(f -> "contact".equals(((JsonObject) f).getString("category"))));

      JsonObject fine = contribute(groomer, "g-2", "Children in my country are forced to work, we need to stop child labour");
      assertEquals("published", fine.getString("status"));
      assertFalse(fine.getBoolean("held"));
      assertEquals(List.of(), fine.getJsonArray("redacted").getList());
      other.awaitContribution(fine.getLong("id"), "published");
      other.assertNone(f -> "contribution".equals(f.getString("type"))
          && f.getJsonObject("contribution").getLong("id") == held.getLong("id"), Duration.ofMillis(300));

      fac.request(new JsonObject().put("type", "reject").put("contributionId", held.getLong("id")).put("reason", "contact request"));
    }
    // Every decision, the filter's and the facilitator's, is in the audit log, oldest last.
    JsonArray entries = expect(200, api.get("/api/dialogues/" + room.id() + "/audit", staff)).getJsonArray("entries");
    List<String> actions = entries.stream().map(o -> ((JsonObject) o).getString("by") + ":" + ((JsonObject) o).getString("action")).toList();
    assertEquals(List.of("admin:reject", "filter:allow", "filter:hold"), actions);
    assertTrue(entries.getJsonObject(2).getJsonArray("ruleIds").stream().anyMatch(id -> ((String) id).startsWith("contact.")));
    assertEquals("contact request", entries.getJsonObject(0).getString("reason"));
    var pool = server.server().database().pool();
    for (String change : List.of("UPDATE moderation_audit SET action = 'allow'", "DELETE FROM moderation_audit", "TRUNCATE moderation_audit")) {
      RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> await(pool.query(change).execute()));
      assertTrue(String.valueOf(e.getMessage()).contains("append-only"), e.getMessage());
    }
    assertEquals(404, api.get("/api/dialogues/" + java.util.UUID.randomUUID() + "/audit", staff).status());
    JsonObject facilitator = api.createFacilitator(staff, "audit-fac");
    String facToken = api.login("audit-fac", facilitator.getString("password"));
    assertEquals(403, api.get("/api/dialogues/" + room.id() + "/audit", facToken).status(), "the audit log is for staff");
  }

  @Test
  void theRuleTesterAnswersStaffAndStoresNothing() {
    var pool = server.server().database().pool();
    long before = await(pool.query("SELECT count(*) FROM contributions").execute()).iterator().next().getLong(0);
    JsonObject verdict = expect(200, api.post("/api/moderation/check", staff,
        new JsonObject().put("text", "my dad hits me, call 0712 345 678").put("language", "en").put("country", "KE")));
    assertEquals("alert", verdict.getString("action"));
    assertEquals("my dad hits me, call [phone]", verdict.getString("redactedText"));
    List<String> categories = verdict.getJsonArray("categories").stream().map(o -> ((JsonObject) o).getString("category")).toList();
    assertTrue(categories.containsAll(List.of("disclosure", "pii")), categories.toString());
    assertEquals("allow", expect(200, api.post("/api/moderation/check", staff,
        new JsonObject().put("text", "Call 116 111 if someone hurts you"))).getString("action"));
    assertEquals(before, await(pool.query("SELECT count(*) FROM contributions").execute()).iterator().next().getLong(0));

    String child = api.join(room("pre", null).code(), "Femi").getString("token");
    assertEquals(403, api.post("/api/moderation/check", child, new JsonObject().put("text", "x")).status());
    assertEquals("missing_field", api.post("/api/moderation/check", staff, new JsonObject()).errorCode());
    assertEquals("too_long", api.post("/api/moderation/check", staff, new JsonObject().put("text", "a".repeat(10_001))).errorCode());
    assertEquals("invalid_field", api.post("/api/moderation/check", staff, new JsonObject().put("text", "x").put("language", "english")).errorCode());
  }

  @Test
  void profanityIsMaskedOrHeldAsTheDialogueChooses() {
    Room masked = room("post", null);
    try (LiveClient c = child(masked, "Hugo")) {
      JsonObject ack = contribute(c, "s-1", "this is so fucking unfair");
      assertEquals("published", ack.getString("status"));
      assertEquals("this is so f****** unfair", ack.getString("text"));
    }
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Strict", "post", 10, "Q").put("profanity", "hold"));
    assertEquals("hold", d.getString("profanity"));
    try (LiveClient c = child(new Room(d.getString("id"), d.getString("joinCode")), "Ida")) {
      JsonObject ack = contribute(c, "s-1", "this is so fucking unfair");
      assertEquals("pending", ack.getString("status"));
      assertTrue(ack.getBoolean("held"));
    }
    assertEquals("invalid_field", api.post("/api/dialogues", staff, Api.dialogueBody("Bad", "post", 10, "Q").put("profanity", "allow")).errorCode());
  }
}
