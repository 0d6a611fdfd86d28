package org.chorus.security;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.chorus.web.RouteTable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route of the running node's real router ({@link RouteTable}), called by every kind of caller, must
 * answer the status declared here. A route served without a declaration, or declared but not served,
 * fails the test: a new route cannot escape it. Mutations that staff may do run against scratch
 * dialogues, themes and quotes made in the set-up, so every call succeeds where it should.
 */
class AccessMatrixTest {
  /** The callers, in the order of each expectation's columns. */
  static final List<String> CALLERS = List.of("no token", "child of A", "facilitator of A", "facilitator not of A", "staff",
      "signed-out token", "expired token", "forged token", "removed child");

  /** Handlers that run for every request of a prefix (headers, body limit, token check, 404s, static files, errors). */
  static final Set<String> MIDDLEWARE = Set.of("* /*", "* /api/*");

  static TestServer server;
  static Api api;
  static String staff;
  static Map<String, Supplier<String>> fresh = new LinkedHashMap<>();
  static Map<String, String> tokens = new LinkedHashMap<>();
  static String dialogueA;
  static String dialogueB;
  static String scratch;
  static String withFacilitator;
  static String facilitatorId;
  static String signedOutEverywhere;
  static String codeA;
  static String themeToRename;
  static String themeToDelete;
  static String erasable; // a child of A that staff erase by id
  static long publishedA;
  static long quotedA;

  @BeforeAll
  static void setUp() {
    server = TestServer.shared();
    api = server.api();
    staff = api.staffToken();
    JsonObject a = api.openDialogue(staff, Api.dialogueBody("Matrix A", "pre", 50, "Q1"));
    JsonObject b = api.openDialogue(staff, Api.dialogueBody("Matrix B", "pre", 50, "Q1"));
    dialogueA = a.getString("id");
    dialogueB = b.getString("id");
    codeA = a.getString("joinCode");
    scratch = expect(201, api.post("/api/dialogues", staff, Api.dialogueBody("Matrix scratch", "post", 5, "Q"))).getString("id");
    withFacilitator = expect(201, api.post("/api/dialogues", staff, Api.dialogueBody("Matrix unassign", "post", 5, "Q"))).getString("id");
    JsonObject assigned = api.createFacilitator(staff, "matrix-assigned");
    JsonObject unassigned = api.createFacilitator(staff, "matrix-unassigned");
    facilitatorId = assigned.getString("id");
    signedOutEverywhere = api.createFacilitator(staff, "matrix-signed-out").getString("id");
    api.assign(staff, dialogueA, facilitatorId);
    api.assign(staff, withFacilitator, facilitatorId);
    themeToRename = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", "Matrix rename me"))).getValue("id").toString();
    themeToDelete = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", "Matrix delete me"))).getValue("id").toString();

    fresh.put("child of A", () -> api.join(codeA, null).getString("token"));
    fresh.put("facilitator of A", () -> api.login("matrix-assigned", assigned.getString("password")));
    fresh.put("facilitator not of A", () -> api.login("matrix-unassigned", unassigned.getString("password")));
    fresh.put("staff", api::staffToken);
    ForgedTokens forged = new ForgedTokens(server);
    tokens.put("no token", null);
    fresh.forEach((caller, make) -> tokens.put(caller, make.get()));
    String signedOut = api.staffToken();
    expect(200, api.post("/api/auth/logout", signedOut, null));
    tokens.put("signed-out token", signedOut);
    tokens.put("expired token", forged.expired());
    tokens.put("forged token", forged.forged());

    // Two published contributions of A (one already quoted), and a child a facilitator removed.
    JsonObject removedJoin = api.join(codeA, "Matrix Removed");
    try (LiveClient child = server.live(); LiveClient fac = server.live()) {
      child.hello(tokens.get("child of A"), null);
      fac.hello(staff, dialogueA);
      publishedA = child.request(contribution("m-1", "Parks should stay open late")).getLong("id");
      quotedA = child.request(contribution("m-2", "Buses should be free for children")).getLong("id");
      for (long id : List.of(publishedA, quotedA)) {
        assertEquals("done", fac.request(new JsonObject().put("type", "approve").put("contributionId", id)).getString("type"));
      }
      assertEquals("done", fac.request(new JsonObject().put("type", "remove_participant")
          .put("participantId", removedJoin.getJsonObject("participant").getString("id"))).getString("type"));
    }
    expect(200, api.call(HttpMethod.PUT, "/api/contributions/" + quotedA + "/quote", staff, new JsonObject()));
    tokens.put("removed child", removedJoin.getString("token"));
    erasable = api.join(codeA, "Matrix Erase Me").getJsonObject("participant").getString("id");
    assertEquals(CALLERS, List.copyOf(tokens.keySet()));
  }

