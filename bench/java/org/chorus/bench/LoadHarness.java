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

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The load harness: plays N children in D dialogues (one facilitator each) over real HTTP and WebSockets
 * against a node it starts (fresh embedded PostgreSQL, durable) or against running nodes (--targets, children
 * spread over them round robin): a join burst at a given rate, contributions at a given total rate for a given
 * time, facilitators approving, reactions, reconnects. Prints one table and the same fan-out on a bare Vert.x
 * broadcast (no auth, filter, detection or database) measured in the same run, as a ratio.
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.LoadHarness -Dexec.args="--dialogues 10 --children 5000
 *   --join-rate 100 --rate 500 --duration 60 --approvals 2 --reactions 0.1 --reconnects 50 [--targets http://a:8080,http://b:8080 --staff-password …]
 *   [--timeline]"</pre> ({@code --timeline} adds the ack latency second by second.)
 */
public final class LoadHarness {
  record Options(int dialogues, int children, int joinRate, int rate, int duration, int approvalsPerSecond, double reactions,
                 int reconnects, List<String> targets, String staffPassword, boolean timeline) {
    static Options parse(String[] args) {
      Map<String, String> o = new HashMap<>(Map.of("dialogues", "1", "children", "300", "join-rate", "100", "rate", "100",
          "duration", "10", "approvals", "2", "reactions", "0.05", "reconnects", "10", "targets", "", "staff-password", BenchServer.STAFF_PASSWORD));
      boolean timeline = false;
      for (int i = 0; i < args.length; i += 2) {
        String key = args[i].replaceFirst("^--", "");
        if (key.equals("timeline")) {
          timeline = true;
          i--;
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option --" + key + " needs a value");
        }
        if (!o.containsKey(key)) {
          throw new IllegalArgumentException("unknown option --" + key + "; known: " + o.keySet());
        }
        o.put(key, args[i + 1]);
      }
      return new Options(Integer.parseInt(o.get("dialogues")), Integer.parseInt(o.get("children")), Integer.parseInt(o.get("join-rate")),
          Integer.parseInt(o.get("rate")), Integer.parseInt(o.get("duration")), Integer.parseInt(o.get("approvals")),
          Double.parseDouble(o.get("reactions")), Integer.parseInt(o.get("reconnects")),
          o.get("targets").isBlank() ? List.of() : List.of(o.get("targets").split(",")), o.get("staff-password"), timeline);
    }
  }

  /** One simulated child. */
  static final class Child {
    final int index;
    final String room;
    final URI node;
    String token;
    volatile WebSocket ws;
    final AtomicInteger seq = new AtomicInteger();

    Child(int index, String room, URI node) {
      this.index = index;
      this.room = room;
      this.node = node;
    }
  }

  private final Vertx vertx;
  private final Options opt;
  private final List<URI> nodes;
  private final WebSocketClient ws;
  private final Map<URI, WebClient> http = new HashMap<>();

  // measurements
  private final List<Long> joinNanos = new CopyOnWriteArrayList<>();
  private final List<Long> ackNanos = new CopyOnWriteArrayList<>();
  private final Timeline ackTimeline = new Timeline();
  private final Timeline joinTimeline = new Timeline();
  private final List<Long> fanoutNanos = new CopyOnWriteArrayList<>();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<Long, Long> approvedAt = new ConcurrentHashMap<>();
  private final Map<Long, AtomicInteger> delivered = new ConcurrentHashMap<>();
  private final Map<String, Integer> roomSize = new ConcurrentHashMap<>();
  private final Map<Long, String> roomOf = new ConcurrentHashMap<>();
  private final AtomicLong errorFrames = new AtomicLong();
  private final Map<String, AtomicLong> errorCodes = new ConcurrentHashMap<>();
  private final AtomicLong joinFailures = new AtomicLong();
  private final AtomicLong unexpectedCloses = new AtomicLong();
  private final AtomicInteger welcomed = new AtomicInteger();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong reactionsSent = new AtomicLong();

  LoadHarness(Vertx vertx, Options opt, List<URI> nodes) {
    this.vertx = vertx;
    this.opt = opt;
    this.nodes = nodes;
    this.ws = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(opt.children() + opt.dialogues() + 100)
        .setConnectTimeout(30_000));
    for (URI n : nodes) {
      http.put(n, WebClient.create(vertx, new WebClientOptions().setDefaultHost(n.getHost()).setDefaultPort(n.getPort()),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)));
    }
  }

  public static void main(String[] args) throws Exception {
    Options opt = Options.parse(args);
    Vertx vertx = Vertx.vertx();
    ChorusServer started = null;
    List<URI> nodes = new ArrayList<>();
    if (opt.targets().isEmpty()) {
      started = BenchServer.start(vertx);
      nodes.add(URI.create("http://127.0.0.1:" + started.port()));
    } else {
      opt.targets().forEach(t -> nodes.add(URI.create(t.strip())));
    }
    try {
      new LoadHarness(vertx, opt, nodes).run(started != null);
    } finally {
      if (started != null) {
        BenchServer.stopAndDelete(started);
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  void run(boolean inProcess) throws Exception {
    URI first = nodes.get(0);
    // Measure a warm, ready node: its language detector loads in the background for a few seconds after start.
    for (URI n : nodes) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (!"ready".equals(await(http.get(n).get("/health").send()).bodyAsJsonObject().getString("languageDetection"))
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
    }
    String staff = await(http.get(first).post("/api/auth/login")
        .sendJsonObject(new JsonObject().put("username", "admin").put("password", opt.staffPassword()))).bodyAsJsonObject().getString("token");
    List<String> rooms = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int d = 0; d < opt.dialogues(); d++) {
      JsonObject created = await(http.get(first).post("/api/dialogues").bearerTokenAuthentication(staff).sendJsonObject(new JsonObject()
          .put("title", "Load " + d).put("prompts", new JsonArray().add("What would make school safer?"))
          .put("languages", new JsonArray().add("en")).put("moderationMode", "pre").put("capacity", opt.children() + 10))).bodyAsJsonObject();
      rooms.add(created.getString("id"));
      codes.add(await(http.get(first).post("/api/dialogues/" + created.getString("id") + "/open").bearerTokenAuthentication(staff).send())
          .bodyAsJsonObject().getString("joinCode"));
    }
    List<Child> children = new ArrayList<>();
    for (int i = 0; i < opt.children(); i++) {
      Child c = new Child(i, rooms.get(i % rooms.size()), nodes.get(i % nodes.size()));
      children.add(c);
      roomSize.merge(c.room, 1, Integer::sum);
    }

    // Like the browser's page (every 25 s): a child that only reads would be closed by http.idleTimeoutSeconds (90 s).
    String ping = new JsonObject().put("type", "ping").encode();
    vertx.setPeriodic(25_000, t -> children.forEach(c -> {
      WebSocket socket = c.ws;
      if (socket != null && !socket.isClosed()) {
        socket.writeTextMessage(ping);
      }
    }));

    // 1. join burst at --join-rate: REST join, then hello → welcome
    long joinStart = System.nanoTime();
    joinTimeline.start(joinStart);
    long intervalNanos = 1_000_000_000L / Math.max(1, opt.joinRate());
    for (Child c : children) {
      long due = joinStart + c.index * intervalNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      join(c, codes.get(rooms.indexOf(c.room)), System.nanoTime());
    }
    waitUntil(() -> welcomed.get() + joinFailures.get() >= opt.children(), 120);
    double joinSeconds = (System.nanoTime() - joinStart) / 1e9;

    // 2. facilitators, one per room, on the nodes in turn
    Map<String, WebSocket> facilitators = new HashMap<>();
    Map<String, List<Long>> queues = new ConcurrentHashMap<>();
    for (int d = 0; d < rooms.size(); d++) {
      String room = rooms.get(d);
      queues.put(room, new CopyOnWriteArrayList<>());
      CountDownLatch ready = new CountDownLatch(1);
      WebSocket f = connect(nodes.get(d % nodes.size()), frame -> {
        switch (frame.getString("type")) {
          case "welcome" -> ready.countDown();
          case "contribution" -> {
            JsonObject c = frame.getJsonObject("contribution");
            if ("pending".equals(c.getString("status"))) {
              queues.get(room).add(c.getLong("id"));
            }
          }
          default -> { }
        }
      });
      f.writeTextMessage(new JsonObject().put("type", "hello").put("token", staff).put("dialogueId", room).encode());
      ready.await(30, TimeUnit.SECONDS);
      facilitators.put(room, f);
    }

    // 3. contributions at --rate for --duration, approvals, reactions and reconnects meanwhile
    List<Child> connected = children.stream().filter(c -> c.ws != null).toList();
    long start = System.nanoTime();
    ackTimeline.start(start);
    long total = (long) opt.rate() * opt.duration();
    long every = 1_000_000_000L / Math.max(1, opt.rate());
    long approveEvery = opt.approvalsPerSecond() > 0 ? 1_000_000_000L / opt.approvalsPerSecond() : Long.MAX_VALUE;
    long nextApproval = start;
    int reconnectEvery = opt.reconnects() > 0 ? (int) Math.max(1, total / opt.reconnects()) : Integer.MAX_VALUE;
    for (long n = 0; n < total; n++) {
      long due = start + n * every;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      Child c = connected.get((int) (n % connected.size()));
      if (n % reconnectEvery == reconnectEvery - 1) {
        reconnect(c);
      } else {
        contribute(c);
      }
      if (System.nanoTime() >= nextApproval) {
        nextApproval += approveEvery;
        for (String room : rooms) {
          List<Long> q = queues.get(room);
          if (!q.isEmpty()) {
            long id = q.remove(0);
            roomOf.put(id, room);
            approvedAt.put(id, System.nanoTime());
            facilitators.get(room).writeTextMessage(new JsonObject().put("type", "approve").put("contributionId", id).encode());
          }
        }
      }
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    waitUntil(() -> ackNanos.size() >= sent.get(), 30);
    waitUntil(() -> fanoutNanos.size() >= approvedAt.size(), 20);
    double contributionSeconds = (System.nanoTime() - start) / 1e9;

    int largestRoom = Collections.max(roomSize.values());
    List<Long> floor = bareBroadcastFloor(largestRoom, Math.max(10, Math.min(30, fanoutNanos.size())));

    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
    long rssMb = rssKb() / 1024;
    System.out.printf("%nChorus load harness — %d children in %d dialogue(s) on %d node(s)%s, %d facilitators, %d cores, %s %s%n",
        opt.children(), opt.dialogues(), nodes.size(), inProcess ? " (started in this JVM: server and clients share it)" : "",
        rooms.size(), rt.availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"));
    System.out.printf("options: join-rate %d/s, contributions %d/s for %d s, approvals %d/s per room, reactions %.2f, reconnects %d%n",
        opt.joinRate(), opt.rate(), opt.duration(), opt.approvalsPerSecond(), opt.reactions(), opt.reconnects());
    System.out.println();
    System.out.println("| measure | count | p50 ms | p95 ms | p99 ms | max ms | rate/s |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    row("join → room ready (REST join + hello)", joinNanos, welcomed.get() / joinSeconds);
    // The ack rate runs to the last ack (not to the end of the wait for approvals that may never complete).
    row("contribute → durable ack", ackNanos, ackNanos.size() / Math.max(sendSeconds, ackTimeline.lastEndSeconds()));
    // The first seconds of a burst meet the cold parts of the path (JIT, connection pool, PostgreSQL's caches).
    row("  of which sent in the first 10 s", ackTimeline.latencies(0, 10), 0);
    row("  of which sent from 10 s on", ackTimeline.latencies(10, Integer.MAX_VALUE), 0);
    row("approve → delivered to every child of the room (" + largestRoom + " max)", fanoutNanos, 0);
    row("floor: bare broadcast → " + largestRoom + " sockets", floor, 0);
    System.out.println();
    long held = children.stream().filter(c -> c.ws != null && !c.ws.isClosed()).count();
    System.out.printf("connections held at the end: %d children + %d facilitators; contributions sent %d in %.1f s (%.0f/s offered)%n",
        held, facilitators.size(), sent.get(), sendSeconds, sent.get() / sendSeconds);
    if (!fanoutNanos.isEmpty() && !floor.isEmpty()) {
      System.out.printf("ratio approve→all / bare floor: p50 %.1fx, p99 %.1fx%n", pct(fanoutNanos, 50) / pct(floor, 50), pct(fanoutNanos, 99) / pct(floor, 99));
    }
    System.out.printf("heap used after GC %d MB, RSS %d MB (%s); reactions sent %d%n", heapMb, rssMb,
        inProcess ? "this JVM: server and clients" : "this JVM: clients only", reactionsSent.get());
    System.out.printf("errors: joins failed %d, acks missing %d, error frames %d, deliveries incomplete %d, unexpected disconnects %d%n",
        joinFailures.get(), sent.get() - ackNanos.size(), errorFrames.get(), approvedAt.size() - fanoutNanos.size(), unexpectedCloses.get());
    if (!errorCodes.isEmpty()) {
      System.out.println("error frames by code: " + errorCodes);
    }
    if (opt.timeline()) {
      joinTimeline.print("join → room ready, by the second the join started");
      ackTimeline.print("contribute → durable ack, by the second the contribution was sent");
    }
    children.forEach(c -> {
      if (c.ws != null) {
        c.ws.close();
      }
    });
    facilitators.values().forEach(WebSocket::close);
  }

  private void join(Child c, String code, long t0) {
    http.get(c.node).post("/api/join").sendJsonObject(new JsonObject().put("code", code).put("ageBand", "12-14")
        .put("country", "KE").put("language", "en").put("consent", true)).onComplete(ar -> {
          if (ar.failed() || ar.result().statusCode() != 201) {
            joinFailures.incrementAndGet();
            return;
          }
          c.token = ar.result().bodyAsJsonObject().getString("token");
          hello(c, t0, true);
        });
  }

  /** {@code firstJoin}: counts the child as joined; a reconnect's welcome only adds its latency. */
  private void hello(Child c, long t0, boolean firstJoin) {
    ws.connect(options(c.node)).onComplete(ar -> {
      if (ar.failed()) {
        joinFailures.incrementAndGet();
        return;
      }
      WebSocket socket = ar.result();
      boolean[] first = {true};
      socket.textMessageHandler(text -> onChildFrame(c, new JsonObject(text), t0, first, firstJoin));
      socket.closeHandler(v -> {
        if (c.ws == socket) {
          unexpectedCloses.incrementAndGet();
        }
      });
      c.ws = socket;
      socket.writeTextMessage(new JsonObject().put("type", "hello").put("token", c.token).encode());
    });
  }

  private void onChildFrame(Child c, JsonObject f, long t0, boolean[] first, boolean firstJoin) {
    switch (f.getString("type")) {
      case "welcome" -> {
        if (first[0]) {
          first[0] = false;
          long now = System.nanoTime();
          joinNanos.add(now - t0);
          joinTimeline.add(t0, now);
          if (firstJoin) {
            welcomed.incrementAndGet();
          }
        }
      }
      case "ack" -> {
        Long at = sentAt.remove(f.getString("clientId"));
        if (at != null) {
          long now = System.nanoTime();
          ackNanos.add(now - at);
          ackTimeline.add(at, now);
        }
      }
      case "contribution" -> {
        JsonObject contribution = f.getJsonObject("contribution");
        Long approved = approvedAt.get(contribution.getLong("id"));
        if (approved != null && "published".equals(contribution.getString("status"))) {
          int n = delivered.computeIfAbsent(contribution.getLong("id"), k -> new AtomicInteger()).incrementAndGet();
          if (n == roomSize.get(roomOf.get(contribution.getLong("id")))) {
            fanoutNanos.add(System.nanoTime() - approved);
          }
          if (Math.floorMod(c.index * 31 + contribution.getLong("id"), 1000) < opt.reactions() * 1000) {
            reactionsSent.incrementAndGet();
            c.ws.writeTextMessage(new JsonObject().put("type", "react").put("contributionId", contribution.getLong("id")).put("kind", "me_too").encode());
          }
        }
      }
      case "error" -> {
        errorFrames.incrementAndGet();
        errorCodes.computeIfAbsent(f.getString("code"), k -> new AtomicLong()).incrementAndGet();
      }
      default -> { }
    }
  }

  private void contribute(Child c) {
    String clientId = "c" + c.index + "-" + c.seq.incrementAndGet();
    sentAt.put(clientId, System.nanoTime());
    sent.incrementAndGet();
    c.ws.writeTextMessage(new JsonObject().put("type", "contribute").put("clientId", clientId)
        .put("text", "Contribution " + c.seq.get() + " from child " + c.index + ": teachers should listen to us and keep the toilets safe").encode());
  }

  /** The phone lost its connection: close, open again, hello with the same token (counted as a join). */
  private void reconnect(Child c) {
    WebSocket old = c.ws;
    c.ws = null;
    old.close();
    hello(c, System.nanoTime(), false);
  }

  private WebSocketConnectOptions options(URI node) {
    return new WebSocketConnectOptions().setHost(node.getHost()).setPort(node.getPort()).setURI("/live");
  }

  private WebSocket connect(URI node, Consumer<JsonObject> onFrame) {
    WebSocket socket = await(ws.connect(options(node)));
    socket.textMessageHandler(t -> onFrame.accept(new JsonObject(t)));
    return socket;
  }

  /** The same fan-out on a bare Vert.x WebSocket server: no auth, no filter, no detection, no database. */
  private List<Long> bareBroadcastFloor(int sockets, int rounds) throws Exception {
    List<ServerWebSocket> serverSide = new CopyOnWriteArrayList<>();
    HttpServer bare = await(vertx.createHttpServer().webSocketHandler(serverSide::add).listen(0, "127.0.0.1"));
    URI node = URI.create("http://127.0.0.1:" + bare.actualPort());
    Map<Integer, AtomicInteger> received = new ConcurrentHashMap<>();
    Map<Integer, Long> done = new ConcurrentHashMap<>();
    Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
    List<WebSocket> clients = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      clients.add(connect(node, f -> {
        int round = f.getInteger("round");
        if (received.computeIfAbsent(round, k -> new AtomicInteger()).incrementAndGet() == sockets) {
          done.put(round, System.nanoTime() - startedAt.get(round));
        }
      }));
    }
    waitUntil(() -> serverSide.size() >= sockets, 60);
    String payload = "x".repeat(300);
    for (int r = 0; r < rounds; r++) {
      int round = r;
      String frame = new JsonObject().put("type", "contribution").put("round", round).put("text", payload).encode();
      startedAt.put(round, System.nanoTime());
      vertx.runOnContext(v -> serverSide.forEach(s -> s.writeTextMessage(frame)));
      waitUntil(() -> done.containsKey(round), 10);
      Thread.sleep(100);
    }
    clients.forEach(WebSocket::close);
    await(bare.close());
    return new ArrayList<>(done.values());
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Latencies by the second in which each began: shows whether a tail is steady or comes in stalls. */
  static final class Timeline {
    private final List<long[]> spans = new CopyOnWriteArrayList<>();
    private volatile long origin;

    void start(long originNanos) {
      origin = originNanos;
    }

    void add(long beganNanos, long endedNanos) {
      spans.add(new long[] {beganNanos - origin, endedNanos - origin});
    }

    double lastEndSeconds() {
      return spans.stream().mapToLong(a -> a[1]).max().orElse(0) / 1e9;
    }

    List<Long> latencies(int fromSecond, int toSecond) {
      return spans.stream().filter(a -> a[0] >= fromSecond * 1_000_000_000L && a[0] < toSecond * 1_000_000_000L)
          .map(a -> a[1] - a[0]).toList();
    }

    void print(String title) {
      Map<Long, List<Long>> bySecond = new java.util.TreeMap<>();
      for (long[] a : spans) {
        bySecond.computeIfAbsent(a[0] / 1_000_000_000L, k -> new ArrayList<>()).add(a[1] - a[0]);
      }
      System.out.println();
      System.out.println(title);
      System.out.println("| second | count | p50 ms | p99 ms | max ms |");
      System.out.println("|---:|---:|---:|---:|---:|");
      bySecond.forEach((second, nanos) -> System.out.printf("| %d | %d | %.1f | %.1f | %.1f |%n", second, nanos.size(),
          pct(nanos, 50), pct(nanos, 99), pct(nanos, 100)));
    }
  }

  private static void row(String name, List<Long> nanos, double rate) {
    if (nanos.isEmpty()) {
      System.out.printf("| %s | 0 | - | - | - | - | |%n", name);
      return;
    }
    System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.1f | %s |%n", name, nanos.size(), pct(nanos, 50), pct(nanos, 95), pct(nanos, 99),
        pct(nanos, 100), rate > 0 ? String.format("%.0f", rate) : "");
  }

  static double pct(List<Long> nanos, double p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return -1;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
