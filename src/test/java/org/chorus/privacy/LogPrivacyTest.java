package org.chorus.privacy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.chorus.db.EmbeddedDatabase;
import org.chorus.support.Api;
import org.chorus.support.DatabaseText;
import org.chorus.support.LiveClient;
import org.chorus.support.ServerProcess;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole session against a node in its own JVM with debug logging on for every logger — join, contribute
 * (with a phone number and a unique secret phrase), moderate, export, erase — then every line the node wrote
 * is searched for the phone number, the phrase, every token, the join code and every password, and every
 * row of every table for the phone number.
 */
class LogPrivacyTest {
  private static final String PHONE = "0712 345 678";
  private static final List<String> PHONE_FORMS = List.of(PHONE, "0712345678", "712 345 678", "712345678");
  private static final String SECRET = "zephyr quokka lantern";
  private static final String STAFF_PASSWORD = "log-probe-staff-password";
  private static final String WRONG_PASSWORD = "log-probe-wrong-password";

  @Test
  void noLogLineHoldsWordsTokensCodesOrPasswordsAndNoTableHoldsThePhoneNumber() throws Exception {
    Path dbDir = Files.createTempDirectory("chorus-log-db-");
    EmbeddedDatabase database = EmbeddedDatabase.start(dbDir);
    Vertx vertx = Vertx.vertx();
    List<String> secrets = new ArrayList<>(List.of(SECRET, STAFF_PASSWORD, WRONG_PASSWORD));
    String output;
    try {
      JsonObject config = new JsonObject()
          .put("database", new JsonObject().put("url", "postgresql://postgres@localhost:" + database.port() + "/postgres"))
          .put("auth", new JsonObject().put("initialStaffPassword", STAFF_PASSWORD).put("pbkdf2Iterations", 20000))
          .put("language", new JsonObject().put("accuracy", "low"))
          .put("moderation", new JsonObject().put("rulesDir", Path.of("moderation-rules").toAbsolutePath().toString()))
          .put("sampleData", false);
      try (ServerProcess node = ServerProcess.startWithConfigFile(config, "debug")) {
        output = session(node, vertx, secrets);
      }
      Pool pool = PgBuilder.pool().connectingTo(database.connectOptions()).using(vertx).build();
      try {
        Map<String, List<String>> tables = DatabaseText.everyRow(pool);
        boolean redactedFormKept = false;
        for (var table : tables.entrySet()) {
          for (String row : table.getValue()) {
            for (String phone : PHONE_FORMS) {
              assertFalse(row.contains(phone), table.getKey() + " stores the phone number: " + row);
            }
            redactedFormKept |= table.getKey().equals("contributions") && row.contains("[phone]");
          }
        }
        assertTrue(redactedFormKept, "the other child's contribution is kept in its redacted form");
      } finally {
        await(pool.close());
      }
    } finally {
      await(vertx.close());
      database.close();
      TestServer.deleteTree(dbDir);
    }

    // Kept for whoever reads a failure (test data only).
    Files.writeString(Path.of("target", "log-privacy-node.log"), output);
    // The capture worked and covered debug lines, the session's own log lines and the erasure.
    assertTrue(output.contains(" DEBUG "), "debug logging was on");
    for (String line : List.of("Configuration (secrets masked)", "Database ready", "language detection ready", "wrong username or password",
        "withdrawal in dialogue", "erasure in dialogue")) {
      assertTrue(output.contains(line), "the capture holds the node's '" + line + "' line from start to end: " + output);
    }
    for (String secret : secrets) {
      assertFalse(output.contains(secret), "the log holds a secret of the session (" + secret.length() + " characters): "
          + output.lines().filter(l -> l.contains(secret)).findFirst().orElse(""));
    }
    for (String phone : PHONE_FORMS) {
      assertFalse(output.contains(phone), "the log holds the phone number");
    }
    // Netty's debug lines name the remote address as "R:/127.0.0.1:36968": kept out by simplelogger.properties.
    assertFalse(Pattern.compile("R:/[0-9a-f.:\\[\\]]+:\\d+").matcher(output).find(), "the log holds a client's address");
  }

