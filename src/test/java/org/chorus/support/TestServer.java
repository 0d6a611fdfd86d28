package org.chorus.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ChorusServer;
import org.chorus.language.LanguageDetection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import static org.chorus.support.Blocking.await;

/**
 * A real Chorus node on a free port with its own embedded PostgreSQL in a temporary data folder.
 * {@link #shared()} is one node for the whole test JVM (tests use their own dialogues on it).
 */
public final class TestServer implements AutoCloseable {
  public static final String STAFF_USER = "admin";
  public static final String STAFF_PASSWORD = "test-staff-password";
  /** Sent on every test request: the privacy test asserts it is stored nowhere. */
  public static final String USER_AGENT = "ChorusTestAgent/9.9 (privacy-probe)";

  private static TestServer shared;

  public final Vertx vertx;
  public final Path dataDir;
  public final JsonObject overrides;
  private ChorusServer server;
  private boolean ownsDataDir;

  private TestServer(Vertx vertx, Path dataDir, JsonObject overrides) {
    this.vertx = vertx;
    this.dataDir = dataDir;
    this.overrides = overrides;
  }

  public static synchronized TestServer shared() {
    if (shared == null) {
      shared = start(o -> {});
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A node of its own; {@code tweak} adjusts the configuration (same shape as chorus-defaults.json). */
  public static TestServer start(Consumer<JsonObject> tweak) {
    try {
      TestServer t = start(Files.createTempDirectory("chorus-test-"), tweak);
      t.ownsDataDir = true;
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static TestServer start(Path dataDir, Consumer<JsonObject> tweak) {
    JsonObject overrides = baseConfig(dataDir);
    tweak.accept(overrides);
    TestServer t = new TestServer(Vertx.vertx(), dataDir, overrides);
    t.server = await(ChorusServer.start(t.vertx, ChorusConfig.of(overrides)));
    return t;
  }

  /** A node on a given (e.g. clustered) Vert.x; closing it closes that Vert.x too. */
  public static TestServer startOn(Vertx vertx, Consumer<JsonObject> tweak) {
    try {
      Path dataDir = Files.createTempDirectory("chorus-node-");
      JsonObject overrides = baseConfig(dataDir);
      tweak.accept(overrides);
      TestServer t = new TestServer(vertx, dataDir, overrides);
      t.ownsDataDir = true;
      t.server = await(ChorusServer.start(vertx, ChorusConfig.of(overrides)), 120);
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A node of its own whose language detector comes from {@code languageLoader} (run on a worker; may block). */
  public static TestServer startWithLanguageLoader(Callable<LanguageDetection> languageLoader) {
    try {
      Path dataDir = Files.createTempDirectory("chorus-test-");
      TestServer t = new TestServer(Vertx.vertx(), dataDir, baseConfig(dataDir));
      t.ownsDataDir = true;
      t.server = await(ChorusServer.start(t.vertx, ChorusConfig.of(t.overrides), languageLoader));
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject baseConfig(Path dataDir) {
    return new JsonObject()
        .put("http", new JsonObject().put("port", 0).put("host", "127.0.0.1").put("instances", 2))
        .put("dataDir", dataDir.toString())
        .put("auth", new JsonObject().put("initialStaffPassword", STAFF_PASSWORD).put("pbkdf2Iterations", 20000))
        .put("sampleData", false);
  }

  /** Stops this node and starts a new one on the same data folder and configuration. */
  public TestServer restart() {
    await(server.stop());
    server = await(ChorusServer.start(vertx, ChorusConfig.of(overrides)));
    return this;
  }

  public ChorusServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public Api api() {
    return new Api(vertx, port());
  }

  public LiveClient live() {
    return LiveClient.connect(vertx, port(), null);
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      try {
        await(server.stop());
      } catch (RuntimeException ignored) {
        // already stopped (a test may stop the database underneath)
      }
      server = null;
      await(vertx.close());
      if (ownsDataDir) {
        deleteTree(dataDir);
      }
    }
  }

  /** Each embedded database is ~40 MB: a test run must not fill the disk. */
  public static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temporary folder
    }
  }
}
