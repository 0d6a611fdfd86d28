package org.chorus.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.chorus.app.ChorusServer;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A first live-room bench (the full harness comes with the performance issue): starts a node on
 * embedded PostgreSQL, lets N children join and contribute over real WebSockets, a facilitator approve,
 * and measures join → welcome, contribute → durable ack, approve → delivered to every child, next to a
 * bare Vert.x WebSocket broadcast (no auth, no database) measured in the same run.
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.args="--children 300 --contributions 3 --approvals 30"</pre>
 */
public final class LiveBench {
  public static void main(String[] args) throws Exception {
    Map<String, Integer> opt = new ConcurrentHashMap<>(Map.of("children", 300, "contributions", 3, "approvals", 30));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opt.put(args[i].replaceFirst("^--", ""), Integer.parseInt(args[i + 1]));
    }
    int children = opt.get("children");
    Vertx vertx = Vertx.vertx();
    ChorusServer server = BenchServer.start(vertx);
    try {
      new LiveBench(vertx, server.port(), children, opt.get("contributions"), opt.get("approvals")).run();
    } finally {
      await(server.stop());
      await(vertx.close());
    }
  }

  private final Vertx vertx;
  private final int port;
  private final int children;
  private final int contributionsPerChild;
  private final int approvals;
  private final WebClient http;
  private final WebSocketClient wsClient;

  LiveBench(Vertx vertx, int port, int children, int contributionsPerChild, int approvals) {
    this.vertx = vertx;
    this.port = port;
    this.children = children;
    this.contributionsPerChild = contributionsPerChild;
    this.approvals = approvals;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    this.wsClient = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(children + 100));
  }

  /** A socket whose frames go to a handler, as they arrive. */
  private WebSocket connect(int port, Consumer<JsonObject> onFrame) {
    WebSocket ws = await(wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live")));
    ws.textMessageHandler(t -> onFrame.accept(new JsonObject(t)));
    return ws;
  }

  void run() throws Exception {
    String staff = await(http.post("/api/auth/login").sendJsonObject(new JsonObject().put("username", "admin").put("password", BenchServer.STAFF_PASSWORD)))
        .bodyAsJsonObject().getString("token");
    JsonObject created = await(http.post("/api/dialogues").bearerTokenAuthentication(staff).sendJsonObject(new JsonObject()
        .put("title", "Bench").put("prompts", new JsonArray().add("Q1")).put("languages", new JsonArray().add("en"))
        .put("moderationMode", "pre").put("capacity", children + 10))).bodyAsJsonObject();
    String dialogueId = created.getString("id");
    String code = await(http.post("/api/dialogues/" + dialogueId + "/open").bearerTokenAuthentication(staff).send())
        .bodyAsJsonObject().getString("joinCode");

    // --- join burst: POST /api/join → hello → welcome
    List<Long> joinNanos = new CopyOnWriteArrayList<>();
    List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    Map<Long, Long> approvedAt = new ConcurrentHashMap<>();
    Map<Long, AtomicInteger> deliveredCount = new ConcurrentHashMap<>();
    Map<Long, Long> lastDelivery = new ConcurrentHashMap<>();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Long> ackNanos = new CopyOnWriteArrayList<>();
    CountDownLatch welcomed = new CountDownLatch(children);
    long burstStart = System.nanoTime();
    for (int i = 0; i < children; i++) {
      long t0 = System.nanoTime();
      String token = await(http.post("/api/join").sendJsonObject(new JsonObject().put("code", code).put("ageBand", "12-14")
          .put("country", "KE").put("language", "en").put("consent", true))).bodyAsJsonObject().getString("token");
      WebSocket ws = connect(port, f -> {
        switch (f.getString("type")) {
          case "welcome" -> {
            joinNanos.add(System.nanoTime() - t0);
            welcomed.countDown();
          }
          case "ack" -> {
            Long sent = sentAt.remove(f.getString("clientId") + "@" + f.getString("ref"));
            if (sent != null) {
              ackNanos.add(System.nanoTime() - sent);
            }
          }
          case "contribution" -> {
            JsonObject c = f.getJsonObject("contribution");
            if ("published".equals(c.getString("status")) && approvedAt.containsKey(c.getLong("id"))) {
              deliveredCount.computeIfAbsent(c.getLong("id"), k -> new AtomicInteger()).incrementAndGet();
              lastDelivery.merge(c.getLong("id"), System.nanoTime(), Math::max);
            }
          }
          default -> { }
        }
      });
      sockets.add(ws);
      ws.writeTextMessage(new JsonObject().put("type", "hello").put("token", token).encode());
    }
    welcomed.await(60, TimeUnit.SECONDS);
    double joinSeconds = (System.nanoTime() - burstStart) / 1e9;

    // --- contributions: every child sends its contributions, one per second each (the per-socket limit is 5/s)
    long contribStart = System.nanoTime();
    for (int round = 0; round < contributionsPerChild; round++) {
      for (int i = 0; i < sockets.size(); i++) {
        String clientId = "c" + i + "-" + round;
        String ref = "r" + i + "-" + round;
        sentAt.put(clientId + "@" + ref, System.nanoTime());
        sockets.get(i).writeTextMessage(new JsonObject().put("type", "contribute").put("clientId", clientId).put("ref", ref)
            .put("text", "Bench contribution " + round + " from child " + i).encode());
      }
      Thread.sleep(1000);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (ackNanos.size() < children * contributionsPerChild && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    double contribSeconds = (System.nanoTime() - contribStart) / 1e9;

    // --- approvals: a facilitator (staff) approves pending ones, one at a time, measuring delivery to all
    List<Long> queue = new CopyOnWriteArrayList<>();
    CountDownLatch facilitatorReady = new CountDownLatch(1);
    WebSocket facilitator = connect(port, f -> {
      if ("welcome".equals(f.getString("type"))) {
        f.getJsonArray("queue").forEach(o -> queue.add(((JsonObject) o).getLong("id")));
        facilitatorReady.countDown();
      }
    });
    facilitator.writeTextMessage(new JsonObject().put("type", "hello").put("token", staff).put("dialogueId", dialogueId).encode());
    facilitatorReady.await(10, TimeUnit.SECONDS);
    List<Long> fanoutNanos = new ArrayList<>();
    for (int a = 0; a < Math.min(approvals, queue.size()); a++) {
      long id = queue.get(a);
      approvedAt.put(id, System.nanoTime());
      facilitator.writeTextMessage(new JsonObject().put("type", "approve").put("contributionId", id).encode());
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((deliveredCount.get(id) == null || deliveredCount.get(id).get() < children) && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      if (deliveredCount.get(id) != null && deliveredCount.get(id).get() == children) {
        fanoutNanos.add(lastDelivery.get(id) - approvedAt.get(id));
      }
      Thread.sleep(100); // 10 approvals per second
    }
    List<Long> floorNanos = bareBroadcastFloor(Math.max(1, fanoutNanos.size()));

    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    System.out.printf("%nChorus live bench — %d children, 1 facilitator, one JVM (server + clients), %d cores, %s%n",
        children, rt.availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    System.out.printf("%-42s %7s %8s %8s %8s %8s %10s%n", "measure", "count", "p50 ms", "p95 ms", "p99 ms", "max ms", "rate/s");
    row("join → room ready (REST join + hello)", joinNanos, joinNanos.size() / joinSeconds);
    row("contribute → durable ack", ackNanos, ackNanos.size() / contribSeconds);
    row("approve → delivered to every child", fanoutNanos, 0);
    row("floor: bare broadcast → every socket", floorNanos, 0);
    if (!fanoutNanos.isEmpty() && !floorNanos.isEmpty()) {
      System.out.printf("ratio approve→all / floor broadcast: p50 %.1fx, p99 %.1fx%n",
          pct(fanoutNanos, 50) / pct(floorNanos, 50), pct(fanoutNanos, 99) / pct(floorNanos, 99));
    }
    System.out.printf("errors: acks missing %d, deliveries incomplete %d; heap used after GC %d MB (process, both sides); uptime %.0f s%n",
        children * contributionsPerChild - ackNanos.size(), Math.min(approvals, queue.size()) - fanoutNanos.size(), heapMb,
        ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    for (WebSocket ws : sockets) {
      ws.close();
    }
    facilitator.close();
  }

  /** The same fan-out on a bare Vert.x WebSocket server: no auth, no filter, no database. */
  private List<Long> bareBroadcastFloor(int rounds) throws Exception {
    List<ServerWebSocket> serverSide = new CopyOnWriteArrayList<>();
    HttpServer bare = await(vertx.createHttpServer().webSocketHandler(serverSide::add).listen(0, "127.0.0.1"));
    Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    Map<Integer, Long> last = new ConcurrentHashMap<>();
    List<WebSocket> clients = new ArrayList<>();
    for (int i = 0; i < children; i++) {
      clients.add(connect(bare.actualPort(), f -> {
        int round = f.getInteger("round");
        received.computeIfAbsent(round, k -> new AtomicInteger()).incrementAndGet();
        last.merge(round, System.nanoTime(), Math::max);
      }));
    }
    while (serverSide.size() < children) {
      Thread.sleep(10);
    }
    String payload = "x".repeat(200);
    List<Long> out = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      int round = r;
      long t0 = System.nanoTime();
      String frame = new JsonObject().put("type", "contribution").put("round", round).put("text", payload).encode();
      vertx.runOnContext(v -> serverSide.forEach(ws -> ws.writeTextMessage(frame)));
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((received.get(round) == null || received.get(round).get() < children) && System.nanoTime() < until) {
        Thread.sleep(1);
      }
      if (last.get(round) != null) {
        out.add(last.get(round) - t0);
      }
      Thread.sleep(100);
    }
    clients.forEach(WebSocket::close);
    await(bare.close());
    return out;
  }

  private static void row(String name, List<Long> nanos, double rate) {
    if (nanos.isEmpty()) {
      System.out.printf("%-42s %7d %8s%n", name, 0, "-");
      return;
    }
    System.out.printf("%-42s %7d %8.1f %8.1f %8.1f %8.1f %10s%n", name, nanos.size(), pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
        pct(nanos, 100), rate > 0 ? String.format("%.0f", rate) : "");
  }

  private static double pct(List<Long> nanos, double p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
