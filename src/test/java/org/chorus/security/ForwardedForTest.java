package org.chorus.security;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Behind a load balancer (here: requests from 127.0.0.1, listed in http.trustedProxies) wrong join codes are
 * counted per child's address from X-Forwarded-For, so one guesser does not lock out every child behind the
 * same balancer; a client that is not a trusted proxy cannot dodge its count by writing the header itself.
 */
class ForwardedForTest {
  @Test
  void wrongCodesAreCountedPerForwardedAddressOnlyBehindATrustedProxy() {
    try (TestServer server = TestServer.start(c -> {
      c.getJsonObject("http", new JsonObject()).put("trustedProxies", new JsonArray().add("127.0.0.1"));
      c.put("join", new JsonObject().put("wrongCodesPerClient", 3).put("wrongCodesGlobalPerMinute", 1000));
    })) {
      Api api = server.api();
      String code = api.openDialogue(api.staffToken(), Api.dialogueBody("Behind a balancer", "pre", 50, "Q")).getString("joinCode");
      for (int i = 0; i < 3; i++) {
        assertEquals(404, join(server, "127.0.0.1", "203.0.113.7", "ZZZZ-ZZZ" + "23456789".charAt(i)).statusCode());
      }
      assertEquals(429, join(server, "127.0.0.1", "203.0.113.7", code).statusCode(), "the guesser behind the balancer is stopped");
      assertEquals(201, join(server, "127.0.0.1", "203.0.113.8", code).statusCode(), "another child behind the same balancer is not");

      // 127.0.0.5 is not a trusted proxy: its X-Forwarded-For is its own invention and changes nothing.
      for (int i = 0; i < 3; i++) {
        assertEquals(404, join(server, "127.0.0.5", "198.51.100." + i, "ZZZZ-ZZY" + "23456789".charAt(i)).statusCode());
      }
      assertEquals(429, join(server, "127.0.0.5", "198.51.100.99", code).statusCode(), "a new header does not buy new guesses");
    }
  }

  private static HttpResponse<Buffer> join(TestServer server, String from, String forwardedFor, String code) {
    WebClient client = WebClient.create(server.vertx, new WebClientOptions().setLocalAddress(from)
        .setDefaultHost("127.0.0.1").setDefaultPort(server.port()));
    try {
      return await(client.post("/api/join").putHeader("X-Forwarded-For", forwardedFor)
          .sendJsonObject(Api.joinBody(code, null, "12-14", "KE", "en")));
    } finally {
      client.close();
    }
  }
}