  static JsonObject contribution(String clientId, String text) {
    return new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text);
  }

  /** One call per caller: the concrete path and body for a route, and the status each caller must get. */
  record Probe(HttpMethod method, String path, Object body, int[] expected, boolean endsToken) {}

  /** A public route: the same answer whatever token is sent. */
  static int[] anyone(int status) {
    int[] all = new int[CALLERS.size()];
    java.util.Arrays.fill(all, status);
    return all;
  }

  /** A route behind the token check: no, signed-out, expired or forged token 401; a removed child 403. */
  static int[] signedIn(int child, int facilitatorOfA, int otherFacilitator, int staff) {
    return new int[] {401, child, facilitatorOfA, otherFacilitator, staff, 401, 401, 401, 403};
  }

  static int[] staffOnly(int staffStatus) {
    return signedIn(403, 403, 403, staffStatus);
  }

  /** The declared expectation of every route, keyed as the route table names it. */
  static Map<String, Probe> declared() {
    Map<String, Probe> m = new LinkedHashMap<>();
    String a = "/api/dialogues/" + dialogueA;
    String s = "/api/dialogues/" + scratch;
    String report = "?dialogues=" + dialogueA;
    JsonObject dialogueBody = Api.dialogueBody("Matrix scratch, edited", "post", 5, "Q");
    JsonObject tag = new JsonObject().put("contributionIds", new JsonArray().add(publishedA)).put("action", "add");
    put(m, "GET /health", "/health", null, anyone(200));
    put(m, "GET /live", "/live", null, anyone(400)); // a plain GET: the live room needs a WebSocket upgrade
    put(m, "POST /api/auth/login", "/api/auth/login", new JsonObject(), anyone(400));
    put(m, "GET /api/join/:code", "/api/join/" + codeA, null, anyone(200));
    put(m, "POST /api/join", "/api/join", Api.joinBody(codeA, null, "9-11", "KE", "en").put("consent", false), anyone(400));
    put(m, "GET /api/auth/me", "/api/auth/me", null, signedIn(200, 200, 200, 200));
    m.put("POST /api/auth/logout", new Probe(HttpMethod.POST, "/api/auth/logout", null, signedIn(200, 200, 200, 200), true));
    put(m, "GET /api/accounts", "/api/accounts", null, staffOnly(200));
    put(m, "POST /api/accounts/:accountId/signout", "/api/accounts/" + signedOutEverywhere + "/signout", null, staffOnly(200));
    put(m, "POST /api/accounts", "/api/accounts", new JsonObject().put("username", "matrix-created").put("role", "facilitator"), staffOnly(201));
    put(m, "POST /api/dialogues", "/api/dialogues", Api.dialogueBody("Matrix created", "pre", 5, "Q"), staffOnly(201));
    put(m, "GET /api/dialogues", "/api/dialogues", null, signedIn(403, 200, 200, 200));
    put(m, "GET /api/dialogues/:dialogueId", a, null, signedIn(403, 200, 403, 200));
    put(m, "PUT /api/dialogues/:dialogueId", s, dialogueBody, staffOnly(200));
    put(m, "GET /api/dialogues/:dialogueId/stats", a + "/stats", null, signedIn(403, 200, 403, 200));
    put(m, "GET /api/dialogues/:dialogueId/participants", a + "/participants", null, signedIn(403, 200, 403, 200));
    put(m, "POST /api/dialogues/:dialogueId/open", s + "/open", null, staffOnly(200));
    put(m, "POST /api/dialogues/:dialogueId/close", s + "/close", null, staffOnly(200));
    put(m, "PUT /api/dialogues/:dialogueId/facilitators/:accountId", s + "/facilitators/" + facilitatorId, null, staffOnly(200));
    put(m, "DELETE /api/dialogues/:dialogueId/facilitators/:accountId", "/api/dialogues/" + withFacilitator + "/facilitators/" + facilitatorId,
        null, staffOnly(200));
    put(m, "GET /api/alerts", "/api/alerts", null, staffOnly(200));
    put(m, "GET /api/dialogues/:dialogueId/audit", a + "/audit", null, staffOnly(200));
    put(m, "POST /api/moderation/check", "/api/moderation/check", new JsonObject().put("text", "call me on 0712 345 678"), staffOnly(200));
    put(m, "GET /api/themes", "/api/themes", null, signedIn(403, 200, 200, 200));
    put(m, "POST /api/themes", "/api/themes", new JsonObject().put("name", "Matrix created theme"), staffOnly(201));
    put(m, "PUT /api/themes/:themeId", "/api/themes/" + themeToRename, new JsonObject().put("name", "Matrix renamed"), staffOnly(200));
    put(m, "DELETE /api/themes/:themeId", "/api/themes/" + themeToDelete, null, staffOnly(200));
    put(m, "POST /api/themes/:themeId/contributions", "/api/themes/" + themeToRename + "/contributions", tag, signedIn(403, 200, 200, 200));
    put(m, "PUT /api/contributions/:contributionId/quote", "/api/contributions/" + publishedA + "/quote", new JsonObject(), staffOnly(200));
    put(m, "DELETE /api/contributions/:contributionId/quote", "/api/contributions/" + quotedA + "/quote", null, staffOnly(200));
    put(m, "GET /api/report", "/api/report" + report, null, staffOnly(200));
    put(m, "GET /api/report/contributions", "/api/report/contributions" + report, null, staffOnly(200));
    put(m, "GET /api/report/suggestions", "/api/report/suggestions" + report, null, staffOnly(200));
    put(m, "GET /api/report/export.csv", "/api/report/export.csv" + report, null, staffOnly(200));
    put(m, "GET /api/report/export.json", "/api/report/export.json" + report, null, staffOnly(200));
    m.put("DELETE /api/participants/me", new Probe(HttpMethod.DELETE, "/api/participants/me", null, signedIn(200, 403, 403, 403), true));
    put(m, "DELETE /api/dialogues/:dialogueId/participants/:participantId", a + "/participants/" + erasable, null, staffOnly(200));
    put(m, "GET /api/dialogues/:dialogueId/privacy-log", a + "/privacy-log", null, staffOnly(200));
    put(m, "GET /api/privacy", "/api/privacy", null, signedIn(403, 200, 200, 200));
    return m;
  }

  static void put(Map<String, Probe> m, String route, String path, Object body, int[] expected) {
    m.put(route, new Probe(HttpMethod.valueOf(route.substring(0, route.indexOf(' '))), path, body, expected, false));
  }

  @Test
  void everyRouteAnswersEveryCallerAsDeclared() {
    List<String> table = RouteTable.of(server.vertx);
    Set<String> endpoints = new LinkedHashSet<>(table);
    endpoints.removeAll(MIDDLEWARE);
    Map<String, Probe> declared = declared();
    Set<String> undeclared = new TreeSet<>(endpoints);
    undeclared.removeAll(declared.keySet());
    Set<String> notServed = new TreeSet<>(declared.keySet());
    notServed.removeAll(endpoints);
    assertTrue(undeclared.isEmpty(), "routes without a declared expectation (add them to declared()): " + undeclared);
    assertTrue(notServed.isEmpty(), "declared but not in the router: " + notServed + "; the router has " + table);

    List<String> wrong = new ArrayList<>();
    int calls = 0;
    for (String route : endpoints) {
      Probe p = declared.get(route);
      for (int i = 0; i < CALLERS.size(); i++) {
        String caller = CALLERS.get(i);
        String token = p.endsToken() && fresh.containsKey(caller) ? fresh.get(caller).get() : tokens.get(caller);
        Api.Reply r = api.call(p.method(), p.path(), token, p.body());
        calls++;
        if (r.status() != p.expected()[i]) {
          wrong.add(route + " as " + caller + ": expected " + p.expected()[i] + ", got " + r.status() + " " + abbreviate(r.raw()));
        }
      }
    }
    System.out.printf("access matrix: %d routes x %d callers = %d requests (+ %d middleware routes)%n",
        endpoints.size(), CALLERS.size(), calls, table.size() - endpoints.size());
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + calls + " calls answered otherwise:\n" + String.join("\n", wrong));
    assertEquals(endpoints.size() * CALLERS.size(), calls);

    // The refused calls changed nothing: one account and one dialogue were created (by staff), A is as it was.
    long created = Api.expect(200, api.get("/api/accounts", staff)).getJsonArray("accounts").stream()
        .filter(o -> "matrix-created".equals(((JsonObject) o).getString("username"))).count();
    assertEquals(1, created, "only staff created the account");
    long dialogues = Api.expect(200, api.get("/api/dialogues", staff)).getJsonArray("dialogues").stream()
        .filter(o -> "Matrix created".equals(((JsonObject) o).getString("title"))).count();
    assertEquals(1, dialogues, "only staff created the dialogue");
    JsonObject stillA = Api.expect(200, api.get("/api/dialogues/" + dialogueA, staff));
    assertEquals("open", stillA.getString("status"));
    assertEquals(1, stillA.getJsonArray("facilitators").size());
  }

  /** The live room's door: hello to A and to B, by every caller. */
  @Test
  void theLiveRoomAdmitsEachCallerOnlyWhereDeclared() {
    Map<String, String[]> expected = new LinkedHashMap<>(); // caller → {answer in A, answer in B}
    expected.put("no token", new String[] {"missing_field", "missing_field"});
    expected.put("child of A", new String[] {"welcome", "forbidden"});
    expected.put("facilitator of A", new String[] {"welcome", "forbidden"});
    expected.put("facilitator not of A", new String[] {"forbidden", "forbidden"});
    expected.put("staff", new String[] {"welcome", "welcome"});
    expected.put("signed-out token", new String[] {"unauthorized", "unauthorized"});
    expected.put("expired token", new String[] {"unauthorized", "unauthorized"});
    expected.put("forged token", new String[] {"unauthorized", "unauthorized"});
    expected.put("removed child", new String[] {"removed", "removed"});
    assertEquals(CALLERS, List.copyOf(expected.keySet()));
    List<String> wrong = new ArrayList<>();
    for (var e : expected.entrySet()) {
      String[] dialogues = {dialogueA, dialogueB};
      for (int i = 0; i < 2; i++) {
        try (LiveClient c = server.live()) {
          JsonObject hello = new JsonObject().put("type", "hello").put("dialogueId", dialogues[i]);
          if (tokens.get(e.getKey()) != null) {
            hello.put("token", tokens.get(e.getKey()));
          }
          JsonObject answer = c.request(hello);
          String got = "welcome".equals(answer.getString("type")) ? "welcome" : answer.getString("code");
          if (!e.getValue()[i].equals(got)) {
            wrong.add(e.getKey() + " in " + (i == 0 ? "A" : "B") + ": expected " + e.getValue()[i] + ", got " + answer.encode());
          }
          if ("welcome".equals(got)) {
            assertEquals(dialogues[i], answer.getJsonObject("dialogue").getString("id"));
          }
        }
      }
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  static String abbreviate(String raw) {
    return raw == null ? "" : raw.length() > 200 ? raw.substring(0, 200) + "…" : raw;
  }
}
