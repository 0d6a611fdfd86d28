package org.chorus.faults;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.FrozenClient;
import org.chorus.support.Latencies;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that misbehave cost a bounded amount and slow nobody else down. At the same time: 20 children
 * whose connections go silent after hello (a phone that lost its network leaves the TCP connection
 * half-open) are closed by the read-idle timeout, and one client sends a contribution every 10 ms for a
 * minute and is answered {@code rate_limited} beyond its token bucket. Meanwhile another child's ping and
 * contribution round trips are measured and compared with the same child's before the faults. (A child
 * that stops reading is SlowReaderTest.)
 */
class SilentAndFloodingClientsTest {
  /** Longer than any stall of this shared test machine (seconds under load), far shorter than the 90 s default. */
  static final int IDLE_SECONDS = 12;
  static final int SILENT = 20;
  static final Duration FLOOD = Duration.ofSeconds(60);
  static final long FLOOD_EVERY_MS = 10;
  static final Duration WARM_UP = Duration.ofSeconds(3);
  static final Duration BEFORE = Duration.ofSeconds(6);
  /** The observer's pace: under the default 5 messages a second of a connection. */
  static final long OBSERVE_EVERY_MS = 250;

  @Test
  void silentConnectionsAreClosedFloodsAreRateLimitedAndOthersKeepTheirPace() throws Exception {
    Vertx clients = Vertx.vertx(); // the clients' own event loops: they must not compete with the node's
    ExecutorService silentWatchers = Executors.newFixedThreadPool(SILENT);
    try (TestServer server = TestServer.start(c -> {
      c.getJsonObject("http").put("idleTimeoutSeconds", IDLE_SECONDS);
      c.put("language", new JsonObject().put("accuracy", "low").put("detect", new JsonArray().add("en").add("fr")));
    })) {
      // Measure a settled node: the language models load in the background right after the start.
      await(server.server().language().ready(), 120);
      Api api = server.api();
      String code = api.openDialogue(api.staffToken(), Api.dialogueBody("Faults", "post", 100, "What helps you learn?")).getString("joinCode");
      String floodToken = api.join(code, "Flood").getString("token");
      List<String> silentHellos = new ArrayList<>();
      for (int i = 0; i < SILENT; i++) {
        silentHellos.add(new JsonObject().put("type", "hello").put("token", api.join(code, null).getString("token")).encode());
      }
      try (LiveClient observer = LiveClient.connect(clients, server.port(), null)) {
        observer.hello(api.join(code, "Observer").getString("token"), null);
        AtomicInteger written = new AtomicInteger();
        observe(observer, written, new Latencies(), WARM_UP); // the first round trips after a start are slower
        Latencies before = new Latencies();
        observe(observer, written, before, BEFORE);

        Flood flood = Flood.start(clients, server.port(), floodToken);
        List<CompletableFuture<Long>> silent = new ArrayList<>();
        for (String hello : silentHellos) {
          silent.add(CompletableFuture.supplyAsync(() -> millisUntilClosed(server.port(), hello), silentWatchers));
        }
        Latencies during = new Latencies();
        observe(observer, written, during, FLOOD);
        assertFalse(observer.awaitClosed(Duration.ZERO), "a child that talks (the browser pings every 25 s) is never idle");
        Flood.Result flooded = flood.stop();

        System.out.printf("[faults] silent connections: %d closed after %d-%d ms (read-idle %d s); flood: %s;"
                + " another child's ping/ack round trips before: %s, during: %s%n",
            SILENT, silent.stream().mapToLong(CompletableFuture::join).min().orElse(-1), silent.stream().mapToLong(CompletableFuture::join).max().orElse(-1),
            IDLE_SECONDS, flooded, before, during);
        for (CompletableFuture<Long> closedAfter : silent) {
          long millis = closedAfter.get();
          assertTrue(millis >= (IDLE_SECONDS - 1) * 1000L && millis <= (IDLE_SECONDS + 5) * 1000L,
              "a silent connection is closed by the read-idle timeout of " + IDLE_SECONDS + " s (hello timeout is 10 s): " + millis + " ms");
        }

        double seconds = flooded.seconds();
        assertTrue(flooded.sent() > seconds * 1000 / FLOOD_EVERY_MS * 0.8, "the flood really flooded: " + flooded);
        assertTrue(flooded.acked() <= 20 + 5 * (seconds + 1), "the token bucket (5 a second, burst 20) bounds what is processed: " + flooded);
        assertTrue(flooded.rateLimited() >= flooded.sent() - flooded.acked() - 50, "every other frame is answered rate_limited: " + flooded);
        assertEquals(0, flooded.other(), "no other answer to the flood: " + flooded);
        assertTrue(flooded.stillOpen(), "the flooding connection is limited, not closed (it gets an answer to every frame)");

        // Generous bounds for a shared two-core machine: the point is 'not slowed down by orders of magnitude'.
        assertTrue(during.percentile(95) <= 5 * before.percentile(95) + 100,
            "the other child's round trips during the faults (" + during + ") vs before (" + before + ")");
        assertTrue(during.percentile(50) <= 5 * before.percentile(50) + 50, "median: during " + during + " vs before " + before);
      }
    } finally {
      silentWatchers.shutdownNow();
      await(clients.close());
    }
  }

