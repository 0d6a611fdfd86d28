package org.chorus.security;

import io.vertx.core.json.JsonObject;
import org.chorus.support.TestServer;
import org.chorus.web.SecurityHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The security headers are on every kind of answer, read off the wire: pages, scripts, API answers, 401,
 * 404, 413, 500 and refused WebSocket upgrades; no server banner, no cookie, no HSTS over plain HTTP, and errors say
 * nothing about the insides.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebHeadersTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> {});
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final String UPGRADE = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";

  @Test
  @Order(1)
  void everyKindOfAnswerCarriesTheHeaders() {
    int port = server.port();
    List<String> problems = new ArrayList<>();
    check(problems, "page /", 200, RawHttp.get(port, "/"));
    for (String page : List.of("/index.html", "/facilitator.html", "/staff.html", "/report.html")) {
      check(problems, "page " + page, 200, RawHttp.get(port, page));
    }
    check(problems, "script", 200, RawHttp.get(port, "/js/api.js"));
    check(problems, "style sheet", 200, RawHttp.get(port, "/chorus.css"));
    check(problems, "health", 200, RawHttp.get(port, "/health"));
    check(problems, "API without token", 401, RawHttp.get(port, "/api/auth/me"));
    check(problems, "unknown API route", 404, RawHttp.get(port, "/api/no-such-thing", "Authorization: Bearer " + server.api().staffToken()));
    check(problems, "unknown file", 404, RawHttp.get(port, "/no-such-page.html"));
    byte[] big = ("{\"username\":\"" + "x".repeat(70_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    check(problems, "body too large", 413, RawHttp.exchange(port, "POST /api/auth/login HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: "
        + big.length, big));
    // Upgrades are answered in front of the router, and refusals carry the headers all the same (they used to be
    // a bare status from Vert.x's handshake handler), Vert.x's own answers to a malformed handshake too.
    RawHttp.Answer foreign = RawHttp.get(port, "/live", UPGRADE, "Origin: https://evil.example");
    check(problems, "upgrade from a foreign origin", 403, foreign);
    RawHttp.Answer elsewhere = RawHttp.get(port, "/other", UPGRADE);
    check(problems, "upgrade elsewhere than /live", 404, elsewhere);
    check(problems, "upgrade from a foreign origin elsewhere", 404, RawHttp.get(port, "/", UPGRADE, "Origin: https://evil.example"));
    check(problems, "malformed upgrade (no key)", 400, RawHttp.get(port, "/live", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13"));
    check(problems, "upgrade with POST", 405, RawHttp.exchange(port, "POST /live HTTP/1.1\r\n" + UPGRADE, new byte[0]));
    check(problems, "plain GET of /live", 400, RawHttp.get(port, "/live"));
    RawHttp.Answer accepted = RawHttp.get(port, "/live", UPGRADE, "Origin: http://localhost:" + port);
    assertEquals(101, accepted.status(), "an allowed origin still upgrades");
    assertEquals(101, RawHttp.get(port, "/live", UPGRADE).status(), "so does a client that sends no origin");
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals("origin_not_allowed", new JsonObject(foreign.body()).getJsonObject("error").getString("code"), foreign.body());
    assertEquals("not_found", new JsonObject(elsewhere.body()).getJsonObject("error").getString("code"), elsewhere.body());
  }

  @Test
  @Order(2) // last: it stops the database
  void anUnexpectedFailureIsA500WithTheHeadersAndNoDetails() {
    String staff = server.api().staffToken();
    await(server.server().database().close()); // every query now fails inside the handler
    RawHttp.Answer failed = RawHttp.get(server.port(), "/api/dialogues", "Authorization: Bearer " + staff);
    List<String> problems = new ArrayList<>();
    check(problems, "server error", 500, failed);
    assertTrue(problems.isEmpty(), String.join("\n", problems));
    assertEquals("server_error", new JsonObject(failed.body()).getJsonObject("error").getString("code"));
    for (String leak : List.of("Exception", "at org.", "postgres", "vertx", "Pool")) {
      assertFalse(failed.body().contains(leak), "the error body names no internals: " + failed.body());
    }
  }

  static void check(List<String> problems, String what, int status, RawHttp.Answer a) {
    checkBare(problems, what, status, a);
    expectHeader(problems, what, a, "Content-Security-Policy", SecurityHeaders.CONTENT_SECURITY_POLICY);
    expectHeader(problems, what, a, "X-Content-Type-Options", "nosniff");
    expectHeader(problems, what, a, "Referrer-Policy", "no-referrer");
    expectHeader(problems, what, a, "X-Frame-Options", "DENY");
    String csp = String.valueOf(a.header("Content-Security-Policy"));
    if (!csp.contains("frame-ancestors 'none'") || csp.contains("unsafe-inline") || csp.contains("unsafe-eval")) {
      problems.add(what + ": weak policy " + csp);
    }
    if (a.header("Content-Type") != null && a.header("Content-Type").startsWith("application/json")
        && !"no-store".equals(a.header("Cache-Control"))) {
      problems.add(what + ": a JSON answer without Cache-Control: no-store");
    }
  }

  /** The status, and no banner, cookie or HSTS over plain HTTP. */
  static void checkBare(List<String> problems, String what, int status, RawHttp.Answer a) {
    if (a.status() != status) {
      problems.add(what + ": status " + a.status() + " instead of " + status);
    }
    for (String absent : List.of("Server", "X-Powered-By", "Set-Cookie", "Strict-Transport-Security")) {
      if (a.header(absent) != null) {
        problems.add(what + ": unexpected " + absent + ": " + a.header(absent));
      }
    }
  }

  static void expectHeader(List<String> problems, String what, RawHttp.Answer a, String name, String value) {
    if (!value.equals(a.header(name))) {
      problems.add(what + ": " + name + " is " + a.header(name) + " instead of " + value);
    }
  }
}
