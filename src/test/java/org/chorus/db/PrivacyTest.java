package org.chorus.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.chorus.support.Api;
import org.chorus.support.DatabaseText;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a session, no IP address or user agent is stored anywhere in the database. */
class PrivacyTest {
  @Test
  void noAddressOrUserAgentIsStored() {
    TestServer server = TestServer.shared();
    Api api = server.api();
    String staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Privacy", "post", 10, "Q1"));
    JsonObject first = api.join(d.getString("joinCode"), "Vera");
    JsonObject second = api.join(d.getString("joinCode"), null);
    // a wrong code too: the rate limiter sees the address, the database must not
    api.post("/api/join", null, Api.joinBody("ZZZZ-ZZZZ", null, "9-11", "KE", "en"));
    try (LiveClient a = server.live(); LiveClient b = server.live()) {
      a.hello(first.getString("token"), null);
      b.hello(second.getString("token"), null);
      long id = a.request(new JsonObject().put("type", "contribute").put("clientId", "p1").put("text", "We want safe parks")).getLong("id");
      b.request(new JsonObject().put("type", "react").put("contributionId", id).put("kind", "me_too"));
    }

    var pool = server.server().database().pool();
    Map<String, List<String>> tables = DatabaseText.everyRow(pool);
    assertTrue(tables.keySet().containsAll(List.of("participants", "contributions", "reactions", "accounts", "dialogues")), tables.keySet().toString());
    for (Row r : await(pool.preparedQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'").execute())) {
      String column = r.getString(0).toLowerCase(Locale.ROOT);
      assertFalse(column.matches(".*(^|_)(ip|ip_?addr(ess)?|remote|address|user_?agent|agent|e_?mail|real_?name|surname)(_|$).*"),
          "column " + column);
    }
    int rows = 0;
    for (var table : tables.entrySet()) {
      for (String row : table.getValue()) {
        rows++;
        for (String forbidden : List.of("127.0.0.1", "::1", "localhost", "ChorusTestAgent", "privacy-probe", first.getString("token"))) {
          assertFalse(row.contains(forbidden), table.getKey() + " stores " + forbidden + ": " + row);
        }
      }
    }
    assertTrue(rows >= 8, "the scan read the session's rows (" + rows + ")");
  }
}
