package org.chorus.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.OutboxChild;
import org.chorus.support.ServerProcess;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
import java.util.function.Consumer;

import static org.chorus.support.Blocking.await;
import static org.chorus.support.Blocking.sleep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing acknowledged is lost when the node's process dies: 50 children write as fast as their
 * acknowledgements come back while the node (a separate JVM) is killed with SIGKILL — first the JVM alone,
 * which leaves its PostgreSQL running orphaned on the data folder, then JVM and PostgreSQL together, as in
 * a power cut. After each restart on the same data every acknowledged contribution is stored exactly once,
 * and the children's outboxes resend the rest with their clientIds, again without duplicates.
 */
class ProcessCrashTest {
  static final int CHILDREN = 50;
  static final int ACKS_BEFORE_CRASH = 300;
  /** The node's own rate limit would slow the children down; this test is about the commit path. */
  static final Map<String, String> ENV = Map.of("CHORUS_LIVE_MESSAGES_PER_SECOND", "1000", "CHORUS_LIVE_MESSAGE_BURST", "1000");

  Vertx vertx;
  Path dataDir;
  int port;
  ServerProcess node;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    dataDir = Files.createTempDirectory("chorus-crash-");
    port = ServerProcess.freePort();
  }

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
    await(vertx.close());
    TestServer.deleteTree(dataDir);
  }

  @Test
  void everyAcknowledgedContributionSurvivesAKilledJvmAndAPowerCutExactlyOnce() {
    node = ServerProcess.start(dataDir, port, ENV);
    Api api = node.api(vertx);
    String staff = api.staffToken();
    JsonObject dialogue = api.openDialogue(staff, Api.dialogueBody("Crash", "pre", 100, "What would make your school better?"));
    UUID dialogueId = UUID.fromString(dialogue.getString("id"));
    WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(CHILDREN * 2));
    List<OutboxChild> children = new ArrayList<>();
    for (int i = 0; i < CHILDREN; i++) {
      children.add(new OutboxChild(vertx, sockets, "k" + i, api.join(dialogue.getString("joinCode"), null).getString("token")));
    }
    await(Future.all(children.stream().map(c -> c.connect(port)).toList()));

    long orphan = crashAndRecover("JVM killed (kill -9), PostgreSQL orphaned", children, dialogueId, ServerProcess::killJvm,
        output -> assertTrue(output.contains("still running on"), "the restart says it found and stopped the orphaned PostgreSQL:\n" + output));
    assertTrue(ProcessHandle.of(orphan).map(p -> !p.isAlive()).orElse(true), "the orphaned PostgreSQL was stopped");

    crashAndRecover("power cut (JVM and PostgreSQL killed)", children, dialogueId, ServerProcess::powerCut,
        output -> assertTrue(output.contains("did not shut down cleanly"), "the restart says PostgreSQL recovers:\n" + output));
  }

  /** One crash while the children write, a restart on the same data, the checks; returns the PostgreSQL pid before the crash. */
  private long crashAndRecover(String fault, List<OutboxChild> children, UUID dialogueId, Consumer<ServerProcess> crash,
                               Consumer<String> startupSays) {
    long ackedBefore = acked(children).size();
    children.forEach(OutboxChild::startWriting);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (acked(children).size() - ackedBefore < ACKS_BEFORE_CRASH && System.nanoTime() < deadline) {
      sleep(20);
    }
    long postmaster = node.postmaster().orElseThrow().pid();
    crash.accept(node);
    children.forEach(OutboxChild::stopWriting);
    waitUntil(() -> children.stream().noneMatch(OutboxChild::connected), "every socket noticed the crash");

    Set<String> sent = union(children, OutboxChild::sent);
    Map<String, Long> acked = acked(children);
    Set<String> unacknowledged = union(children, OutboxChild::unacknowledged);
    Set<String> duplicateAcksBefore = union(children, OutboxChild::duplicateAcks);
    assertTrue(acked.size() - ackedBefore > 0, "contributions were acknowledged before the crash");
    assertTrue(!unacknowledged.isEmpty(), "the crash caught contributions in flight");

    long restartStart = System.nanoTime();
    node = ServerProcess.start(dataDir, port, ENV);
    long restartMillis = (System.nanoTime() - restartStart) / 1_000_000;
    startupSays.accept(node.output());

    Map<String, Long> found = storedClientIds(dialogueId);
    assertTrue(found.keySet().containsAll(acked.keySet()), "every acknowledged contribution is in the database");
    assertTrue(found.values().stream().allMatch(n -> n == 1), "each at most once: " + found);
    assertTrue(sent.containsAll(found.keySet()), "nothing stored that a child did not send");
    Set<String> storedNotAcked = new HashSet<>(found.keySet());
    storedNotAcked.removeAll(acked.keySet());

    // The children come back: their outboxes resend what was not acknowledged, with the same clientIds.
    await(Future.all(children.stream().map(c -> c.connect(port)).toList()));
    await(Future.all(children.stream().map(OutboxChild::outboxEmptied).toList()), 60);
    Map<String, Long> after = storedClientIds(dialogueId);
    assertEquals(union(children, OutboxChild::sent), after.keySet(), "every contribution sent is stored");
    assertTrue(after.values().stream().allMatch(n -> n == 1), "exactly once each after the resend");
    Set<String> duplicateAcks = union(children, OutboxChild::duplicateAcks);
    duplicateAcks.removeAll(duplicateAcksBefore);
    assertEquals(storedNotAcked, duplicateAcks,
        "the server answers a resend of one stored before the crash as a duplicate, and only those");
    assertEquals(List.of(), children.stream().flatMap(c -> c.otherRefusals().stream()).toList(), "no contribution refused");

    System.out.printf("[faults] %s: sent %d, acknowledged %d, unacknowledged at the crash %d, found after restart %d"
            + " (stored but not acknowledged %d), after the outboxes resent %d, duplicates 0; restart to healthy %d ms%n",
        fault, sent.size(), acked.size(), unacknowledged.size(), found.size(), storedNotAcked.size(), after.size(), restartMillis);
    return postmaster;
  }

  private Map<String, Long> storedClientIds(UUID dialogueId) {
    Pool pool = PgBuilder.pool().connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(node.databasePort())
        .setDatabase("postgres").setUser("postgres")).using(vertx).build();
    try {
      Map<String, Long> out = new HashMap<>();
      for (Row row : await(pool.preparedQuery("SELECT client_id, count(*) AS n FROM contributions WHERE dialogue_id = $1 GROUP BY client_id")
          .execute(Tuple.of(dialogueId)))) {
        out.put(row.getString("client_id"), row.getLong("n"));
      }
      return out;
    } finally {
      await(pool.close());
    }
  }

  private static Map<String, Long> acked(List<OutboxChild> children) {
    Map<String, Long> all = new HashMap<>();
    children.forEach(c -> all.putAll(c.acked()));
    return all;
  }

  private static Set<String> union(List<OutboxChild> children, java.util.function.Function<OutboxChild, Set<String>> part) {
    Set<String> all = new HashSet<>();
    children.forEach(c -> all.addAll(part.apply(c)));
    return all;
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertFalse(System.nanoTime() > deadline, "timed out waiting until " + what);
      sleep(20);
    }
  }
}
