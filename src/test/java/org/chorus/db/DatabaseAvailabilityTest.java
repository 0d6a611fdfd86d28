package org.chorus.db;

import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ChorusServer;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /health follows the database; DATABASE_URL selects an external PostgreSQL; a non-durable one is refused. */
class DatabaseAvailabilityTest {

  @Test
  void healthTurns503AndNothingIsAcknowledgedWhenTheDatabaseIsGone() throws Exception {
    try (TestServer server = TestServer.start(c -> {})) {
      Api api = server.api();
      JsonObject health = expect(200, api.get("/health", null));
      assertEquals("up", health.getString("database"));
      String staff = api.staffToken();
      JsonObject d = api.openDialogue(staff, Api.dialogueBody("Outage", "pre", 10, "Q1"));
      String token = api.join(d.getString("joinCode"), "Wen").getString("token");
      try (LiveClient child = server.live()) {
        child.hello(token, null);
        // Stop PostgreSQL underneath the running server (fast shutdown, as an operator or a crash would).
        long pid = Long.parseLong(Files.readAllLines(server.dataDir.resolve("postgres/postmaster.pid")).get(0).trim());
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).start().waitFor();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Api.Reply r = api.get("/health", null);
        while (r.status() != 503 && System.nanoTime() < deadline) {
          Thread.sleep(200);
          r = api.get("/health", null);
        }
        assertEquals(503, r.status(), r.raw());
        assertEquals("down", r.body().getString("database"));
        JsonObject answer = child.request(new JsonObject().put("type", "contribute").put("clientId", "x").put("text", "cannot be saved"));
        assertEquals("error", answer.getString("type"));
        assertEquals("unavailable", answer.getString("code"));
      }
    }
  }

  @Test
  void databaseUrlUsesAnExternalPostgresAndStartsNoEmbeddedOne() throws Exception {
    Path external = Files.createTempDirectory("chorus-external-pg");
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(external.resolve("pg"))
        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start()) {
      Path dataDir = Files.createTempDirectory("chorus-data");
      String url = "postgresql://postgres@localhost:" + pg.getPort() + "/postgres";
      try (TestServer server = TestServer.start(dataDir, c -> c.put("database", new JsonObject().put("url", url)))) {
        // (dataDir holds only the signing key here)
        assertFalse(server.server().database().isEmbedded());
        assertFalse(Files.exists(dataDir.resolve("postgres")), "no embedded database when DATABASE_URL is set");
        Api api = server.api();
        expect(200, api.get("/health", null));
        api.openDialogue(api.staffToken(), Api.dialogueBody("External", "pre", 10, "Q1"));
      }
      try (Connection c = pg.getPostgresDatabase().getConnection(); ResultSet rs = c.createStatement()
          .executeQuery("SELECT count(*) FROM dialogues WHERE title = 'External'")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1), "the dialogue is in the external database");
      }
    } finally {
      TestServer.deleteTree(external);
    }
  }

  @Test
  void aDatabaseThatWouldLoseAcknowledgedWritesIsRefused() throws Exception {
    Path external = Files.createTempDirectory("chorus-unsafe-pg");
    // The library's defaults: fsync off.
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(external.resolve("pg")).start()) {
      JsonObject config = TestServer.baseConfig(Files.createTempDirectory("chorus-data"))
          .put("database", new JsonObject().put("url", "postgresql://postgres@localhost:" + pg.getPort() + "/postgres"));
      var vertx = io.vertx.core.Vertx.vertx();
      try {
        RuntimeException e = assertThrows(RuntimeException.class, () -> await(ChorusServer.start(vertx, ChorusConfig.of(config))));
        assertTrue(e.getMessage().contains("fsync=off"), e.getMessage());
      } finally {
        await(vertx.close());
      }
    } finally {
      TestServer.deleteTree(external);
    }
  }
}