  /** Ping and contribute in turn at the observer's pace for {@code span}, recording each round trip. */
  private static void observe(LiveClient observer, AtomicInteger written, Latencies into, Duration span) throws InterruptedException {
    long end = System.nanoTime() + span.toNanos();
    boolean ping = true;
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      JsonObject answer = ping
          ? observer.request(new JsonObject().put("type", "ping"))
          : observer.request(new JsonObject().put("type", "contribute").put("clientId", "obs-" + written.incrementAndGet())
              .put("text", "Observation " + written.get() + ": quiet places to read help me learn"));
      into.add(System.nanoTime() - start);
      assertEquals(ping ? "pong" : "ack", answer.getString("type"), answer.encode());
      ping = !ping;
      Thread.sleep(Math.max(0, OBSERVE_EVERY_MS - (System.nanoTime() - start) / 1_000_000));
    }
  }

  /** Connects, says hello and then neither sends nor reads; how long until the server closed the connection. */
  private static long millisUntilClosed(int port, String hello) {
    long start = System.nanoTime();
    try (FrozenClient silent = FrozenClient.connect(port, hello)) {
      assertTrue(silent.drainUntilClosed((IDLE_SECONDS + 10) * 1000), "the silent connection was closed");
      return (System.nanoTime() - start) / 1_000_000;
    }
  }

  /** A client that sends a contribution every {@link #FLOOD_EVERY_MS} ms and counts the answers. */
  private record Flood(Vertx vertx, WebSocketClient client, WebSocket ws, long timer, long startNanos, AtomicInteger sent, AtomicInteger acked,
                       AtomicInteger rateLimited, AtomicInteger other) {
    record Result(int sent, int acked, int rateLimited, int other, double seconds, boolean stillOpen) {
      @Override
      public String toString() {
        return String.format("%d frames in %.0f s, %d acknowledged, %d rate_limited, %d other", sent, seconds, acked, rateLimited, other);
      }
    }

    static Flood start(Vertx vertx, int port, String token) {
      AtomicInteger acked = new AtomicInteger();
      AtomicInteger limited = new AtomicInteger();
      AtomicInteger other = new AtomicInteger();
      Promise<Void> welcomed = Promise.promise();
      // Kept in the record: Vert.x closes a client that is no longer referenced, with its connections, when it is collected.
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocket ws = await(client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
          .setURI("/live").addHeader("User-Agent", TestServer.USER_AGENT)));
      ws.textMessageHandler(text -> {
        JsonObject f = new JsonObject(text);
        switch (f.getString("type")) {
          case "welcome" -> welcomed.tryComplete();
          case "ack" -> acked.incrementAndGet();
          case "error" -> (("rate_limited".equals(f.getString("code"))) ? limited : other).incrementAndGet();
          default -> { } // the room's broadcasts
        }
      });
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("token", token).encode());
      await(welcomed.future());
      AtomicInteger sent = new AtomicInteger();
      long timer = vertx.setPeriodic(FLOOD_EVERY_MS, id -> {
        int n = sent.incrementAndGet();
        ws.writeTextMessage(new JsonObject().put("type", "contribute").put("clientId", "flood-" + n)
            .put("text", "Flood " + n + ": please listen to us").encode());
      });
      return new Flood(vertx, client, ws, timer, System.nanoTime(), sent, acked, limited, other);
    }

    Result stop() throws InterruptedException {
      vertx.cancelTimer(timer);
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      long drainStart = System.nanoTime();
      while (acked.get() + rateLimited.get() + other.get() < sent.get() && System.nanoTime() - drainStart < 20_000_000_000L) {
        Thread.sleep(50); // the answers still on their way
      }
      System.out.printf("[faults] flood answers drained %d ms after the last frame%n", (System.nanoTime() - drainStart) / 1_000_000);
      Result r = new Result(sent.get(), acked.get(), rateLimited.get(), other.get(), seconds, !ws.isClosed());
      client.close();
      return r;
    }
  }
}
