package org.chorus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.chorus.app.ChorusServer;
import org.chorus.support.ReportSeed;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.chorus.support.Blocking.await;

/**
 * Exports N published contributions (default 100,000) as CSV and as JSON over HTTP from a node on a fresh
 * embedded PostgreSQL, reading the download as a stream (nothing kept), and prints time, size and the
 * heap while it runs (sampled every 5 ms; server and client share the JVM).
 *
 * <pre>mvn -q -Pbench test-compile exec:java -Dexec.mainClass=org.chorus.bench.ReportBench [-Dexec.args="--contributions 100000"]</pre>
 */
public final class ReportBench {
  public static void main(String[] args) throws Exception {
    int contributions = args.length >= 2 && args[0].equals("--contributions") ? Integer.parseInt(args[1]) : 100_000;
    Vertx vertx = Vertx.vertx();
    ChorusServer server = BenchServer.start(vertx);
    try {
      WebClient web = WebClient.create(vertx);
      String token = await(web.post(server.port(), "127.0.0.1", "/api/auth/login")
          .sendJsonObject(new JsonObject().put("username", "admin").put("password", BenchServer.STAFF_PASSWORD))).bodyAsJsonObject().getString("token");
      JsonObject dialogue = await(web.post(server.port(), "127.0.0.1", "/api/dialogues").putHeader("Authorization", "Bearer " + token)
          .sendJsonObject(new JsonObject().put("title", "Bench consultation").put("prompts", new JsonArray().add("What makes you feel safe?"))
              .put("languages", new JsonArray().add("en")).put("capacity", 100_000))).bodyAsJsonObject();
      String id = dialogue.getString("id");
      long t0 = System.nanoTime();
      await(ReportSeed.seed(server.database().pool(), UUID.fromString(id), dialogue.getJsonArray("prompts").getJsonObject(0).getLong("id"),
          Math.max(100, contributions / 5), contributions, new String[] {"KE", "BR", "IN", "FR", "EG", "CN", "MX", "NG", "PH", "RU"},
          new String[] {"sw", "pt", "hi", "fr", "ar", "zh", "es", "en", "en", "ru"}), 600);
      System.out.printf("seeded %,d contributions in %.1f s; %s %s, %d cores%n", contributions, (System.nanoTime() - t0) / 1e9,
          System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
      HttpClient http = vertx.createHttpClient(new HttpClientOptions().setDefaultPort(server.port()).setDefaultHost("127.0.0.1"));
      System.out.println("\n| export | rows | MB | seconds | rows/s | heap before MB | peak heap during MB |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|");
      for (int round = 0; round < 2; round++) {
        for (String format : new String[] {"csv", "json"}) {
          run(http, token, id, format, contributions, round == 1);
        }
      }
    } finally {
      BenchServer.stopAndDelete(server);
      await(vertx.close());
    }
  }

  private static void run(HttpClient http, String token, String id, String format, int rows, boolean print) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.start();
    AtomicLong bytes = new AtomicLong();
    long t0 = System.nanoTime();
    int status = await(http.request(new RequestOptions().setMethod(HttpMethod.GET).setURI("/api/report/export." + format + "?dialogues=" + id)
            .putHeader("Authorization", "Bearer " + token))
        .compose(req -> req.send())
        .compose(res -> {
          res.handler(b -> bytes.addAndGet(b.length()));
          return res.end().map(v -> res.statusCode());
        }), 600);
    double seconds = (System.nanoTime() - t0) / 1e9;
    sampler.interrupt();
    if (status != 200) {
      throw new IllegalStateException("export answered " + status);
    }
    if (print) {
      System.out.printf("| %s | %,d | %.1f | %.2f | %,.0f | %d | %d |%n", format.toUpperCase(), rows, bytes.get() / 1e6, seconds, rows / seconds,
          before / (1024 * 1024), peak.get() / (1024 * 1024));
    }
  }
}
