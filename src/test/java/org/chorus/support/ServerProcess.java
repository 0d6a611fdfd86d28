package org.chorus.support;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A Chorus node as its own operating-system process ({@code java … org.chorus.app.Main}, configured through
 * the environment like a real deployment), so that a test can kill it with SIGKILL. Its embedded PostgreSQL
 * is a further process, found through {@code postmaster.pid} in the data folder. Output goes to a log file.
 */
public final class ServerProcess implements AutoCloseable {
  public static final String JWT_SECRET = "fault-tests-jwt-secret-0123456789abcdef";

  private final Path dataDir;
  private final int port;
  private final Path log;
  private final Process process;

  private ServerProcess(Path dataDir, int port, Path log, Process process) {
    this.dataDir = dataDir;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /** Starts {@code Main} on {@code port} with {@code dataDir}; {@code env} adds or overrides CHORUS_* settings. Does not wait. */
  public static ServerProcess launch(Path dataDir, int port, Map<String, String> env) {
    try {
      Path log = Files.createTempFile("chorus-process-", ".log");
      String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, "org.chorus.app.Main"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(k -> k.startsWith("CHORUS_") || k.equals("DATABASE_URL"));
      Map<String, String> settings = new HashMap<>(Map.of(
          "CHORUS_HTTP_HOST", "127.0.0.1",
          "CHORUS_HTTP_PORT", Integer.toString(port),
          "CHORUS_HTTP_INSTANCES", "2",
          "CHORUS_DATA_DIR", dataDir.toString(),
          "CHORUS_SAMPLE_DATA", "false",
          "CHORUS_AUTH_INITIAL_STAFF_PASSWORD", TestServer.STAFF_PASSWORD,
          "CHORUS_AUTH_JWT_SECRET", JWT_SECRET,
          "CHORUS_AUTH_PBKDF2_ITERATIONS", "20000",
          // the smallest language models: this node is about storage, not language
          "CHORUS_LANGUAGE_ACCURACY", "low",
          "CHORUS_LANGUAGE_DETECT", "en,fr"));
      settings.put("CHORUS_MODERATION_RULES_DIR", Path.of("moderation-rules").toAbsolutePath().toString());
      settings.putAll(env);
      environment.putAll(settings);
      return new ServerProcess(dataDir, port, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@link #launch} and wait until /health answers 200. */
  public static ServerProcess start(Path dataDir, int port, Map<String, String> env) {
    ServerProcess p = launch(dataDir, port, env);
    p.awaitHealthy(Duration.ofSeconds(120));
    return p;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void awaitHealthy(Duration wait) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the server exited with " + process.exitValue() + " before it was healthy:\n" + output());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      Blocking.sleep(200);
    }
    throw new AssertionError("the server was not healthy within " + wait + ":\n" + output());
  }

  /** Waits for the process to end by itself; its exit code. */
  public int awaitExit(Duration wait) {
    try {
      if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError("the server still runs after " + wait + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of the node's JVM only: its PostgreSQL keeps running, orphaned. */
  public void killJvm() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /**
   * A power cut as far as processes go: the JVM, the postmaster and every PostgreSQL backend get SIGKILL
   * together, so nothing shuts down cleanly (the operating system's page cache survives, unlike a real one).
   */
  public void powerCut() {
    List<ProcessHandle> victims = new ArrayList<>();
    victims.add(process.toHandle());
    postmaster().ifPresent(pm -> {
      victims.add(pm);
      pm.descendants().forEach(victims::add);
    });
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : victims) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("process " + p.pid() + " did not die", e);
      }
    }
  }

  /** The PostgreSQL server process of this data folder, if one runs. */
  public Optional<ProcessHandle> postmaster() {
    return postmasterPidLine(0).map(Long::parseLong).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
  }

  /** The port the embedded PostgreSQL listens on (line 4 of postmaster.pid). */
  public int databasePort() {
    return postmasterPidLine(3).map(Integer::parseInt).orElseThrow(() -> new AssertionError("no postmaster.pid in " + dataDir));
  }

  private Optional<String> postmasterPidLine(int index) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve("postgres/postmaster.pid"));
      return lines.size() > index ? Optional.of(lines.get(index).trim()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public Api api(Vertx vertx) {
    return new Api(vertx, port);
  }

  public int port() {
    return port;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops the node the way an operator does (SIGTERM: the shutdown hook stops PostgreSQL too) and leaves no process behind. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // An orphan left by a killed JVM: smart shutdown, as the next start would do.
    postmaster().ifPresent(pm -> {
      pm.destroy();
      pm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    });
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temporary file
    }
  }
}
