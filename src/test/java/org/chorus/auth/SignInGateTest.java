package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A burst of sign-ins for made-up usernames (which the per-username back-off does not slow) runs at most one
 * password verification per core at a time; the rest are told to retry in a second, and the node stays
 * responsive. Slow hashes (1.5 million iterations) make the burst overlap for certain.
 */
class SignInGateTest {
  @Test
  void aBurstOfSignInsRunsOneHashPerCoreAndTheRestRetry() {
    try (TestServer server = TestServer.start(c -> c.getJsonObject("auth").put("pbkdf2Iterations", 1_500_000))) {
      int limit = Math.max(2, Runtime.getRuntime().availableProcessors());
      int burst = limit + 6;
      WebClient client = WebClient.create(server.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(server.port()), new PoolOptions().setHttp1MaxSize(burst + 2));
      List<Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
      for (int i = 0; i < burst; i++) {
        answers.add(client.post("/api/auth/login").sendJsonObject(new JsonObject()
            .put("username", "guess-" + UUID.randomUUID()).put("password", "password-guess-" + i)));
      }
      assertEquals(200, await(client.get("/health").send()).statusCode(), "the node answers while the hashes run");
      await(Future.join(answers));
      int verified = 0;
      int retry = 0;
      for (Future<HttpResponse<Buffer>> f : answers) {
        HttpResponse<Buffer> r = f.result();
        if (r.statusCode() == 401) {
          verified++;
        } else if (r.statusCode() == 429 && "1".equals(r.getHeader("Retry-After"))) {
          retry++;
        }
      }
      assertEquals(limit, verified, "one verification per core");
      assertEquals(burst - limit, retry, "the others were told to retry in a second");
      assertEquals(200, await(client.post("/api/auth/login").sendJsonObject(new JsonObject()
          .put("username", TestServer.STAFF_USER).put("password", TestServer.STAFF_PASSWORD))).statusCode(), "afterwards sign-in works");
      client.close();
    }
  }
}
