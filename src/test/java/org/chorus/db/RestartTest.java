package org.chorus.db;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restart on the same data folder keeps dialogues, contributions, decisions and tokens. */
class RestartTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> {});
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everythingAcknowledgedSurvivesARestart() throws Exception {
    Api api = server.api();
    String staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Survives", "pre", 10, "First?", "Second?"));
    String dialogueId = d.getString("id");
    JsonObject facilitator = api.createFacilitator(staff, "restart-fac");
    api.assign(staff, dialogueId, facilitator.getString("id"));
    String facToken = api.login("restart-fac", facilitator.getString("password"));
    String childToken = api.join(d.getString("joinCode"), "Uma").getString("token");
    long approved;
    long rejected;
    long waiting;
    try (LiveClient child = server.live(); LiveClient fac = server.live()) {
      child.hello(childToken, null);
      fac.hello(facToken, dialogueId);
      approved = child.request(new JsonObject().put("type", "contribute").put("clientId", "a").put("text", "kept and published")).getLong("id");
      rejected = child.request(new JsonObject().put("type", "contribute").put("clientId", "b").put("text", "kept and rejected")).getLong("id");
      fac.request(new JsonObject().put("type", "approve").put("contributionId", approved));
      fac.request(new JsonObject().put("type", "reject").put("contributionId", rejected).put("reason", "duplicate"));
      fac.request(new JsonObject().put("type", "next_prompt"));
      child.next("prompt");
      waiting = child.request(new JsonObject().put("type", "contribute").put("clientId", "c").put("text", "kept and waiting")).getLong("id");
    }

    server.restart();
    assertTrue(Files.isDirectory(server.dataDir.resolve("postgres")), "the embedded database lives in the data folder");
    assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(server.dataDir.resolve("jwt-signing-key")), "the signing key is readable by its owner only");

    api = server.api();
    // Tokens issued before the restart stay valid: the signing key is kept in the data folder.
    JsonObject dialogue = expect(200, api.get("/api/dialogues/" + dialogueId, staff));
    assertEquals("open", dialogue.getString("status"));
    assertEquals(d.getString("joinCode"), dialogue.getString("joinCode"));
    assertEquals(1, dialogue.getJsonArray("facilitators").size());
    assertEquals(d.getJsonArray("prompts").getJsonObject(1).getLong("id"), dialogue.getLong("currentPromptId"));

    try (LiveClient child = server.live()) {
      JsonObject w = child.hello(childToken, null);
      assertEquals("Second?", w.getJsonObject("currentPrompt").getString("text"));
      JsonArray mine = w.getJsonArray("mine");
      assertEquals(3, mine.size());
      assertEquals(waiting, mine.getJsonObject(0).getLong("id"));
      assertEquals("pending", mine.getJsonObject(0).getString("status"));
      assertEquals(rejected, mine.getJsonObject(1).getLong("id"));
      assertEquals("rejected", mine.getJsonObject(1).getString("status"));
      assertEquals("duplicate", mine.getJsonObject(1).getString("reason"));
      assertEquals(approved, mine.getJsonObject(2).getLong("id"));
      assertEquals("published", mine.getJsonObject(2).getString("status"));
      assertEquals(1, w.getJsonArray("contributions").size());
      // and the connection works as before
      assertEquals("ack", child.request(new JsonObject().put("type", "contribute").put("clientId", "d").put("text", "after restart")).getString("type"));
    }
    try (LiveClient fac = server.live()) {
      JsonObject w = fac.hello(api.login("restart-fac", facilitator.getString("password")), dialogueId);
      assertEquals(2, w.getJsonArray("queue").size());
    }

    var pool = server.server().database().pool();
    assertEquals(Migrations.load().size(), await(pool.query("SELECT count(*) FROM schema_version").execute()).iterator().next().getLong(0),
        "migrations are recorded once and not re-applied");
    assertEquals(1, await(pool.query("SELECT count(*) FROM accounts WHERE role = 'staff'").execute()).iterator().next().getLong(0),
        "the first staff account is created only once");
    // Applying the migrations again is a no-op.
    assertEquals(0, await(new Migrations(pool).apply()));
  }
}
