package org.chorus.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

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
 * A Chorus node as its own operating-system process (the real {@code java … org.chorus.app.Main}), with
 * everything it writes — stdout and stderr, so every log line of every logger — going to one file
 * ({@link #output()}). Two ways to start it:
 * <ul>
 *   <li>{@link #launch}/{@link #start}: configured through {@code CHORUS_*} environment variables like a real
 *   deployment, on a data folder the test owns, so that a test can kill it with SIGKILL or cut the power
 *   ({@code faults.*}). Its embedded PostgreSQL is a further process, found through {@code postmaster.pid}
 *   in the data folder.</li>
 *   <li>{@link #startWithConfigFile}: a {@code --config} file and a log level for the whole JVM (slf4j-simple
 *   reads its level once per JVM, so debug logging for every logger needs a JVM of its own); port and data
 *   folder are chosen here and the folder is deleted on {@link #close()} ({@code privacy.LogPrivacyTest}).</li>
 * </ul>
 * Either way no {@code CHORUS_*} or {@code DATABASE_URL} variable of the test's own environment reaches the node.
 */
public final class ServerProcess implements AutoCloseable {
  public static final String JWT_SECRET = "fault-tests-jwt-secret-0123456789abcdef";

  private final Path dataDir;
  private final int port;
  private final Path log;
  private final Process process;
  /** A temporary folder this object created (config file, data, log) and deletes on close; null if the test owns the data folder. */
  private final Path ownDir;

  private ServerProcess(Path dataDir, int port, Path log, Process process, Path ownDir) {
    this.dataDir = dataDir;
    this.port = port;
    this.log = log;
    this.process = process;
    this.ownDir = ownDir;
  }

  /** Starts {@code Main} on {@code port} with {@code dataDir}; {@code env} adds or overrides CHORUS_* settings. Does not wait. */
  public static ServerProcess launch(Path dataDir, int port, Map<String, String> env) {
    try {
      Path log = Files.createTempFile("chorus-process-", ".log");
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
      return new ServerProcess(dataDir, port, log, spawn(List.of(), List.of(), settings, log), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code Main --config FILE} with {@code config} (merged over the defaults by the node) in a new temporary
   * folder, on a free port of 127.0.0.1 with {@code dataDir} in that folder (both set here, over {@code config}),
   * with every logger at {@code logLevel}; waits until /health answers 200.
   */
  public static ServerProcess startWithConfigFile(JsonObject config, String logLevel) {
    try {
      int port = freePort();
      Path dir = Files.createTempDirectory("chorus-process-");
      Path dataDir = dir.resolve("data");
      JsonObject written = config.copy().put("dataDir", dataDir.toString());
      written.put("http", written.getJsonObject("http", new JsonObject()).copy().put("port", port).put("host", "127.0.0.1"));
      Path configFile = Files.writeString(dir.resolve("chorus.json"), written.encode());
      Path log = dir.resolve("server.log");
      Process process = spawn(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel),
          List.of("--config", configFile.toString()), Map.of(), log);
      ServerProcess node = new ServerProcess(dataDir, port, log, process, dir);
      try {
        node.awaitHealthy(Duration.ofSeconds(120));
      } catch (RuntimeException | Error e) {
        node.close();
        throw e;
      }
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java [jvmArgs] org.chorus.app.Main [mainArgs]} with this test JVM's class path; all output to {@code log}. */
  private static Process spawn(List<String> jvmArgs, List<String> mainArgs, Map<String, String> env, Path log) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmArgs);
    command.addAll(List.of("-cp", classPath, "org.chorus.app.Main"));
    command.addAll(mainArgs);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("CHORUS_") || k.equals("DATABASE_URL"));
    environment.putAll(env);
    return builder.start();
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

  /** Stops the node the way an operator does (SIGTERM: its shutdown hook runs) and returns everything it wrote. */
  public String stopAndReadOutput() {
    stop(Duration.ofSeconds(60));
    return output();
  }

  private void stop(Duration wait) {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Stops the node the way an operator does (SIGTERM: the shutdown hook stops PostgreSQL too) and leaves no process
   * behind; deletes the log, and the temporary folder of {@link #startWithConfigFile}.
   */
  @Override
  public void close() {
    stop(Duration.ofSeconds(30));
    // An orphan left by a killed JVM: smart shutdown, as the next start would do.
    postmaster().ifPresent(pm -> {
      pm.destroy();
      pm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
    });
    if (ownDir != null) {
      TestServer.deleteTree(ownDir);
      return;
    }
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temporary file
    }
  }
}
