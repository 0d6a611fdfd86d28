package org.chorus.security;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing out and removing a child end the token at once: on REST, at hello, on the next message of an
 * open socket, and after a restart (the deny-list is in PostgreSQL until the token would have expired).
 */
class RevocationTest {
  static TestServer server;
  static Api api;
  static String staff;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.getJsonObject("auth").put("childTokenMinutes", 90));
    api = server.api();
    staff = api.staffToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void signingOutEndsThatTokenAtOnceOnRestAndOnAnOpenSocket() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Sign out", "pre", 10, "Q1", "Q2"));
    JsonObject facilitator = api.createFacilitator(staff, "signing-out");
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    String laptop = api.login("signing-out", facilitator.getString("password"));
    String phone = api.login("signing-out", facilitator.getString("password"));
    try (LiveClient open = server.live(); LiveClient other = server.live()) {
      assertEquals("welcome", open.hello(laptop, d.getString("id")).getString("type"));
      assertEquals("welcome", other.hello(phone, d.getString("id")).getString("type"));

      assertEquals(true, expect(200, api.post("/api/auth/logout", laptop, null)).getBoolean("signedOut"));

      JsonObject refused = open.request(new JsonObject().put("type", "next_prompt"));
      assertEquals("unauthorized", refused.getString("code"), "the next message on the open socket is refused");
      assertTrue(open.awaitClosed(Duration.ofSeconds(5)), "and the socket is closed");
      assertEquals((short) 1008, open.closeStatus());
      assertEquals("Q1", expect(200, api.get("/api/dialogues/" + d.getString("id"), staff)).getJsonArray("prompts")
          .getJsonObject(0).getString("text"));
      assertEquals(Long.valueOf(firstPromptId(d)), expect(200, api.get("/api/dialogues/" + d.getString("id"), staff)).getLong("currentPromptId"),
          "the refused next_prompt did nothing");

      Api.Reply rest = api.get("/api/auth/me", laptop);
      assertEquals(401, rest.status());
      assertEquals("unauthorized", rest.errorCode());
      assertEquals(401, api.post("/api/auth/logout", laptop, null).status(), "signing out twice: the token is already dead");
      try (LiveClient again = server.live()) {
        assertEquals("unauthorized", again.hello(laptop, d.getString("id")).getString("code"));
      }
      // Only that token ended: the same account's other sign-in goes on.
      assertEquals("pong", other.request(new JsonObject().put("type", "ping")).getString("type"));
      expect(200, api.get("/api/auth/me", phone));
    }
    Row row = revokedRow("jti:" + claims(laptop).getString("jti"));
    assertEquals(claims(laptop).getLong("exp"), row.getOffsetDateTime("expires_at").toEpochSecond(),
        "kept exactly until the token would have expired");
  }

  @Test
  void staffEndEveryCurrentSignInOfAnAccountAndLaterSignInsWork() throws InterruptedException {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Lost laptop", "pre", 10, "Q1"));
    JsonObject facilitator = api.createFacilitator(staff, "lost-laptop");
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    String laptop = api.login("lost-laptop", facilitator.getString("password"));
    String phone = api.login("lost-laptop", facilitator.getString("password"));
    try (LiveClient open = server.live()) {
      assertEquals("welcome", open.hello(laptop, d.getString("id")).getString("type"));
      expect(200, api.post("/api/accounts/" + facilitator.getString("id") + "/signout", staff, null));
      for (String token : new String[] {laptop, phone}) {
        Api.Reply r = api.get("/api/auth/me", token);
        assertEquals(401, r.status(), "every sign-in of the account ended");
      }
      assertEquals("unauthorized", open.request(new JsonObject().put("type", "ping")).getString("code"));
      assertTrue(open.awaitClosed(Duration.ofSeconds(5)));
    }
    assertEquals("account_not_found", api.post("/api/accounts/" + UUID.randomUUID() + "/signout", staff, null).errorCode());
    Thread.sleep(1100); // token times have whole seconds: a sign-in in the same second would be covered too
    String again = api.login("lost-laptop", facilitator.getString("password"));
    expect(200, api.get("/api/auth/me", again));
    expect(200, api.get("/api/auth/me", staff)); // staff's own sign-in is untouched
  }

  @Test
  void removingAChildEndsItsTokenOnRestAndOnlyInTheFacilitatorsOwnRoom() {
    JsonObject a = api.openDialogue(staff, Api.dialogueBody("Removal A", "pre", 10, "Q1"));
    JsonObject b = api.openDialogue(staff, Api.dialogueBody("Removal B", "pre", 10, "Q1"));
    JsonObject facilitatorOfB = api.createFacilitator(staff, "only-room-b");
    api.assign(staff, b.getString("id"), facilitatorOfB.getString("id"));
    String facilitatorB = api.login("only-room-b", facilitatorOfB.getString("password"));
    JsonObject joined = api.join(a.getString("joinCode"), "Zuri");
    String child = joined.getString("token");
    String childId = joined.getJsonObject("participant").getString("id");

    try (LiveClient fromB = server.live()) {
      fromB.hello(facilitatorB, b.getString("id"));
      JsonObject refused = fromB.request(new JsonObject().put("type", "remove_participant").put("participantId", childId));
      assertEquals("participant_not_found", refused.getString("code"), "a facilitator of B cannot remove a child of A");
    }
    expect(200, api.get("/api/auth/me", child));
    assertEquals(0, count("sub:" + childId), "nothing was revoked by the refused removal");

    Instant before = Instant.now();
    try (LiveClient kid = server.live(); LiveClient fac = server.live()) {
      kid.hello(child, null);
      fac.hello(staff, a.getString("id"));
      assertEquals("done", fac.request(new JsonObject().put("type", "remove_participant").put("participantId", childId)).getString("type"));
      assertEquals("removed", kid.next("removed").getString("type"));
      assertTrue(kid.awaitClosed(Duration.ofSeconds(5)));
    }
    Api.Reply me = api.get("/api/auth/me", child);
    assertEquals(403, me.status());
    assertEquals("removed", me.errorCode());
    try (LiveClient again = server.live()) {
      assertEquals("removed", again.hello(child, null).getString("code"));
    }
    Instant until = revokedRow("sub:" + childId).getOffsetDateTime("expires_at").toInstant();
    assertTrue(!until.isBefore(before.plus(Duration.ofMinutes(90))) && until.isBefore(Instant.now().plus(Duration.ofMinutes(91))),
        "kept as long as any of the child's tokens could live (auth.childTokenMinutes = 90): " + until);
  }

  @Test
  void aRestartedNodeStillRefusesAndExpiredEntriesArePruned() {
    String token = api.staffToken();
    expect(200, api.post("/api/auth/logout", token, null));
    String stale = "jti:" + UUID.randomUUID();
    await(server.server().database().pool().preparedQuery("INSERT INTO revoked_tokens (token_key, expires_at) VALUES ($1, now() - interval '1 minute')")
        .execute(Tuple.of(stale)));
    server.restart();
    api = server.api();
    assertEquals(401, api.get("/api/auth/me", token).status(), "the restarted node loaded the deny-list before serving");
    assertEquals(0, count(stale), "entries whose tokens expired anyway are pruned");
    staff = api.staffToken();
  }

  static long firstPromptId(JsonObject dialogue) {
    return dialogue.getJsonArray("prompts").getJsonObject(0).getLong("id");
  }

  static JsonObject claims(String jwt) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  static Row revokedRow(String key) {
    RowSet<Row> rows = await(server.server().database().pool().preparedQuery("SELECT expires_at FROM revoked_tokens WHERE token_key = $1")
        .execute(Tuple.of(key)));
    assertEquals(1, rows.size(), key + " is on the persisted deny-list");
    return rows.iterator().next();
  }

  static long count(String key) {
    return await(server.server().database().pool().preparedQuery("SELECT count(*) FROM revoked_tokens WHERE token_key = $1")
        .execute(Tuple.of(key))).iterator().next().getLong(0);
  }
}
