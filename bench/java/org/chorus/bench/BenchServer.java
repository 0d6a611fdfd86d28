package org.chorus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ChorusServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.chorus.support.Blocking.await;

/** A node for a bench: loopback, a free port, a fresh embedded PostgreSQL (durable, as in production), no sample data. */
final class BenchServer {
  static final String STAFF_PASSWORD = "bench-staff-password";
  private static final java.util.Map<ChorusServer, Path> DATA = new java.util.concurrent.ConcurrentHashMap<>();

  private BenchServer() {}

  /** Stops the node and deletes its temporary data folder (a durable PostgreSQL of a bench run is 100–200 MB). */
  static void stopAndDelete(ChorusServer server) {
    Path data = DATA.remove(server);
    await(server.stop(), 120);
    if (data != null) {
      org.chorus.support.TestServer.deleteTree(data);
    }
  }

  static ChorusServer start(Vertx vertx) throws IOException {
    Path data = Files.createTempDirectory("chorus-bench");
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
        .put("dataDir", data.toString())
        .put("auth", new JsonObject().put("initialStaffPassword", STAFF_PASSWORD))
        .put("sampleData", false);
    ChorusServer server = await(ChorusServer.start(vertx, ChorusConfig.of(config)), 300);
    DATA.put(server, data);
    return server;
  }
}