  /** Runs the session; adds every token, code and password it sees to {@code secrets}; returns the node's whole output. */
  private static String session(ServerProcess node, Vertx vertx, List<String> secrets) throws Exception {
    Api api = node.api(vertx);
    String staff = api.login("admin", STAFF_PASSWORD);
    assertEquals(401, api.post("/api/auth/login", null, new JsonObject().put("username", "admin").put("password", WRONG_PASSWORD)).status());
    JsonObject account = Api.expect(201, api.post("/api/accounts", staff, new JsonObject().put("username", "logfac").put("role", "facilitator")));
    String facilitatorPassword = account.getString("generatedPassword");
    String facilitator = api.login("logfac", facilitatorPassword);
    JsonObject created = Api.expect(201, api.post("/api/dialogues", staff, new JsonObject().put("title", "Log probe")
        .put("prompts", new JsonArray().add("What would you change?")).put("languages", new JsonArray().add("en")).put("moderationMode", "pre")));
    String dialogueId = created.getString("id");
    api.assign(staff, dialogueId, account.getJsonObject("account").getString("id"));
    String code = Api.expect(200, api.post("/api/dialogues/" + dialogueId + "/open", staff, null)).getString("joinCode");
    JsonObject join = new JsonObject().put("code", code).put("ageBand", "12-14").put("country", "KE").put("language", "en").put("consent", true);
    JsonObject withdrawing = Api.expect(201, api.post("/api/join", null, join.copy().put("nickname", "Quill")));
    JsonObject staying = Api.expect(201, api.post("/api/join", null, join.copy().put("nickname", "Rowan")));
    JsonObject erased = Api.expect(201, api.post("/api/join", null, join.copy().put("nickname", "Sable")));
    secrets.addAll(List.of(staff, facilitator, facilitatorPassword, code, code.replace("-", ""),
        withdrawing.getString("token"), staying.getString("token"), erased.getString("token")));

    try (LiveClient fac = LiveClient.connect(vertx, node.port(), null); LiveClient quill = LiveClient.connect(vertx, node.port(), null);
         LiveClient rowan = LiveClient.connect(vertx, node.port(), null); LiveClient sable = LiveClient.connect(vertx, node.port(), null)) {
      fac.hello(facilitator, dialogueId);
      quill.hello(withdrawing.getString("token"), null);
      rowan.hello(staying.getString("token"), null);
      sable.hello(erased.getString("token"), null);
      JsonObject quills = quill.request(new JsonObject().put("type", "contribute").put("clientId", "q-1")
          .put("text", "call me on " + PHONE + " because " + SECRET + " is our secret"));
      assertEquals(new JsonArray().add("phone"), quills.getJsonArray("redacted"), quills.encode());
      long rowans = rowan.request(new JsonObject().put("type", "contribute").put("clientId", "r-1")
          .put("text", "my number is " + PHONE + " and parks need more benches")).getLong("id");
      long sables = sable.request(new JsonObject().put("type", "contribute").put("clientId", "s-1")
          .put("text", "the " + SECRET + " should be painted on the school wall")).getLong("id");
      assertEquals("done", fac.request(new JsonObject().put("type", "approve").put("contributionId", quills.getLong("id"))).getString("type"));
      assertEquals("done", fac.request(new JsonObject().put("type", "approve").put("contributionId", rowans)).getString("type"));
      assertEquals("done", fac.request(new JsonObject().put("type", "reject").put("contributionId", sables).put("reason", "off_topic")).getString("type"));
      rowan.request(new JsonObject().put("type", "react").put("contributionId", quills.getLong("id")).put("kind", "me_too"));
      Api.expect(200, api.post("/api/moderation/check", staff, new JsonObject().put("text", SECRET + " " + PHONE)));
      Api.Reply export = api.get("/api/report/export.csv?dialogues=" + dialogueId, staff);
      Api.expect(200, export);
      String csv = export.raw();
      assertTrue(csv.contains(SECRET) && csv.contains("[phone]"), csv);
      // Right after the last byte of one export the next may start (no 409 export_in_progress).
      Api.expect(200, api.get("/api/report/export.json?dialogues=" + dialogueId, staff));
      Api.expect(200, api.delete("/api/participants/me", withdrawing.getString("token")));
      Api.expect(200, api.delete("/api/dialogues/" + dialogueId + "/participants/" + erased.getJsonObject("participant").getString("id"),
          staff));
      fac.awaitContribution(sables, "removed");
      // A malformed frame and a bad token: error paths log too.
      rowan.sendRaw("{\"type\":\"contribute\",\"text\":\"" + SECRET + "\"");
      assertEquals("invalid_json", rowan.next("error").getString("code"));
    }
    try (LiveClient forged = LiveClient.connect(vertx, node.port(), null)) {
      assertEquals("unauthorized", forged.hello(withdrawing.getString("token") + "x", null).getString("code"));
    }
    // The detector reports ready after loading and warming up (a few seconds, longer on this C1-only test JVM):
    // its log line is part of what must be captured, so the node runs until then.
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!"ready".equals(api.get("/health", null).body().getString("languageDetection")) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    return node.stopAndReadOutput();
  }
}
