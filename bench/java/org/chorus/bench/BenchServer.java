package org.chorus.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ChorusServer;

import java.io.IOException;
import java.nio.file.Files;

import static org.chorus.support.Blocking.await;

/** A node for a bench: loopback, a free port, a fresh embedded PostgreSQL (durable, as in production), no sample data. */
final class BenchServer {
  static final String STAFF_PASSWORD = "bench-staff-password";

  private BenchServer() {}

  static ChorusServer start(Vertx vertx) throws IOException {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1"))
        .put("dataDir", Files.createTempDirectory("chorus-bench").toString())
        .put("auth", new JsonObject().put("initialStaffPassword", STAFF_PASSWORD))
        .put("sampleData", false);
    return await(ChorusServer.start(vertx, ChorusConfig.of(config)), 300);
  }
}
