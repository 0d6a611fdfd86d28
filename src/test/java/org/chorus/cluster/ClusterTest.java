package org.chorus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes on loopback (two clustered Vert.x instances, Hazelcast TCP/IP join) sharing one PostgreSQL:
 * what a facilitator does on node B reaches a child on node A within a second, both nodes agree on the
 * prompt and the counts, and when node A stops its children continue on node B without losing anything
 * that was acknowledged.
 */
class ClusterTest {
  @Test
  void twoNodesShareTheRoomsAndAChildMovesToTheOtherNodeWithoutLoss() throws Exception {
    try (TwoNodes nodes = TwoNodes.start(c -> {})) {
      Api apiA = nodes.a.api();
      Api apiB = nodes.b.api();
      String staff = apiA.staffToken();
      expect(200, apiB.get("/api/auth/me", staff)); // one secret: a token from A is good on B
      JsonObject d = apiA.openDialogue(staff, Api.dialogueBody("Two nodes", "pre", 50, "First?", "Second?"));
      String id = d.getString("id");
      String childToken = expect(201, apiA.post("/api/join", null, Api.joinBody(d.getString("joinCode"), null, "12-14", "KE", "sw"))).getString("token");

      long contributionId;
      try (LiveClient child = nodes.a.live(); LiveClient facilitator = nodes.b.live()) {
        child.hello(childToken, null);
        facilitator.hello(staff, id);
        JsonObject ack = child.request(new JsonObject().put("type", "contribute").put("clientId", "n-1")
            .put("text", "Walimu wanapaswa kutusikiliza zaidi shuleni"));
        contributionId = ack.getLong("id");
        facilitator.awaitContribution(contributionId, "pending");

        long t0 = System.nanoTime();
        facilitator.request(new JsonObject().put("type", "approve").put("contributionId", contributionId));
        child.next(f -> "contribution".equals(f.getString("type")) && f.getJsonObject("contribution").getLong("id") == contributionId
            && "published".equals(f.getJsonObject("contribution").getString("status")), Duration.ofSeconds(1));
        long approvedToChildMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(approvedToChildMs < 1000, "approval on B reached the child on A in " + approvedToChildMs + " ms");

        facilitator.request(new JsonObject().put("type", "next_prompt"));
        assertEquals("Second?", child.next("prompt").getJsonObject("prompt").getString("text"));
        JsonObject onA = expect(200, apiA.get("/api/dialogues/" + id, staff));
        JsonObject onB = expect(200, apiB.get("/api/dialogues/" + id, staff));
        assertEquals(onA.getLong("currentPromptId"), onB.getLong("currentPromptId"));
        assertEquals(expect(200, apiA.get("/api/dialogues/" + id + "/stats", staff)).getJsonObject("contributions"),
            expect(200, apiB.get("/api/dialogues/" + id + "/stats", staff)).getJsonObject("contributions"));

        // Node A goes away; the child's socket closes.
        nodes.stopA();
        assertTrue(child.awaitClosed(Duration.ofSeconds(20)), "the child's connection to A ended with A");
      }

      // The child's back-off reconnects it to B with the same token: nothing acknowledged is lost, and its
      // outbox's resend of the same clientId is recognised instead of stored twice.
      try (LiveClient child = nodes.b.live()) {
        JsonArray mine = child.hello(childToken, null).getJsonArray("mine");
        assertEquals(1, mine.size());
        assertEquals(contributionId, mine.getJsonObject(0).getLong("id"));
        assertEquals("published", mine.getJsonObject(0).getString("status"));
        JsonObject resend = child.request(new JsonObject().put("type", "contribute").put("clientId", "n-1")
            .put("text", "Walimu wanapaswa kutusikiliza zaidi shuleni"));
        assertTrue(resend.getBoolean("duplicate"));
        assertEquals(contributionId, resend.getLong("id"));
      }
      long rows = await(nodes.b.server().database().pool().preparedQuery("SELECT count(*) FROM contributions WHERE dialogue_id = $1")
          .execute(Tuple.of(UUID.fromString(id)))).iterator().next().getLong(0);
      assertEquals(1, rows, "stored exactly once");
    }
  }
}
