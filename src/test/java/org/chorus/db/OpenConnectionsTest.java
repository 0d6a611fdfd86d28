package org.chorus.db;

import io.vertx.core.json.JsonObject;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A started node already holds its whole pool of connections: the first burst does not wait for new backends. */
class OpenConnectionsTest {
  @Test
  void thePoolIsOpenBeforeTheFirstRequest() {
    try (TestServer server = TestServer.start(c -> c.put("database", new JsonObject().put("poolSize", 6)))) {
      long open = await(server.server().database().pool()
          .query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'chorus'").execute())
          .iterator().next().getLong("n");
      assertEquals(6, open, "connections of this node's pool open right after start");
    }
  }
}
