package org.chorus.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.List;

import static org.chorus.support.Blocking.await;

/** A blocking REST client for tests, plus the common flows (login, create and open a dialogue, join). */
public final class Api {
  public record Reply(int status, JsonObject body, String raw) {
    public String errorCode() {
      return body == null || body.getJsonObject("error") == null ? null : body.getJsonObject("error").getString("code");
    }
  }

  private final WebClient client;

  Api(Vertx vertx, int port) {
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
        .setUserAgent(TestServer.USER_AGENT));
  }

  public Reply call(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> req = client.request(method, path);
    if (token != null) {
      req.putHeader("Authorization", "Bearer " + token);
    }
    HttpResponse<Buffer> res;
    if (body == null) {
      res = await(req.send());
    } else if (body instanceof String s) {
      res = await(req.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(s)));
    } else {
      res = await(req.sendJsonObject((JsonObject) body));
    }
    String raw = res.bodyAsString();
    JsonObject json = null;
    if (raw != null && raw.startsWith("{")) {
      json = new JsonObject(raw);
    }
    return new Reply(res.statusCode(), json, raw);
  }

  public Reply get(String path, String token) {
    return call(HttpMethod.GET, path, token, null);
  }

  public Reply post(String path, String token, Object body) {
    return call(HttpMethod.POST, path, token, body);
  }

  public Reply put(String path, String token) {
    return call(HttpMethod.PUT, path, token, null);
  }

  public Reply delete(String path, String token) {
    return call(HttpMethod.DELETE, path, token, null);
  }

  /** Fails the test unless the status is as expected; returns the body. */
  public static JsonObject expect(int status, Reply r) {
    if (r.status() != status) {
      throw new AssertionError("expected HTTP " + status + " but got " + r.status() + ": " + r.raw());
    }
    return r.body();
  }

  public String login(String username, String password) {
    return expect(200, post("/api/auth/login", null, new JsonObject().put("username", username).put("password", password)))
        .getString("token");
  }

  public String staffToken() {
    return login(TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
  }

  public static JsonObject dialogueBody(String title, String mode, int capacity, String... prompts) {
    return new JsonObject().put("title", title).put("description", "test dialogue")
        .put("prompts", new JsonArray(List.of(prompts))).put("languages", new JsonArray().add("en").add("fr"))
        .put("moderationMode", mode).put("capacity", capacity);
  }

  /** Creates and opens a dialogue; returns it (with joinCode). */
  public JsonObject openDialogue(String staffToken, JsonObject body) {
    JsonObject created = expect(201, post("/api/dialogues", staffToken, body));
    return expect(200, post("/api/dialogues/" + created.getString("id") + "/open", staffToken, null));
  }

  /** Creates a facilitator account and returns {id, username, password}. */
  public JsonObject createFacilitator(String staffToken, String username) {
    JsonObject created = expect(201, post("/api/accounts", staffToken, new JsonObject().put("username", username).put("role", "facilitator")));
    return created.getJsonObject("account").copy().put("password", created.getString("generatedPassword"));
  }

  public void assign(String staffToken, String dialogueId, String accountId) {
    expect(200, put("/api/dialogues/" + dialogueId + "/facilitators/" + accountId, staffToken));
  }

  public static JsonObject joinBody(String code, String nickname, String ageBand, String country, String language) {
    JsonObject b = new JsonObject().put("code", code).put("ageBand", ageBand).put("country", country)
        .put("language", language).put("consent", true);
    if (nickname != null) {
      b.put("nickname", nickname);
    }
    return b;
  }

  /** A child joins; returns the join answer (token, participant, dialogue). */
  public JsonObject join(String code, String nickname) {
    return expect(201, post("/api/join", null, joinBody(code, nickname, "12-14", "KE", "en")));
  }
}
