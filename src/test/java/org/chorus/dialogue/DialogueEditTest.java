package org.chorus.dialogue;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staff edit dialogues; staff and assigned facilitators read live counts and the participant list. */
class DialogueEditTest extends OnSharedServer {
  static Api.Reply edit(String token, String id, JsonObject body) {
    return api.call(HttpMethod.PUT, "/api/dialogues/" + id, token, body);
  }

  @Test
  void aDraftCanChangeEverythingIncludingAllItsPrompts() {
    JsonObject created = expect(201, api.post("/api/dialogues", staff, Api.dialogueBody("Draft", "pre", 30, "One?", "Two?")));
    JsonObject body = Api.dialogueBody("Draft, renamed", "post", 40, "New first?", "New second?", "Third?")
        .put("languages", new JsonArray().add("es").add("ar"));
    JsonObject edited = expect(200, edit(staff, created.getString("id"), body));
    assertEquals("Draft, renamed", edited.getString("title"));
    assertEquals("post", edited.getString("moderationMode"));
    assertEquals(40, edited.getInteger("capacity"));
    assertEquals(new JsonArray().add("es").add("ar"), edited.getJsonArray("languages"));
    assertEquals(3, edited.getJsonArray("prompts").size());
    assertEquals("New first?", edited.getJsonArray("prompts").getJsonObject(0).getString("text"));
    assertEquals(edited.getJsonArray("prompts").getJsonObject(0).getLong("id"), edited.getLong("currentPromptId"));
    JsonObject reread = expect(200, api.get("/api/dialogues/" + created.getString("id"), staff));
    reread.remove("facilitators");
    assertEquals(edited, reread, "stored as answered");
  }

  @Test
  void promptsAlreadyAskedCannotChangeButLaterOnesCanAndTheRoomHearsIt() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Live edit", "pre", 30, "Asked?", "Later?"));
    String id = d.getString("id");
    try (LiveClient fac = server.live()) {
      fac.hello(staff, id);
      JsonObject changedAsked = Api.dialogueBody("Live edit", "pre", 30, "Asked, reworded?", "Later?");
      Api.Reply refused = edit(staff, id, changedAsked);
      assertEquals(409, refused.status());
      assertEquals("prompts_in_use", refused.errorCode());

      JsonObject ok = expect(200, edit(staff, id, Api.dialogueBody("Live edit", "pre", 30, "Asked?", "Later, reworded?", "Added?")));
      assertEquals(3, ok.getJsonArray("prompts").size());
      assertEquals(d.getLong("currentPromptId"), ok.getLong("currentPromptId"), "the current prompt stays");
      JsonObject frame = fac.next("dialogue").getJsonObject("dialogue");
      assertEquals("Later, reworded?", frame.getJsonArray("prompts").getJsonObject(1).getString("text"));

      // The room's copy of the dialogue is the edited one: "next prompt" reaches the reworded prompt.
      fac.request(new JsonObject().put("type", "next_prompt"));
      assertEquals("Later, reworded?", fac.next("prompt").getJsonObject("prompt").getString("text"));
    }
  }

  @Test
  void badEditsGetClearErrorsAndChangeNothing() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Guarded", "pre", 30, "Q?"));
    String id = d.getString("id");
    assertEquals(400, edit(staff, id, new JsonObject().put("title", "")).status());
    assertEquals(404, edit(staff, "6f1c7c1e-0000-4000-8000-000000000000", Api.dialogueBody("X", "pre", 3, "Q?")).status());
    String child = expect(201, api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), null, "12-14", "FR", "fr"))).getString("token");
    assertEquals(403, edit(child, id, Api.dialogueBody("Hijack", "pre", 3, "Q?")).status());
    JsonObject facilitator = api.createFacilitator(staff, "edit-fac-" + System.nanoTime() % 100000);
    String facToken = api.login(facilitator.getString("username"), facilitator.getString("password"));
    assertEquals(403, edit(facToken, id, Api.dialogueBody("Hijack", "pre", 3, "Q?")).status());
    assertEquals("Guarded", expect(200, api.get("/api/dialogues/" + id, staff)).getString("title"));
  }

  @Test
  void statsAndParticipantsAreForStaffAndAssignedFacilitatorsOnly() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Counts", "pre", 30, "Q?"));
    String id = d.getString("id");
    String child = expect(201, api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), "Zuri", "9-11", "TZ", "sw"))).getString("token");
    JsonObject facilitator = api.createFacilitator(staff, "count-fac-" + System.nanoTime() % 100000);
    String facToken = api.login(facilitator.getString("username"), facilitator.getString("password"));

    for (String path : new String[] {"/stats", "/participants"}) {
      assertEquals(403, api.get("/api/dialogues/" + id + path, child).status(), path);
      assertEquals(403, api.get("/api/dialogues/" + id + path, facToken).status(), "not assigned: " + path);
    }
    api.assign(staff, id, facilitator.getString("id"));
    JsonObject stats = expect(200, api.get("/api/dialogues/" + id + "/stats", facToken));
    assertEquals(1, stats.getLong("participants"));
    assertEquals(0, stats.getJsonObject("contributions").getLong("total"));
    assertEquals(0, stats.getLong("openAlerts"));
    JsonArray people = expect(200, api.get("/api/dialogues/" + id + "/participants", facToken)).getJsonArray("participants");
    assertEquals(1, people.size());
    JsonObject zuri = people.getJsonObject(0);
    assertEquals("Zuri", zuri.getString("nickname"));
    assertEquals("9-11", zuri.getString("ageBand"));
    assertEquals("TZ", zuri.getString("country"));
    assertEquals("sw", zuri.getString("language"));
    assertEquals(0, zuri.getLong("contributions"));
    assertTrue(zuri.getString("joinedAt").endsWith("Z"));
    assertEquals(404, api.get("/api/dialogues/6f1c7c1e-0000-4000-8000-000000000000/stats", staff).status());
  }
}
