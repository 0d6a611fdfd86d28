package org.chorus.db;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
    List<String> tables = new ArrayList<>();
    for (Row r : await(pool.preparedQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").execute())) {
      tables.add(r.getString(0));
    }
    assertTrue(tables.containsAll(List.of("participants", "contributions", "reactions", "accounts", "dialogues")), tables.toString());
    for (Row r : await(pool.preparedQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public'").execute())) {
      String column = r.getString(0).toLowerCase(Locale.ROOT);
      assertFalse(column.matches(".*(^|_)(ip|ip_?addr(ess)?|remote|address|user_?agent|agent|e_?mail|real_?name|surname)(_|$).*"),
          "column " + column);
    }
    int rows = 0;
    for (String table : tables) {
      // table names come from the catalogue above, not from input
      for (Row r : await(pool.query("SELECT t::text FROM \"" + table + "\" t").execute())) {
        String row = r.getString(0);
        rows++;
        for (String forbidden : List.of("127.0.0.1", "::1", "localhost", "ChorusTestAgent", "privacy-probe", first.getString("token"))) {
          assertFalse(row.contains(forbidden), table + " stores " + forbidden + ": " + row);
        }
      }
    }
    assertTrue(rows >= 8, "the scan read the session's rows (" + rows + ")");
  }
}
