package org.chorus.web;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input gets a clear error, the connection stays usable, and nothing stored is lost. */
class BadInputTest {
  static TestServer server;
  static Api api;
  static String staff;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.put("live", new JsonObject().put("helloTimeoutSeconds", 1).put("messageBurst", 60)));
    api = server.api();
    staff = api.staffToken();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonObject contribute(String clientId, Object text) {
    return new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text);
  }

  @Test
  void badFramesGetErrorFramesAndTheConnectionStaysUsable() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Bad frames", "pre", 10, "Q1", "Q2"));
    long secondPrompt = d.getJsonArray("prompts").getJsonObject(1).getLong("id");
    String token = api.join(d.getString("joinCode"), "Omar").getString("token");
    try (LiveClient c = server.live()) {
      assertEquals("not_authenticated", c.request(contribute("c-0", "too early")).getString("code"));
      assertEquals("pong", c.request(new JsonObject().put("type", "ping")).getString("type"));
      assertEquals("missing_field", c.request(new JsonObject().put("type", "hello")).getString("code"));
      assertEquals("unauthorized", c.hello("garbage", null).getString("code"));
      assertEquals("welcome", c.hello(token, null).getString("type"));
      assertEquals("already_authenticated", c.hello(token, null).getString("code"));

      JsonObject first = c.request(contribute("c-1", "A good first answer"));
      assertEquals("ack", first.getString("type"));

      c.sendRaw("{\"type\": \"contribute\", ");
      assertEquals("invalid_json", c.next("error").getString("code"));
      c.sendRaw("[1,2,3]");
      assertEquals("invalid_message", c.next("error").getString("code"));
      c.sendRaw("{\"text\":\"no type\"}");
      assertEquals("missing_field", c.next("error").getString("code"));
      c.sendBinary(new byte[] {1, 2, 3});
      assertEquals("text_only", c.next("error").getString("code"));
      assertEquals("unknown_type", c.request(new JsonObject().put("type", "dance")).getString("code"));
      assertEquals("invalid_field", c.request(new JsonObject().put("type", "contribute").put("text", "no client id")).getString("code"));
      assertEquals("missing_field", c.request(new JsonObject().put("type", "contribute").put("clientId", "c-x")).getString("code"));
      assertEquals("invalid_field", c.request(contribute("c-x", 42)).getString("code"));
      assertEquals("empty_contribution", c.request(contribute("c-2", "   \n ")).getString("code"));
      assertEquals("too_long", c.request(contribute("c-3", "a".repeat(1001))).getString("code"));
      assertEquals("unknown_prompt", c.request(contribute("c-4", "hi").put("promptId", 999999)).getString("code"));
      assertEquals("unknown_prompt", c.request(contribute("c-4", "not asked yet").put("promptId", secondPrompt)).getString("code"));
      assertEquals("invalid_field", c.request(contribute("c-4", "hi").put("promptId", "one")).getString("code"));
      assertEquals("invalid_field", c.request(new JsonObject().put("type", "react").put("contributionId", first.getLong("id")).put("kind", "angry")).getString("code"));
      assertEquals("not_published", c.request(new JsonObject().put("type", "react").put("contributionId", first.getLong("id")).put("kind", "me_too")).getString("code"));
      assertEquals("missing_field", c.request(new JsonObject().put("type", "react").put("kind", "me_too")).getString("code"));

      // The limits are inclusive and count characters, not bytes: 1,000 emoji are fine.
      assertEquals("ack", c.request(contribute("c-5", "a".repeat(1000))).getString("type"));
      assertEquals("ack", c.request(contribute("c-6", "\uD83D\uDE00".repeat(1000))).getString("type"));

      // Still usable, and exactly the three good contributions are stored, the first unchanged.
      assertEquals("pong", c.request(new JsonObject().put("type", "ping")).getString("type"));
    }
    try (LiveClient again = server.live()) {
      JsonObject w = again.hello(token, null);
      List<String> texts = w.getJsonArray("mine").stream().map(o -> ((JsonObject) o).getString("text")).toList();
      assertEquals(List.of("\uD83D\uDE00".repeat(1000), "a".repeat(1000), "A good first answer"), texts);
    }
  }

  @Test
  void anOversizedFrameClosesOnlyThatConnection() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Oversized", "post", 10, "Q1"));
    String token = api.join(d.getString("joinCode"), "Pia").getString("token");
    try (LiveClient big = server.live(); LiveClient fine = server.live()) {
      big.hello(token, null);
      fine.hello(token, null);
      big.sendRaw(contribute("c-big", "x".repeat(40_000)).encode());
      assertTrue(big.awaitClosed(Duration.ofSeconds(5)), "a frame over live.maxFrameBytes closes the socket");
      assertEquals("ack", fine.request(contribute("c-ok", "still here")).getString("type"));
    }
  }

  @Test
  void helloMustComeFirstAndInTime() {
    try (LiveClient c = server.live()) {
      JsonObject timeout = c.next(f -> "error".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals("hello_timeout", timeout.getString("code"));
      assertTrue(c.awaitClosed(Duration.ofSeconds(5)));
      assertEquals((short) 1008, c.closeStatus());
    }
  }

  @Test
  void floodingIsRateLimited() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Flood", "pre", 10, "Q1"));
    // Joined before the socket opens: this server's hello timeout is 1 s (for helloMustComeFirstAndInTime).
    String token = api.join(d.getString("joinCode"), "Tara").getString("token");
    try (LiveClient c = saidHello(token)) {
      for (int i = 0; i < 100; i++) {
        c.send(new JsonObject().put("type", "ping").put("ref", "flood-" + i));
      }
      JsonObject limited = c.next(f -> "rate_limited".equals(f.getString("code")), Duration.ofSeconds(30));
      assertEquals("error", limited.getString("type"));
      assertTrue(limited.getString("ref").startsWith("flood-"), "the refusal names the message it dropped");
      sleep(1500);
      // answered again once the bucket refills (1.5 s at 5/s since it emptied, before the refusal was sent)
      assertEquals("pong", c.request(new JsonObject().put("type", "ping")).getString("type"));
    }
  }

  /**
   * A socket that said hello and was welcomed. On a machine stalled for longer than this server's 1 s hello
   * timeout between the upgrade and the hello, the server rightly ends the socket with {@code hello_timeout}:
   * that is set-up, not what a test here checks, so it is tried again on a new socket (up to 5 times).
   */
  private static LiveClient saidHello(String token) {
    List<String> refused = new ArrayList<>();
    for (int attempt = 0; attempt < 5; attempt++) {
      LiveClient c = server.live();
      String ref = LiveClient.nextRef();
      JsonObject answer;
      try {
        c.send(new JsonObject().put("type", "hello").put("token", token).put("ref", ref));
        answer = c.next(f -> ref.equals(f.getValue("ref")) || "hello_timeout".equals(f.getString("code")), Duration.ofSeconds(30));
      } catch (RuntimeException closedBeforeTheHelloWentOut) {
        answer = c.next(f -> "hello_timeout".equals(f.getString("code")), Duration.ofSeconds(5));
      }
      if ("welcome".equals(answer.getString("type"))) {
        return c;
      }
      c.close();
      assertEquals("hello_timeout", answer.getString("code"), "the hello was refused: " + answer);
      refused.add(answer.encode());
    }
    throw new AssertionError("no welcome in 5 attempts, each ended by the 1 s hello timeout: " + refused);
  }

  @Test
  void browsersFromOtherOriginsAreRefused() {
    assertThrows(RuntimeException.class, () -> LiveClient.connect(server.vertx, server.port(), "https://evil.example"));
    try (LiveClient ok = LiveClient.connect(server.vertx, server.port(), "http://localhost:" + server.port())) {
      assertEquals("pong", ok.request(new JsonObject().put("type", "ping")).getString("type"));
    }
  }

  @Test
  void closedDialogueRefusesContributionsAndJoins() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Closing", "pre", 10, "Q1"));
    String token = api.join(d.getString("joinCode"), "Quinn").getString("token");
    try (LiveClient c = server.live()) {
      c.hello(token, null);
      long kept = c.request(contribute("c-1", "before closing")).getLong("id");
      expect(200, api.post("/api/dialogues/" + d.getString("id") + "/close", staff, null));
      assertEquals("closed", c.next("status").getString("status"));
      assertEquals("dialogue_closed", c.request(contribute("c-2", "after closing")).getString("code"));
      JsonObject w;
      try (LiveClient again = server.live()) {
        w = again.hello(token, null);
      }
      assertEquals(1, w.getJsonArray("mine").size());
      assertEquals(kept, w.getJsonArray("mine").getJsonObject(0).getLong("id"));
    }
    Api.Reply join = api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), null, "9-11", "BR", "pt"));
    assertEquals(409, join.status());
    assertEquals("dialogue_closed", join.errorCode());
  }

  @Test
  void theClosingTimeClosesTheRoom() {
    JsonObject body = Api.dialogueBody("Short", "post", 10, "Q1").put("closesAt", Instant.now().plusSeconds(3).toString());
    JsonObject d = api.openDialogue(staff, body);
    String token = api.join(d.getString("joinCode"), "Xia").getString("token");
    try (LiveClient c = server.live()) {
      assertEquals("open", c.hello(token, null).getJsonObject("dialogue").getString("status"));
      assertEquals("ack", c.request(contribute("c-1", "just in time")).getString("type"));
      JsonObject status = c.next(f -> "status".equals(f.getString("type")), Duration.ofSeconds(8));
      assertEquals("closed", status.getString("status"));
      assertEquals("dialogue_closed", c.request(contribute("c-2", "too late")).getString("code"));
    }
    assertEquals("closed", expect(200, api.get("/api/dialogues/" + d.getString("id"), staff)).getString("status"));
  }

  @Test
  void joinValidationAndCapacity() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Tiny", "pre", 2, "Q1"));
    String code = d.getString("joinCode");
    assertEquals("invalid_json", api.post("/api/join", null, "{not json").errorCode());
    assertEquals("invalid_json", api.post("/api/join", null, "[]").errorCode());
    assertEquals("consent_required", api.post("/api/join", null, Api.joinBody(code, null, "12-14", "KE", "en").put("consent", false)).errorCode());
    assertEquals("consent_required", api.post("/api/join", null, Api.joinBody(code, null, "12-14", "KE", "en").put("consent", "yes")).errorCode());
    assertEquals("invalid_field", api.post("/api/join", null, Api.joinBody(code, null, "18-25", "KE", "en")).errorCode());
    assertEquals("invalid_field", api.post("/api/join", null, Api.joinBody(code, null, "12-14", "XX", "en")).errorCode());
    assertEquals("invalid_field", api.post("/api/join", null, Api.joinBody(code, null, "12-14", "KE", "english")).errorCode());
    assertEquals("invalid_nickname", api.post("/api/join", null, Api.joinBody(code, "0712345678", "12-14", "KE", "en")).errorCode());
    assertEquals("missing_field", api.post("/api/join", null, new JsonObject().put("consent", true)).errorCode());

    // Typed in lower case with spaces: still the same code. A generated nickname when none is given.
    JsonObject first = expect(201, api.post("/api/join", null,
        Api.joinBody(code.toLowerCase().replace("-", " "), null, "9-11", "ke", "SW")));
    assertTrue(first.getJsonObject("participant").getString("nickname").matches("\\p{L}+ \\p{L}+"));
    assertEquals("KE", first.getJsonObject("participant").getString("country"));
    assertEquals("sw", first.getJsonObject("participant").getString("language"));
    expect(201, api.post("/api/join", null, Api.joinBody(code, "Rui", "15-17", "PT", "pt")));
    Api.Reply full = api.post("/api/join", null, Api.joinBody(code, "Sam", "15-17", "PT", "pt"));
    assertEquals(409, full.status());
    assertEquals("dialogue_full", full.errorCode());

    Api.Reply unknown = api.get("/api/join/ZZZZ-ZZZZ", null);
    assertEquals(404, unknown.status());
    assertEquals("unknown_code", unknown.errorCode());
    JsonObject preview = expect(200, api.get("/api/join/" + code, null));
    assertEquals("Tiny", preview.getJsonObject("dialogue").getString("title"));
    assertEquals(List.of("9-11", "12-14", "15-17"), preview.getJsonArray("ageBands").getList());
  }

  @Test
  void notYetOpenDialogueRefusesJoins() {
    JsonObject body = Api.dialogueBody("Tomorrow", "pre", 10, "Q1")
        .put("opensAt", Instant.now().plusSeconds(86_400).toString())
        .put("closesAt", Instant.now().plusSeconds(90_000).toString());
    JsonObject d = api.openDialogue(staff, body);
    Api.Reply r = api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), null, "9-11", "KE", "en"));
    assertEquals(409, r.status());
    assertEquals("dialogue_not_open", r.errorCode());
  }

  @Test
  void dialogueRequestsAreValidatedFieldByField() {
    assertEquals("invalid_json", api.post("/api/dialogues", staff, "{\"title\":").errorCode());
    record Bad(String field, Object value) {}
    for (Bad bad : List.of(new Bad("title", ""), new Bad("title", 5), new Bad("prompts", new io.vertx.core.json.JsonArray()),
        new Bad("languages", new io.vertx.core.json.JsonArray().add("klingon")), new Bad("moderationMode", "later"),
        new Bad("capacity", 0), new Bad("capacity", "many"), new Bad("opensAt", "tomorrow"),
        new Bad("closesAt", "2001-01-01T00:00:00Z"))) {
      Api.Reply r = api.post("/api/dialogues", staff, Api.dialogueBody("Valid", "pre", 10, "Q").put(bad.field(), bad.value()));
      assertEquals(400, r.status(), bad + " " + r.raw());
      assertTrue(r.body().getJsonObject("error").getString("message").startsWith(bad.field()), r.raw());
    }
    Api.Reply big = api.post("/api/dialogues", staff, Api.dialogueBody("x".repeat(70_000), "pre", 10, "Q"));
    assertEquals(413, big.status());
    assertEquals("body_too_large", big.errorCode());
    assertEquals("no_such_route", api.get("/api/nothing-here", staff).errorCode());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
