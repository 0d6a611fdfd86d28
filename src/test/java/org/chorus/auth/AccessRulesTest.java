package org.chorus.auth;

import io.vertx.core.json.JsonObject;
import org.chorus.security.ForgedTokens;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Role rules beyond the status of each route (that is {@code security.AccessMatrixTest}, over every route of the
 * router): what staff can do, every WebSocket action per role, and tokens forged in each way.
 */
class AccessRulesTest {
  static TestServer server;
  static Api api;
  static String staff;
  static String dialogueId;
  static String otherDialogueId;
  static String assignedFacilitator;
  static String unassignedFacilitator;
  static String facilitatorAccountId;
  static String child;
  static String otherChild;

  @BeforeAll
  static void setUp() {
    server = TestServer.shared();
    api = server.api();
    staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Access A", "pre", 50, "Q1", "Q2"));
    JsonObject other = api.openDialogue(staff, Api.dialogueBody("Access B", "pre", 50, "Q1"));
    dialogueId = d.getString("id");
    otherDialogueId = other.getString("id");
    JsonObject assigned = api.createFacilitator(staff, "acc-assigned");
    JsonObject unassigned = api.createFacilitator(staff, "acc-unassigned");
    facilitatorAccountId = assigned.getString("id");
    api.assign(staff, dialogueId, facilitatorAccountId);
    assignedFacilitator = api.login("acc-assigned", assigned.getString("password"));
    unassignedFacilitator = api.login("acc-unassigned", unassigned.getString("password"));
    child = api.join(d.getString("joinCode"), "Mia").getString("token");
    otherChild = api.join(other.getString("joinCode"), "Noor").getString("token");
  }

  @Test
  void staffManageDialoguesAndAccounts() {
    JsonObject created = Api.expect(201, api.post("/api/dialogues", staff, Api.dialogueBody("Scratch", "post", 5, "Q")));
    String id = created.getString("id");
    assertEquals("draft", created.getString("status"));
    JsonObject opened = Api.expect(200, api.post("/api/dialogues/" + id + "/open", staff, null));
    String code = opened.getString("joinCode");
    assertTrue(code.matches("[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}"), code);
    Api.expect(200, api.put("/api/dialogues/" + id + "/facilitators/" + facilitatorAccountId, staff));
    Api.expect(200, api.delete("/api/dialogues/" + id + "/facilitators/" + facilitatorAccountId, staff));
    assertEquals("not_assigned", api.delete("/api/dialogues/" + id + "/facilitators/" + facilitatorAccountId, staff).errorCode());
    JsonObject closed = Api.expect(200, api.post("/api/dialogues/" + id + "/close", staff, null));
    assertEquals("closed", closed.getString("status"));
    JsonObject reopened = Api.expect(200, api.post("/api/dialogues/" + id + "/open", staff, null));
    assertEquals(code, reopened.getString("joinCode"), "a dialogue keeps its join code");
    assertEquals("username_taken", api.post("/api/accounts", staff, new JsonObject().put("username", "acc-assigned")).errorCode());
    assertEquals("invalid_role", api.post("/api/accounts", staff, new JsonObject().put("username", "kid").put("role", "child")).errorCode());
    assertEquals("not_a_facilitator", api.put("/api/dialogues/" + id + "/facilitators/" + staffId(), staff).errorCode());
    assertEquals(404, api.post("/api/dialogues/" + UUID.randomUUID() + "/open", staff, null).status());
    assertEquals(404, api.get("/api/dialogues/not-a-uuid", staff).status());
  }

  static String staffId() {
    return Api.expect(200, api.get("/api/auth/me", staff)).getString("id");
  }

  @Test
  void childrenCannotModerateNorEnterAnotherRoom() {
    try (LiveClient c = server.live()) {
      assertEquals("welcome", c.hello(child, null).getString("type"));
      for (String type : List.of("approve", "reject", "remove")) {
        JsonObject r = c.request(new JsonObject().put("type", type).put("contributionId", 1));
        assertEquals("forbidden", r.getString("code"), type);
      }
      assertEquals("forbidden", c.request(new JsonObject().put("type", "next_prompt")).getString("code"));
      assertEquals("forbidden", c.request(new JsonObject().put("type", "set_prompt").put("promptId", 1)).getString("code"));
    }
    try (LiveClient c = server.live()) {
      JsonObject r = c.hello(child, otherDialogueId);
      assertEquals("forbidden", r.getString("code"), "a child token is valid in its own dialogue only");
      // the connection stays usable: the right hello still works
      assertEquals("welcome", c.hello(child, dialogueId).getString("type"));
    }
    try (LiveClient c = server.live()) {
      JsonObject w = c.hello(otherChild, null);
      assertEquals(otherDialogueId, w.getJsonObject("dialogue").getString("id"));
      assertTrue(w.getJsonObject("dialogue").getString("joinCode") == null, "children do not get the join code of the room");
    }
  }

  @Test
  void facilitatorsModerateOnlyAssignedDialoguesAndNeverContribute() {
    try (LiveClient c = server.live()) {
      assertEquals("forbidden", c.hello(unassignedFacilitator, dialogueId).getString("code"));
    }
    try (LiveClient c = server.live()) {
      assertEquals("welcome", c.hello(assignedFacilitator, dialogueId).getString("type"));
      assertEquals("forbidden", c.request(new JsonObject().put("type", "contribute").put("clientId", "x").put("text", "hi")).getString("code"));
      assertEquals("forbidden", c.request(new JsonObject().put("type", "react").put("contributionId", 1).put("kind", "me_too")).getString("code"));
    }
    try (LiveClient c = server.live()) {
      assertEquals("welcome", c.hello(staff, otherDialogueId).getString("type"), "staff may moderate any dialogue");
    }
    try (LiveClient c = server.live()) {
      assertEquals("missing_field", c.hello(assignedFacilitator, null).getString("code"));
    }
  }

  @Test
  void forgedExpiredAndAlgNoneTokensAreRefused() {
    ForgedTokens forge = new ForgedTokens(server);
    for (String bad : List.of(forge.forged(), forge.expired(), forge.wrongAudience(), forge.withoutTokenId(), ForgedTokens.algNone(), "not-a-token")) {
      Api.Reply r = api.get("/api/accounts", bad);
      assertEquals(401, r.status(), r.raw());
      try (LiveClient c = server.live()) {
        assertEquals("unauthorized", c.hello(bad, dialogueId).getString("code"));
      }
    }
  }
}
