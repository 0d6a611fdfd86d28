package org.chorus.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ClusterNode;
import org.chorus.db.EmbeddedDatabase;
import org.chorus.support.TestServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

import static org.chorus.support.Blocking.await;

/**
 * Two clustered nodes on loopback (two Vert.x instances, Hazelcast TCP/IP join) sharing one PostgreSQL, as
 * in docs/deploy.md; closes whatever is still running, then the database.
 */
final class TwoNodes implements AutoCloseable {
  static final String SECRET = "cluster-test-secret-0123456789-abcdefghij";

  private final Path dbDir;
  private final EmbeddedDatabase db;
  TestServer a;
  TestServer b;

  private TwoNodes(Path dbDir, EmbeddedDatabase db) {
    this.dbDir = dbDir;
    this.db = db;
  }

  /** {@code tweak} adds settings of the test's own to both nodes. */
  static TwoNodes start(Consumer<JsonObject> tweak) throws IOException {
    Path dbDir = Files.createTempDirectory("chorus-shared-db-");
    TwoNodes nodes = new TwoNodes(dbDir, EmbeddedDatabase.start(dbDir));
    try {
      String url = "postgresql://postgres@localhost:" + nodes.db.port() + "/postgres";
      int portA = freePort();
      int portB = freePort();
      String name = "chorus-test-" + UUID.randomUUID();
      Consumer<JsonObject> nodeA = node(url, name, portA, portA, portB).andThen(tweak);
      Consumer<JsonObject> nodeB = node(url, name, portB, portA, portB).andThen(tweak);
      var vertxA = ClusterNode.vertx(config(nodeA));
      var vertxB = ClusterNode.vertx(config(nodeB));
      nodes.a = TestServer.startOn(await(vertxA, 120), nodeA);
      nodes.b = TestServer.startOn(await(vertxB, 120), nodeB);
      return nodes;
    } catch (RuntimeException | IOException e) {
      nodes.close();
      throw e;
    }
  }

  /** Stops node A, as an operator or a crash would; its children must carry on on B. */
  void stopA() {
    a.close();
    a = null;
  }

  @Override
  public void close() {
    try {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
    } finally {
      db.close();
      TestServer.deleteTree(dbDir);
    }
  }

  static ChorusConfig config(Consumer<JsonObject> tweak) {
    JsonObject overrides = TestServer.baseConfig(Path.of("unused"));
    tweak.accept(overrides);
    return ChorusConfig.of(overrides);
  }

  static Consumer<JsonObject> node(String url, String name, int port, int portA, int portB) {
    return c -> {
      c.put("database", new JsonObject().put("url", url));
      c.getJsonObject("auth").put("jwtSecret", SECRET);
      c.put("cluster", new JsonObject().put("enabled", true).put("name", name).put("host", "127.0.0.1").put("port", port)
          .put("members", new JsonArray().add("127.0.0.1:" + portA).add("127.0.0.1:" + portB)));
    };
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
