package org.chorus.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a page learns on (re)connecting: open alerts for facilitators, the dialogue's helplines before consent. */
class ReconnectStateTest extends OnSharedServer {
  @Test
  void aFacilitatorWhoReconnectsSeesWhichAlertsAreStillOpen() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Reconnect", "pre", 20, "Q?"));
    long id;
    try (LiveClient child = server.live()) {
      child.hello(api.join(d.getString("joinCode"), null).getString("token"), null);
      id = child.request(new JsonObject().put("type", "contribute").put("clientId", "x-1").put("text", "my uncle hurts me every night")).getLong("id");
    }
    try (LiveClient fac = server.live()) {
      JsonArray open = fac.hello(staff, d.getString("id")).getJsonArray("openAlerts");
      assertEquals(1, open.size());
      assertEquals(id, open.getJsonObject(0).getLong("contributionId"));
      fac.request(new JsonObject().put("type", "ack_alert").put("contributionId", id));
    }
    try (LiveClient fac = server.live()) {
      assertEquals(0, fac.hello(staff, d.getString("id")).getJsonArray("openAlerts").size(), "acknowledged: no longer open");
    }
  }

  @Test
  void theJoinPreviewNamesTheDialoguesHelplinesForTheConsentScreen() {
    JsonArray helplines = new JsonArray().add(new JsonObject().put("name", "Childline Kenya").put("phone", "116"));
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Helplines", "pre", 20, "Q?").put("helplines", helplines));
    JsonObject preview = expect(200, api.get("/api/join/" + d.getString("joinCode"), null));
    assertEquals(helplines, preview.getJsonObject("dialogue").getJsonArray("helplines"));
  }
}
