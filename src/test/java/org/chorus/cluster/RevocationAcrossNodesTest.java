package org.chorus.cluster;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Supplier;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two clustered nodes on one PostgreSQL (as {@link ClusterTest}): a sign-out on node A and a removal on
 * node A are refused on node B within a second, on REST and on an open socket. Node B checks only its
 * in-memory deny-list on each request, so this is the event-bus announcement at work (the database sync
 * runs once a minute).
 */
class RevocationAcrossNodesTest {
  @Test
  void aSignOutAndARemovalOnOneNodeAreRefusedOnTheOtherWithinASecond() throws Exception {
    // The small language models: this test is about tokens, and two nodes loading 290 MB each take a while.
    try (TwoNodes nodes = TwoNodes.start(c -> c.put("language", new JsonObject().put("accuracy", "low")))) {
      Api apiA = nodes.a.api();
      Api apiB = nodes.b.api();

      String staff = apiA.staffToken();
      JsonObject d = apiA.openDialogue(staff, Api.dialogueBody("Revoked everywhere", "pre", 10, "Q1", "Q2"));
      String signingOut = apiA.staffToken();
      JsonObject joined = apiA.join(d.getString("joinCode"), "Amani");
      String child = joined.getString("token");
      expect(200, apiB.get("/api/auth/me", signingOut));
      expect(200, apiB.get("/api/auth/me", child));

      try (LiveClient onB = nodes.b.live(); LiveClient childOnB = nodes.b.live(); LiveClient facilitatorOnA = nodes.a.live()) {
        assertEquals("welcome", onB.hello(signingOut, d.getString("id")).getString("type"));
        assertEquals("welcome", childOnB.hello(child, null).getString("type"));
        facilitatorOnA.hello(staff, d.getString("id"));

        expect(200, apiA.post("/api/auth/logout", signingOut, null));
        long refusedAfter = millisUntil(() -> apiB.get("/api/auth/me", signingOut).status() == 401);
        assertTrue(refusedAfter < 1000, "node B refused the signed-out token after " + refusedAfter + " ms");
        assertEquals("unauthorized", onB.request(new JsonObject().put("type", "next_prompt")).getString("code"));
        assertTrue(onB.awaitClosed(Duration.ofSeconds(5)));

        assertEquals("done", facilitatorOnA.request(new JsonObject().put("type", "remove_participant")
            .put("participantId", joined.getJsonObject("participant").getString("id"))).getString("type"));
        long removedAfter = millisUntil(() -> apiB.get("/api/auth/me", child).status() == 403);
        assertTrue(removedAfter < 1000, "node B refused the removed child's token after " + removedAfter + " ms");
        assertTrue(childOnB.awaitClosed(Duration.ofSeconds(5)), "the child's socket on B was closed");
      }
      expect(200, apiB.get("/api/auth/me", staff)); // the other tokens still work on both nodes
    }
  }

  /** Polls {@code done} every 20 ms for up to 5 s; returns the milliseconds it took. */
  static long millisUntil(Supplier<Boolean> done) throws InterruptedException {
    long t0 = System.nanoTime();
    while (!done.get()) {
      if (System.nanoTime() - t0 > 5_000_000_000L) {
        break;
      }
      Thread.sleep(20);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
