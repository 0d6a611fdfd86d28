package org.chorus.auth;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Repeated wrong join codes and wrong passwords from one client are slowed down. */
class RateLimitTest {
  static TestServer server;
  static Api api;
  static String staff;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> {
      c.put("join", new JsonObject().put("wrongCodesPerClient", 5));
      c.getJsonObject("auth").put("loginFailuresBeforeBackoff", 3);
    });
    api = server.api();
    staff = api.staffToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void wrongJoinCodesAreLimitedPerClient() {
    String code = api.openDialogue(staff, Api.dialogueBody("Limited", "pre", 10, "Q")).getString("joinCode");
    for (int i = 0; i < 5; i++) {
      Api.Reply r = api.post("/api/join", null, Api.joinBody("ZZZZ-ZZZ" + (2 + i), null, "9-11", "KE", "en"));
      assertEquals(404, r.status(), r.raw());
      assertEquals("unknown_code", r.errorCode());
    }
    Api.Reply limited = api.post("/api/join", null, Api.joinBody(code, null, "9-11", "KE", "en"));
    assertEquals(429, limited.status(), "even the right code waits once the limit is reached");
    assertEquals("rate_limited", limited.errorCode());
    long retry = limited.body().getJsonObject("error").getLong("retryAfterSeconds");
    assertTrue(retry > 500 && retry <= 600, "retry after " + retry);
    assertEquals(429, api.get("/api/join/" + code, null).status(), "the preview counts too");
  }

  @Test
  void wrongPasswordsBackOff() {
    JsonObject account = api.createFacilitator(staff, "throttled");
    JsonObject wrong = new JsonObject().put("username", "throttled").put("password", "not the password");
    for (int i = 0; i < 3; i++) {
      Api.Reply r = api.post("/api/auth/login", null, wrong);
      assertEquals(401, r.status());
      assertEquals("invalid_credentials", r.errorCode());
    }
    Api.Reply limited = api.post("/api/auth/login", null, new JsonObject().put("username", "throttled").put("password", account.getString("password")));
    assertEquals(429, limited.status(), limited.raw());
    assertNotNull(limited.body().getJsonObject("error").getLong("retryAfterSeconds"));
    Api.Reply unknownUser = api.post("/api/auth/login", null, new JsonObject().put("username", "nobody").put("password", "whatever"));
    assertEquals("invalid_credentials", unknownUser.errorCode(), "unknown users get the same answer as wrong passwords");
  }

  /** The wait doubles with each further wrong password (1 s, 2 s, 4 s …), measured on the server's own answers. */
  @Test
  void theBackOffGrowsWithEachFurtherFailure() throws InterruptedException {
    api.createFacilitator(staff, "growing");
    JsonObject wrong = new JsonObject().put("username", "growing").put("password", "still not the password");
    for (int i = 0; i < 3; i++) {
      assertEquals(401, api.post("/api/auth/login", null, wrong).status());
    }
    long previous = 0;
    for (long expected : new long[] {1, 2, 4}) {
      Api.Reply limited = api.post("/api/auth/login", null, wrong);
      assertEquals(429, limited.status(), limited.raw());
      long wait = limited.body().getJsonObject("error").getLong("retryAfterSeconds");
      assertEquals(expected, wait, "after " + (expected == 1 ? 3 : 3 + Long.numberOfTrailingZeros(expected)) + " failures");
      assertTrue(wait > previous);
      previous = wait;
      Thread.sleep(wait * 1000 + 150);
      assertEquals(401, api.post("/api/auth/login", null, wrong).status(), "allowed again once the wait is over (and wrong again)");
    }
  }
}
