package org.chorus.live;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole loop with real WebSocket clients against a running node and its embedded PostgreSQL. */
class LiveRoomTest extends OnSharedServer {
  record Room(String dialogueId, String code, List<Long> promptIds, String facilitatorToken) {}

  static Room room(String mode, String facilitatorName) {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Room " + facilitatorName, mode, 100,
        "What makes you feel safe?", "What should adults do?"));
    JsonObject facilitator = api.createFacilitator(staff, facilitatorName);
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    String token = api.login(facilitatorName, facilitator.getString("password"));
    List<Long> prompts = d.getJsonArray("prompts").stream().map(p -> ((JsonObject) p).getLong("id")).toList();
    return new Room(d.getString("id"), d.getString("joinCode"), prompts, token);
  }

  static LiveClient child(Room room, String nickname) {
    JsonObject joined = api.join(room.code(), nickname);
    LiveClient c = server.live();
    JsonObject welcome = c.hello(joined.getString("token"), null);
    assertEquals("welcome", welcome.getString("type"), welcome.encode());
    assertEquals(nickname, welcome.getJsonObject("you").getString("nickname"));
    return c;
  }

  static JsonObject contribute(LiveClient child, String clientId, String text) {
    return child.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text));
  }

  @Test
  void preModerationApprovalReachesEveryChildAndReactionsAreCounted() {
    Room room = room("pre", "fac-pre");
    try (LiveClient facilitator = server.live();
         LiveClient amina = child(room, "Amina");
         LiveClient carla = child(room, "Carla")) {
      String boToken = api.join(room.code(), "Bo").getString("token");
      LiveClient bo = server.live();
      assertEquals("welcome", bo.hello(boToken, null).getString("type"));
      JsonObject welcome = facilitator.hello(room.facilitatorToken(), room.dialogueId());
      assertEquals("welcome", welcome.getString("type"), welcome.encode());
      assertEquals(0, welcome.getJsonArray("queue").size());
      assertEquals(room.promptIds().get(0), welcome.getJsonObject("currentPrompt").getLong("id"));

      JsonObject ack = contribute(amina, "c-1", "Teachers who listen to us");
      assertEquals("ack", ack.getString("type"), ack.encode());
      assertEquals("pending", ack.getString("status"));
      assertFalse(ack.getBoolean("duplicate"));
      long id = ack.getLong("id");

      JsonObject queued = facilitator.awaitContribution(id, "pending");
      assertEquals("Teachers who listen to us", queued.getString("text"));
      assertEquals("Amina", queued.getString("nickname"));
      assertEquals("12-14", queued.getString("ageBand"));
      // Nobody else sees a pending contribution.
      bo.assertNone(f -> "contribution".equals(f.getString("type")), Duration.ofMillis(300));

      JsonObject done = facilitator.request(new JsonObject().put("type", "approve").put("contributionId", id));
      assertEquals("done", done.getString("type"), done.encode());
      long approvedAt = System.nanoTime();

      for (LiveClient c : List.of(amina, bo, carla)) {
        JsonObject published = c.awaitContribution(id, "published");
        assertEquals("Teachers who listen to us", published.getString("text"));
        assertNull(published.getString("participantId"), "children never see pseudonymous ids");
      }
      assertTrue(Duration.ofNanos(System.nanoTime() - approvedAt).toMillis() < 1000, "delivered within the same second");
      assertTrue(amina.allFrames().stream().anyMatch(f -> f.getJsonObject("contribution") != null
          && f.getJsonObject("contribution").getBoolean("mine", false)), "the author is told it is hers");

      for (LiveClient c : List.of(bo, carla)) {
        JsonObject reacted = c.request(new JsonObject().put("type", "react").put("contributionId", id).put("kind", "me_too"));
        assertEquals("done", reacted.getString("type"), reacted.encode());
        assertEquals("me_too", reacted.getString("kind"));
      }
      // Reacting twice counts once.
      JsonObject repeat = bo.request(new JsonObject().put("type", "react").put("contributionId", id).put("kind", "me_too"));
      assertEquals(2L, repeat.getJsonObject("reactions").getLong("me_too"));
      JsonObject counts = amina.next(f -> "reactions".equals(f.getString("type"))
          && f.getJsonObject("reactions").getLong("me_too", 0L) == 2, Duration.ofSeconds(5));
      assertEquals(id, counts.getLong("contributionId"));
      facilitator.assertNone(f -> "reactions".equals(f.getString("type")) && f.getJsonObject("reactions").getLong("me_too", 0L) > 2,
          Duration.ofMillis(300));

      // A late joiner's history shows it with its counts.
      JsonObject lateJoin = api.join(room.code(), "Eli");
      try (LiveClient eli = server.live()) {
        JsonObject w = eli.hello(lateJoin.getString("token"), null);
        JsonArray history = w.getJsonArray("contributions");
        assertEquals(1, history.size());
        assertEquals(2L, history.getJsonObject(0).getJsonObject("reactions").getLong("me_too"));
        assertEquals(0, w.getJsonObject("myReactions").size());
      }
      // A reconnecting child learns what it already reacted to.
      bo.close();
      try (LiveClient boAgain = server.live()) {
        JsonObject w = boAgain.hello(boToken, null);
        assertEquals(List.of("me_too"), w.getJsonObject("myReactions").getJsonArray(Long.toString(id)).getList());
      }
    }
  }

  @Test
  void rejectionIsSeenOnlyByTheAuthorAndFacilitators() {
    Room room = room("pre", "fac-reject");
    try (LiveClient facilitator = server.live(); LiveClient author = child(room, "Fatou"); LiveClient other = child(room, "Goran")) {
      facilitator.hello(room.facilitatorToken(), room.dialogueId());
      long id = contribute(author, "c-1", "something off topic").getLong("id");
      facilitator.awaitContribution(id, "pending");
      JsonObject done = facilitator.request(new JsonObject().put("type", "reject").put("contributionId", id).put("reason", "off topic"));
      assertEquals("rejected", done.getString("status"));
      JsonObject seen = author.awaitContribution(id, "rejected");
      assertEquals("off topic", seen.getString("reason"));
      other.assertNone(f -> "contribution".equals(f.getString("type")), Duration.ofMillis(400));
      // Deciding twice is refused and changes nothing.
      JsonObject again = facilitator.request(new JsonObject().put("type", "approve").put("contributionId", id));
      assertEquals("not_pending", again.getString("code"));
    }
  }

  @Test
  void postModePublishesAtOnceAndRemovalReachesEveryone() {
    Room room = room("post", "fac-post");
    try (LiveClient facilitator = server.live(); LiveClient author = child(room, "Hana"); LiveClient other = child(room, "Ivan")) {
      facilitator.hello(room.facilitatorToken(), room.dialogueId());
      JsonObject ack = contribute(author, "c-1", "More parks please");
      assertEquals("published", ack.getString("status"));
      long id = ack.getLong("id");
      assertEquals("More parks please", other.awaitContribution(id, "published").getString("text"));
      facilitator.awaitContribution(id, "published");
      other.request(new JsonObject().put("type", "react").put("contributionId", id).put("kind", "heart"));

      JsonObject done = facilitator.request(new JsonObject().put("type", "remove").put("contributionId", id).put("reason", "personal details"));
      assertEquals("removed", done.getString("status"));
      JsonObject removed = other.awaitContribution(id, "removed");
      assertNull(removed.getString("text"), "a removed text is not sent to other children");
      assertEquals(1L, author.awaitContribution(id, "removed").getJsonObject("reactions").getLong("heart"),
          "a removal keeps the reaction counts");

      try (LiveClient again = server.live()) {
        JsonObject w = again.hello(api.join(room.code(), "Jun").getString("token"), null);
        assertEquals(0, w.getJsonArray("contributions").size(), "removed contributions leave the history");
      }
    }
  }

  @Test
  void facilitatorMovesThePromptForEveryone() {
    Room room = room("pre", "fac-prompt");
    try (LiveClient facilitator = server.live(); LiveClient child = child(room, "Kofi")) {
      facilitator.hello(room.facilitatorToken(), room.dialogueId());
      JsonObject done = facilitator.request(new JsonObject().put("type", "next_prompt"));
      assertEquals(room.promptIds().get(1), done.getLong("promptId"));
      JsonObject prompt = child.next("prompt").getJsonObject("prompt");
      assertEquals("What should adults do?", prompt.getString("text"));
      // Contributions now go to the new prompt by default; an earlier prompt may still be answered.
      long id = contribute(child, "c-1", "Listen to children").getLong("id");
      assertEquals(room.promptIds().get(1), facilitator.awaitContribution(id, "pending").getLong("promptId"));
      JsonObject late = child.request(new JsonObject().put("type", "contribute").put("clientId", "c-2")
          .put("promptId", room.promptIds().get(0)).put("text", "Answer to the first question"));
      assertEquals("ack", late.getString("type"), late.encode());
      assertEquals(room.promptIds().get(0), facilitator.awaitContribution(late.getLong("id"), "pending").getLong("promptId"));

      JsonObject last = facilitator.request(new JsonObject().put("type", "next_prompt"));
      assertEquals("no_more_prompts", last.getString("code"));
      JsonObject back = facilitator.request(new JsonObject().put("type", "set_prompt").put("promptId", room.promptIds().get(0)));
      assertEquals("done", back.getString("type"));
      assertEquals(room.promptIds().get(0), child.next("prompt").getJsonObject("prompt").getLong("id"));
    }
  }

  @Test
  void aResentContributionIsStoredOnceAndAReconnectingChildGetsItsState() {
    Room room = room("pre", "fac-resend");
    JsonObject joined = api.join(room.code(), "Lena");
    String token = joined.getString("token");
    long pendingId;
    try (LiveClient child = server.live(); LiveClient facilitator = server.live()) {
      child.hello(token, null);
      facilitator.hello(room.facilitatorToken(), room.dialogueId());
      JsonObject first = contribute(child, "c-1", "first");
      JsonObject resent = contribute(child, "c-1", "first");
      assertEquals(first.getLong("id"), resent.getLong("id"));
      assertTrue(resent.getBoolean("duplicate"));
      long approvedId = first.getLong("id");
      facilitator.request(new JsonObject().put("type", "approve").put("contributionId", approvedId));
      pendingId = contribute(child, "c-2", "second, still waiting").getLong("id");
      facilitator.awaitContribution(pendingId, "pending");
    }
    try (LiveClient again = server.live()) {
      JsonObject welcome = again.hello(token, null);
      assertEquals("welcome", welcome.getString("type"));
      assertEquals(room.promptIds().get(0), welcome.getJsonObject("currentPrompt").getLong("id"));
      JsonArray mine = welcome.getJsonArray("mine");
      assertEquals(2, mine.size());
      assertEquals(pendingId, mine.getJsonObject(0).getLong("id"), "most recent first");
      assertEquals("pending", mine.getJsonObject(0).getString("status"));
      assertEquals("published", mine.getJsonObject(1).getString("status"));
      assertEquals(1, welcome.getJsonArray("contributions").size());
    }
    try (LiveClient facilitator = server.live()) {
      JsonObject w = facilitator.hello(room.facilitatorToken(), room.dialogueId());
      JsonArray queue = w.getJsonArray("queue");
      assertEquals(1, queue.size());
      assertEquals(pendingId, queue.getJsonObject(0).getLong("id"));
      assertNotNull(queue.getJsonObject(0).getString("participantId"));
    }
  }
}
