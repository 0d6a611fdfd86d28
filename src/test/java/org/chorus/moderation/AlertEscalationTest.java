package org.chorus.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An alert must be acknowledged; one left waiting is escalated to staff. */
class AlertEscalationTest {
  static TestServer server;
  static Api api;
  static String staff;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.put("moderation", new JsonObject().put("alertEscalationSeconds", 1)));
    api = server.api();
    staff = api.staffToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anUnacknowledgedAlertIsEscalatedThenAcknowledged() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Alerts", "pre", 20, "Q1"));
    JsonObject facilitator = api.createFacilitator(staff, "alert-fac");
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    String facToken = api.login("alert-fac", facilitator.getString("password"));
    String childToken = api.join(d.getString("joinCode"), "Gift").getString("token");
    try (LiveClient fac = server.live(); LiveClient staffRoom = server.live(); LiveClient child = server.live()) {
      fac.hello(facToken, d.getString("id"));
      staffRoom.hello(staff, d.getString("id"));
      child.hello(childToken, null);
      long id = child.request(new JsonObject().put("type", "contribute").put("clientId", "a-1").put("text", "I want to die")).getLong("id");
      assertEquals(id, fac.next("alert").getJsonObject("contribution").getLong("id"));

      JsonObject escalated = fac.next(f -> "alert_escalated".equals(f.getString("type")), Duration.ofSeconds(10));
      assertEquals(id, escalated.getLong("contributionId"));
      JsonArray open = expect(200, api.get("/api/alerts", staff)).getJsonArray("alerts");
      JsonObject mine = open.stream().map(o -> (JsonObject) o).filter(a -> a.getLong("contributionId") == id).findFirst().orElseThrow();
      assertTrue(mine.getBoolean("escalated"));
      assertEquals("Alerts", mine.getString("dialogueTitle"));

      assertEquals("forbidden", child.request(new JsonObject().put("type", "ack_alert").put("contributionId", id)).getString("code"));
      JsonObject done = fac.request(new JsonObject().put("type", "ack_alert").put("contributionId", id));
      assertEquals("done", done.getString("type"), done.encode());
      JsonObject seen = staffRoom.next(f -> "alert_acknowledged".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals("alert-fac", seen.getString("by"));
      assertEquals("no_open_alert", fac.request(new JsonObject().put("type", "ack_alert").put("contributionId", id)).getString("code"));
      assertTrue(expect(200, api.get("/api/alerts", staff)).getJsonArray("alerts").stream()
          .noneMatch(o -> ((JsonObject) o).getLong("contributionId") == id));
    }
    JsonArray audit = expect(200, api.get("/api/dialogues/" + d.getString("id") + "/audit", staff)).getJsonArray("entries");
    assertEquals("acknowledge_alert", audit.getJsonObject(0).getString("action"));
    assertEquals(403, api.get("/api/alerts", api.login("alert-fac", facilitator.getString("password"))).status());
  }
}
