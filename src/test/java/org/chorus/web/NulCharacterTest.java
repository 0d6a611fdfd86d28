package org.chorus.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL text cannot hold U+0000. wapiti found that a NUL in a query parameter reached a query and answered
 * 500 (bench/security/README.md); every REST input with one now gets a 400 naming the field, before any query.
 */
class NulCharacterTest extends OnSharedServer {

  private static void refused(Api.Reply reply, String what) {
    assertEquals(400, reply.status(), what + ": " + reply.raw());
    assertEquals("invalid_field", reply.errorCode(), what + ": " + reply.raw());
  }

  @Test
  void aNulInAQueryParameterPathOrJsonStringIsA400NotA500() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("NUL checks", "post", 10, "Q1"));
    String id = d.getString("id");
    for (String query : List.of("text=a%00b", "language=e%00", "theme=%00", "prompt=1%00", "before=%00", "limit=5%00", "dialogues=" + id + "%00")) {
      refused(api.get("/api/report/contributions?dialogues=" + id + "&" + query, staff), query);
    }
    refused(api.get("/api/report?dialogues=" + id + "&k=%00", staff), "k");
    refused(api.get("/api/join/AB%00CD", null), "join code in the path");
    refused(api.get("/api/dialogues/" + id + "%00/stats", staff), "id in the path");

    String nul = "a\u0000b";
    refused(api.post("/api/dialogues", staff, Api.dialogueBody(nul, "pre", 10, "Q1")), "title");
    refused(api.post("/api/dialogues", staff, Api.dialogueBody("ok", "pre", 10, "Q1", nul)), "a prompt");
    refused(api.post("/api/dialogues", staff, Api.dialogueBody("ok", "pre", 10, "Q1")
        .put("helplines", new JsonArray().add(new JsonObject().put("name", nul).put("phone", "116 111")))), "a helpline (nested)");
    refused(api.post("/api/themes", staff, new JsonObject().put("name", nul)), "theme name");
    refused(api.post("/api/moderation/check", staff, new JsonObject().put("text", nul)), "rule tester");
    refused(api.post("/api/auth/login", null, new JsonObject().put("username", nul).put("password", "x")), "login");
    refused(api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), "Ab\u0000c", "12-14", "KE", "en")), "nickname");
    refused(api.post("/api/join", null, "{\"code\": \"" + d.getString("joinCode") + "\\u0000\", \"consent\": true}"), "escaped in raw JSON");
    refused(api.call(HttpMethod.PUT, "/api/dialogues/" + id, staff, Api.dialogueBody("ok", "post", 10, "Q1").put("description", nul)), "description");

    // The same requests without the NUL still work: the check is not a blanket refusal.
    assertEquals(200, api.get("/api/report/contributions?dialogues=" + id + "&text=ab", staff).status());
    assertEquals(200, api.post("/api/moderation/check", staff, new JsonObject().put("text", "a\\u0000b is only text")).status());
  }
}
