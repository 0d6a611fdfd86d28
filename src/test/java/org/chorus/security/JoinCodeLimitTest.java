package org.chorus.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Wrong join codes, end to end from several client addresses (127.0.0.2, .3, …: the node counts per
 * address, in memory): one address is stopped after its limit for the rest of its window, and once all
 * of them together reach the node-wide limit every address waits, even with the right code.
 */
class JoinCodeLimitTest {
  static TestServer server;
  static String code;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.put("join", new JsonObject().put("wrongCodesPerClient", 3).put("wrongCodesGlobalPerMinute", 10)));
    Api api = server.api();
    code = api.openDialogue(api.staffToken(), Api.dialogueBody("Guessing", "pre", 50, "Q")).getString("joinCode");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<Buffer> join(int client, String typed) {
    WebClient from = WebClient.create(server.vertx, new WebClientOptions().setLocalAddress("127.0.0." + client)
        .setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    try {
      return await(from.post("/api/join").sendJsonObject(Api.joinBody(typed, null, "12-14", "KE", "en")));
    } finally {
      from.close();
    }
  }

  static String wrong(int n) {
    return "ZZZZ-ZZ" + "23456789".charAt(n / 8 % 8) + "23456789".charAt(n % 8);
  }

  static long retryAfter(HttpResponse<Buffer> r) {
    assertEquals(429, r.statusCode(), r.bodyAsString());
    assertEquals("rate_limited", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
    return Long.parseLong(r.getHeader("Retry-After"));
  }

  @Test
  void oneAddressIsStoppedThenAllAddressesTogether() {
    assertEquals(201, join(2, code).statusCode(), "the right code works");
    int guesses = 0;
    for (int i = 0; i < 3; i++) {
      assertEquals(404, join(2, wrong(guesses++)).statusCode());
    }
    long perClientWait = retryAfter(join(2, code));
    assertTrue(perClientWait > 540 && perClientWait <= 600, "this address waits out its 10-minute window: " + perClientWait);
    assertEquals(201, join(3, code).statusCode(), "another address is not affected");

    for (int client = 3; guesses < 10; client++) {
      for (int i = 0; i < 3 && guesses < 10; i++) {
        assertEquals(404, join(client, wrong(guesses++)).statusCode(), "guess " + guesses + " from 127.0.0." + client);
      }
    }
    long globalWait = retryAfter(join(9, code));
    assertTrue(globalWait >= 1 && globalWait <= 60, "node-wide: every address waits for the minute to end: " + globalWait);
    assertEquals(429, join(10, wrong(99)).statusCode(), "and a refused guess is not even looked up");
  }
}
