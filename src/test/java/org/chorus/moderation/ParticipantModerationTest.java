package org.chorus.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Approve with an edit, mute for a while, remove from the room: done by facilitators, audited, enforced. */
class ParticipantModerationTest extends OnSharedServer {
  @Test
  void approveWithEditMuteAndRemove() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Participant moderation", "pre", 20, "Q1"));
    String dialogueId = d.getString("id");
    JsonObject kofiJoin = api.join(d.getString("joinCode"), "Kofi");
    String kofiId = kofiJoin.getJsonObject("participant").getString("id");
    try (LiveClient fac = server.live(); LiveClient kofi = server.live(); LiveClient other = server.live()) {
      fac.hello(staff, dialogueId);
      kofi.hello(kofiJoin.getString("token"), null);
      other.hello(api.join(d.getString("joinCode"), "Lea").getString("token"), null);

      long id = kofi.request(new JsonObject().put("type", "contribute").put("clientId", "e-1")
          .put("text", "Our teacher Mr Otieno at Green Hill should listen more")).getLong("id");
      fac.awaitContribution(id, "pending");
      JsonObject done = fac.request(new JsonObject().put("type", "approve").put("contributionId", id)
          .put("text", "Our teacher should listen more, call 0712 345 678"));
      assertEquals("published", done.getString("status"), done.encode());
      assertEquals("Our teacher should listen more, call [phone]", other.awaitContribution(id, "published").getString("text"),
          "the edit is what others see, and it is redacted too");
      Row row = await(server.server().database().pool().preparedQuery("SELECT text, edited FROM contributions WHERE id = $1")
          .execute(Tuple.of(id))).iterator().next();
      assertTrue(row.getBoolean("edited"));

      assertEquals("forbidden", other.request(new JsonObject().put("type", "mute").put("participantId", kofiId)).getString("code"));
      JsonObject muted = fac.request(new JsonObject().put("type", "mute").put("participantId", kofiId).put("minutes", 5).put("reason", "flooding"));
      assertEquals("done", muted.getString("type"), muted.encode());
      assertTrue(kofi.next("muted").getString("until") != null);
      assertEquals("muted", kofi.request(new JsonObject().put("type", "contribute").put("clientId", "e-2").put("text", "hello?")).getString("code"));
      fac.request(new JsonObject().put("type", "mute").put("participantId", kofiId).put("minutes", 0));
      kofi.next(f -> "muted".equals(f.getString("type")) && f.getValue("until") == null, Duration.ofSeconds(5));
      assertEquals("ack", kofi.request(new JsonObject().put("type", "contribute").put("clientId", "e-3").put("text", "thanks")).getString("type"));

      JsonObject removed = fac.request(new JsonObject().put("type", "remove_participant").put("participantId", kofiId).put("reason", "abuse"));
      assertEquals("done", removed.getString("type"), removed.encode());
      assertEquals("removed", kofi.next("removed").getString("type"));
      assertTrue(kofi.awaitClosed(Duration.ofSeconds(5)));
      assertEquals("participant_not_found", fac.request(new JsonObject().put("type", "remove_participant").put("participantId", kofiId)).getString("code"));
      assertEquals("pong", other.request(new JsonObject().put("type", "ping")).getString("type"), "others stay");
    }
    try (LiveClient again = server.live()) {
      assertEquals("removed", again.hello(kofiJoin.getString("token"), null).getString("code"), "the token no longer enters");
    }
    JsonArray audit = expect(200, api.get("/api/dialogues/" + dialogueId + "/audit", staff)).getJsonArray("entries");
    List<String> actions = audit.stream().map(o -> ((JsonObject) o).getString("action")).toList();
    assertTrue(actions.containsAll(List.of("remove_participant", "unmute", "mute", "approve_edit")), actions.toString());
  }
}
