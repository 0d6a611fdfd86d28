package org.chorus.privacy;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Chorus node in a JVM of its own (the real {@code Main}), with every line it writes — stdout and stderr,
 * so every log line of every logger — going to one file the test reads afterwards. Its own JVM lets a test
 * turn on debug logging for the whole node, which slf4j-simple only reads once per JVM.
 */
final class ServerProcess implements AutoCloseable {
  final int port;
  final Path output;
  private final Path dir;
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServerProcess(int port, Path dir, Path output, Process process) {
    this.port = port;
    this.dir = dir;
    this.output = output;
    this.process = process;
  }

  /** Starts the node with {@code config} (merged over the defaults) and waits until /health is up. */
  static ServerProcess start(JsonObject config, String logLevel) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("chorus-process-");
    config.put("dataDir", dir.resolve("data").toString());
    config.put("http", config.getJsonObject("http", new JsonObject()).put("port", port).put("host", "127.0.0.1"));
    Path configFile = Files.writeString(dir.resolve("chorus.json"), config.encode());
    Path output = dir.resolve("server.log");
    Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + logLevel,
        "org.chorus.app.Main", "--config", configFile.toString()))
        .redirectErrorStream(true).redirectOutput(output.toFile()).start();
    ServerProcess server = new ServerProcess(port, dir, output, process);
    server.awaitHealthy(Duration.ofSeconds(120));
    return server;
  }

  private void awaitHealthy(Duration wait) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited: " + Files.readString(output));
      }
      try {
        if (call("GET", "/health", null, null).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the server did not become healthy: " + Files.readString(output));
  }

  HttpResponse<String> call(String method, String path, String token, JsonObject body) throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** The answer's JSON; fails unless the status is {@code status}. */
  JsonObject expect(int status, String method, String path, String token, JsonObject body) throws IOException, InterruptedException {
    HttpResponse<String> res = call(method, path, token, body);
    if (res.statusCode() != status) {
      throw new AssertionError(method + " " + path + ": expected " + status + " but got " + res.statusCode() + ": " + res.body());
    }
    return res.body().startsWith("{") ? new JsonObject(res.body()) : new JsonObject().put("raw", res.body());
  }

  /** Stops the node the way an operator does (its shutdown hook runs) and returns everything it wrote. */
  String stopAndReadOutput() throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return Files.readString(output);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    org.chorus.support.TestServer.deleteTree(dir);
  }
}
