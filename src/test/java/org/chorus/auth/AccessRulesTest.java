package org.chorus.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every role rule, tried and refused: REST routes per role, and every WebSocket action per role. */
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

  record Case(HttpMethod method, String path, Object body, Map<String, Integer> expected) {}

  /** Read-only routes and refusals of mutating ones; staff mutations are checked on a scratch dialogue below. */
  static List<Case> cases() {
    String d = "/api/dialogues/" + dialogueId;
    JsonObject newDialogue = Api.dialogueBody("Matrix", "pre", 10, "Q");
    JsonObject newAccount = new JsonObject().put("username", "never-created").put("role", "facilitator");
    List<Case> cases = new ArrayList<>();
    cases.add(new Case(HttpMethod.GET, "/api/auth/me", null, roles(401, 200, 200, 200, 200)));
    cases.add(new Case(HttpMethod.GET, "/api/accounts", null, roles(401, 403, 403, 403, 200)));
    cases.add(new Case(HttpMethod.POST, "/api/accounts", newAccount, roles(401, 403, 403, 403, -1)));
    cases.add(new Case(HttpMethod.GET, "/api/dialogues", null, roles(401, 403, 200, 200, 200)));
    cases.add(new Case(HttpMethod.POST, "/api/dialogues", newDialogue, roles(401, 403, 403, 403, -1)));
    cases.add(new Case(HttpMethod.GET, d, null, roles(401, 403, 403, 200, 200)));
    cases.add(new Case(HttpMethod.POST, d + "/open", null, roles(401, 403, 403, 403, -1)));
    cases.add(new Case(HttpMethod.POST, d + "/close", null, roles(401, 403, 403, 403, -1)));
    cases.add(new Case(HttpMethod.PUT, d + "/facilitators/" + facilitatorAccountId, null, roles(401, 403, 403, 403, -1)));
    cases.add(new Case(HttpMethod.DELETE, d + "/facilitators/" + facilitatorAccountId, null, roles(401, 403, 403, 403, -1)));
    return cases;
  }

  /** Expected status for: no token, child, unassigned facilitator, assigned facilitator, staff (-1: not tried here). */
  static Map<String, Integer> roles(int none, int child, int unassigned, int assigned, int staff) {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("none", none);
    m.put("child", child);
    m.put("unassigned facilitator", unassigned);
    m.put("assigned facilitator", assigned);
    m.put("staff", staff);
    return m;
  }

  @Test
  void restRoutesAnswerEachRoleAsExpected() {
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("none", null);
    tokens.put("child", child);
    tokens.put("unassigned facilitator", unassignedFacilitator);
    tokens.put("assigned facilitator", assignedFacilitator);
    tokens.put("staff", staff);
    List<String> wrong = new ArrayList<>();
    int tried = 0;
    for (Case c : cases()) {
      for (var e : c.expected().entrySet()) {
        if (e.getValue() < 0) {
          continue;
        }
        Api.Reply r = api.call(c.method(), c.path(), tokens.get(e.getKey()), c.body());
        tried++;
        if (r.status() != e.getValue()) {
          wrong.add(c.method() + " " + c.path() + " as " + e.getKey() + ": expected " + e.getValue() + ", got " + r.status() + " " + r.raw());
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    assertTrue(tried >= 40, "the matrix ran");
    // Nothing was changed by the refused calls.
    JsonObject still = Api.expect(200, api.get("/api/dialogues/" + dialogueId, staff));
    assertEquals("open", still.getString("status"));
    assertEquals(1, still.getJsonArray("facilitators").size());
    assertEquals(0, Api.expect(200, api.get("/api/accounts", staff)).getJsonArray("accounts").stream()
        .filter(a -> "never-created".equals(((JsonObject) a).getString("username"))).count(), "refused account creation left no account");
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
  void forgedExpiredAndAlgNoneTokensAreRefused() throws Exception {
    String secret = Files.readString(server.dataDir.resolve("jwt-signing-key"), StandardCharsets.UTF_8).trim();
    JsonObject claims = new JsonObject().put("role", "staff").put("name", "admin").put("sub", UUID.randomUUID().toString());
    String forged = jwt("a-completely-different-secret-of-enough-length").generateToken(claims,
        new JWTOptions().setIssuer("chorus").setAudience(List.of("chorus")).setExpiresInMinutes(5));
    long past = Instant.now().minusSeconds(120).getEpochSecond();
    String expired = jwt(secret).generateToken(claims.copy().put("exp", past).put("iat", past - 60),
        new JWTOptions().setIssuer("chorus").setAudience(List.of("chorus")));
    String wrongAudience = jwt(secret).generateToken(claims,
        new JWTOptions().setIssuer("chorus").setAudience(List.of("someone-else")).setExpiresInMinutes(5));
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String algNone = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.copy().put("iss", "chorus").put("aud", "chorus")
            .put("exp", Instant.now().plusSeconds(600).getEpochSecond()).encode().getBytes(StandardCharsets.UTF_8)) + ".";
    for (String bad : List.of(forged, expired, wrongAudience, algNone, "not-a-token")) {
      Api.Reply r = api.get("/api/accounts", bad);
      assertEquals(401, r.status(), r.raw());
      try (LiveClient c = server.live()) {
        assertEquals("unauthorized", c.hello(bad, dialogueId).getString("code"));
      }
    }
  }

  private static JWTAuth jwt(String secret) {
    return JWTAuth.create(server.vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
  }
}
