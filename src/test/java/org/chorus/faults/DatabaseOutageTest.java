package org.chorus.faults;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OutboxChild;
import org.chorus.support.ServerProcess;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL stops for 30 s in the middle of a live session. /health turns 503 within seconds, children
 * are told "not saved, we keep trying" (error {@code unavailable}) and nothing is acknowledged meanwhile;
 * when the database is back the pool reconnects by itself, /health is 200 again, and what the children's
 * outboxes resend is stored exactly once.
 */
class DatabaseOutageTest {
  static final int CHILDREN = 10;
  static final Duration OUTAGE = Duration.ofSeconds(30);

  @Test
  void aThirtySecondDatabaseOutageLosesAndDuplicatesNothing() throws Exception {
    Path root = Files.createTempDirectory("chorus-outage-");
    int pgPort = ServerProcess.freePort();
    EmbeddedPostgres pg = startPostgres(root, pgPort);
    String url = "postgresql://postgres@127.0.0.1:" + pgPort + "/postgres";
    try (TestServer server = TestServer.start(root.resolve("node"), c -> c.put("database", new JsonObject().put("url", url))
        .put("live", new JsonObject().put("messagesPerSecond", 1000).put("messageBurst", 1000)))) {
      Api api = server.api();
      String staff = api.staffToken();
      JsonObject dialogue = api.openDialogue(staff, Api.dialogueBody("Outage", "pre", 50, "What should adults know?"));
      String code = dialogue.getString("joinCode");
      WebSocketClient sockets = server.vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(CHILDREN * 2));
      List<OutboxChild> children = new ArrayList<>();
      for (int i = 0; i < CHILDREN; i++) {
        children.add(new OutboxChild(server.vertx, sockets, "o" + i, api.join(code, null).getString("token")));
      }
      String probeToken = api.join(code, null).getString("token");
      String lateToken = api.join(code, null).getString("token");
      await(Future.all(children.stream().map(c -> c.connect(server.port())).toList()));
      try (LiveClient probe = server.live()) {
        probe.hello(probeToken, null);
        children.forEach(OutboxChild::startWriting);
        Thread.sleep(2000);
        int ackedBeforeOutage = acked(children).size();
        assertTrue(ackedBeforeOutage > 0, "the children were being acknowledged before the outage");

        pg.close(); // pg_ctl stop -m fast -w: PostgreSQL is down when this returns
        long stopped = System.nanoTime();
        long detectedMillis = millisUntil(() -> api.get("/health", null).status() == 503, Duration.ofSeconds(10));
        assertEquals("down", api.get("/health", null).body().getString("database"));

        // What a child sees now: its contribution was not saved, and the client keeps it to try again.
        JsonObject refused = probe.request(new JsonObject().put("type", "contribute").put("clientId", "probe-1").put("text", "are you there"));
        assertEquals("error", refused.getString("type"));
        assertEquals("unavailable", refused.getString("code"));
        assertTrue(refused.getString("message").contains("nothing was saved"), refused.encode());
        // A child reconnecting now is refused the same way (its browser tries again after a back-off).
        try (LiveClient late = server.live()) {
          JsonObject hello = late.hello(lateToken, null);
          assertEquals("unavailable", hello.getString("code"), hello.encode());
        }

        Thread.sleep(1000); // anything committed just before the stop has been acknowledged by now
        int ackedEarlyInOutage = acked(children).size();
        long sleepLeft = OUTAGE.toMillis() - (System.nanoTime() - stopped) / 1_000_000;
        Thread.sleep(Math.max(0, sleepLeft));
        assertEquals(ackedEarlyInOutage, acked(children).size(), "nothing acknowledged while the database was down");
        int unavailable = children.stream().mapToInt(OutboxChild::unavailableAnswers).sum();
        assertTrue(unavailable > CHILDREN, "the children were told 'unavailable' and kept trying: " + unavailable);

        long restarting = System.nanoTime();
        pg = startPostgres(root, pgPort); // returns once PostgreSQL accepts connections
        long back = System.nanoTime();
        long recoveredMillis = -1;
        long firstAckMillis = -1;
        while (recoveredMillis < 0 || firstAckMillis < 0) {
          long now = (System.nanoTime() - back) / 1_000_000;
          assertTrue(now < 30_000, "the node did not recover within 30 s of PostgreSQL's return");
          if (firstAckMillis < 0 && acked(children).size() > ackedEarlyInOutage) {
            firstAckMillis = now;
          }
          if (recoveredMillis < 0 && api.get("/health", null).status() == 200) {
            recoveredMillis = now;
          }
          Thread.sleep(20);
        }
        children.forEach(OutboxChild::stopWriting);
        await(Future.all(children.stream().map(OutboxChild::outboxEmptied).toList()), 60);
        assertEquals("ack", probe.request(new JsonObject().put("type", "contribute").put("clientId", "probe-1").put("text", "are you there"))
            .getString("type"), "the probe's resend is stored now");

        Set<String> sent = new HashSet<>();
        children.forEach(c -> sent.addAll(c.sent()));
        sent.add("probe-1");
        Map<String, Long> stored = new HashMap<>();
        for (Row row : await(server.server().database().pool()
            .preparedQuery("SELECT client_id, count(*) AS n FROM contributions WHERE dialogue_id = $1 GROUP BY client_id")
            .execute(Tuple.of(UUID.fromString(dialogue.getString("id")))))) {
          stored.put(row.getString("client_id"), row.getLong("n"));
        }
        assertEquals(sent, stored.keySet(), "every contribution sent is stored, acknowledged ones included");
        assertTrue(stored.values().stream().allMatch(n -> n == 1), "exactly once each");
        assertEquals(List.of(), children.stream().flatMap(c -> c.otherRefusals().stream()).toList());
        System.out.printf("[faults] database outage of %d s: /health 503 after %d ms; PostgreSQL restart took %d ms, then /health 200 after %d ms,"
                + " first acknowledgement after %d ms; %d 'unavailable' answers meanwhile, 0 acknowledged; %d contributions stored once each%n",
            OUTAGE.toSeconds(), detectedMillis, (back - restarting) / 1_000_000, recoveredMillis, firstAckMillis, unavailable, stored.size());
      }
    } finally {
      pg.close();
      TestServer.deleteTree(root);
    }
  }

  /** PostgreSQL on a fixed port and folder, so that it can be stopped and started again "as the same server". */
  private static EmbeddedPostgres startPostgres(Path root, int port) {
    try {
      return EmbeddedPostgres.builder().setDataDirectory(root.resolve("pg")).setCleanDataDirectory(false).setPort(port)
          .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Long> acked(List<OutboxChild> children) {
    Map<String, Long> all = new HashMap<>();
    children.forEach(c -> all.putAll(c.acked()));
    return all;
  }

  private static long millisUntil(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
    long start = System.nanoTime();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() - start < limit.toNanos(), "not within " + limit);
      Thread.sleep(50);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
