package org.chorus.auth;

import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password hash made before the iteration count was raised (the test server uses 20,000) is re-made with
 * today's count at the next successful sign-in, and only then: a wrong password leaves it alone.
 */
class HashUpgradeTest {
  @Test
  void anOlderCheaperHashIsRemadeAtTheNextSuccessfulSignIn() throws InterruptedException {
    try (TestServer server = TestServer.start(c -> { })) {
      Pool pool = server.server().database().pool();
      String old = new PasswordHasher(1_000).hash(TestServer.STAFF_PASSWORD);
      await(pool.preparedQuery("UPDATE accounts SET password_hash = $2 WHERE username = $1").execute(Tuple.of(TestServer.STAFF_USER, old)));

      assertEquals(401, server.api().post("/api/auth/login", null, new io.vertx.core.json.JsonObject()
          .put("username", TestServer.STAFF_USER).put("password", "not the password at all")).status());
      Thread.sleep(500); // a re-made 20,000-iteration hash takes ~10 ms: had a failure triggered it, it would be there
      assertEquals(old, storedHash(pool), "a wrong password must not change the hash");

      server.api().staffToken(); // the right password: signs in on the old hash
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (storedHash(pool).equals(old) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      String stronger = storedHash(pool);
      assertTrue(stronger.startsWith("pbkdf2-sha256$20000$"), "not re-made with today's count: " + stronger);
      assertTrue(new PasswordHasher(20_000).verify(TestServer.STAFF_PASSWORD, stronger));
      server.api().staffToken(); // and the new hash signs in
    }
  }

  private static String storedHash(Pool pool) {
    return await(pool.preparedQuery("SELECT password_hash FROM accounts WHERE username = $1").execute(Tuple.of(TestServer.STAFF_USER)))
        .iterator().next().getString("password_hash");
  }
}
