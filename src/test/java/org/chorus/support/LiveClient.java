package org.chorus.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.chorus.support.Blocking.await;

/** A real WebSocket client of the live room; frames are collected and awaited from the test thread. */
public final class LiveClient implements AutoCloseable {
  private static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger REFS = new AtomicInteger();

  private final WebSocketClient client;
  private final WebSocket ws;
  private final List<JsonObject> unread = new ArrayList<>();
  private final List<JsonObject> all = new ArrayList<>();
  private volatile boolean closed;
  private volatile Short closeStatus;

  private LiveClient(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(text -> {
      synchronized (this) {
        JsonObject frame = new JsonObject(text);
        unread.add(frame);
        all.add(frame);
        notifyAll();
      }
    });
    ws.closeHandler(v -> {
      synchronized (this) {
        closed = true;
        closeStatus = ws.closeStatusCode();
        notifyAll();
      }
    });
  }

  public static LiveClient connect(Vertx vertx, int port, String origin) {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(1000));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live")
        .addHeader("User-Agent", TestServer.USER_AGENT);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    return new LiveClient(client, await(client.connect(options)));
  }

  public static String nextRef() {
    return "r" + REFS.incrementAndGet();
  }

  public LiveClient send(JsonObject frame) {
    await(ws.writeTextMessage(frame.encode()));
    return this;
  }

  public LiveClient sendRaw(String text) {
    await(ws.writeTextMessage(text));
    return this;
  }

  public LiveClient sendBinary(byte[] bytes) {
    await(ws.writeBinaryMessage(Buffer.buffer(bytes)));
    return this;
  }

  /** Sends a request with a fresh ref and returns the first answer frame carrying that ref. */
  public JsonObject request(JsonObject frame) {
    String ref = nextRef();
    send(frame.copy().put("ref", ref));
    return next(f -> ref.equals(f.getValue("ref")), DEFAULT_WAIT);
  }

  /** hello → welcome (or the error frame). */
  public JsonObject hello(String token, String dialogueId) {
    JsonObject hello = new JsonObject().put("type", "hello").put("token", token);
    if (dialogueId != null) {
      hello.put("dialogueId", dialogueId);
    }
    return request(hello);
  }

  public JsonObject next(String type) {
    return next(f -> type.equals(f.getString("type")), DEFAULT_WAIT);
  }

  /** The first unread frame matching, consumed; fails after {@code wait}. */
  public synchronized JsonObject next(Predicate<JsonObject> match, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (int i = 0; i < unread.size(); i++) {
        if (match.test(unread.get(i))) {
          return unread.remove(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no matching frame within " + wait + "; unread: " + unread);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Asserts that no matching frame arrives within {@code wait}. */
  public synchronized void assertNone(Predicate<JsonObject> match, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (JsonObject f : unread) {
        if (match.test(f)) {
          throw new AssertionError("unexpected frame " + f);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A contribution frame about contribution {@code id} with the given status. */
  public JsonObject awaitContribution(long id, String status) {
    return next(f -> "contribution".equals(f.getString("type"))
        && f.getJsonObject("contribution").getLong("id") == id
        && status.equals(f.getJsonObject("contribution").getString("status")), DEFAULT_WAIT).getJsonObject("contribution");
  }

  public synchronized boolean awaitClosed(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  public Short closeStatus() {
    return closeStatus;
  }

  public synchronized List<JsonObject> allFrames() {
    return List.copyOf(all);
  }

  @Override
  public void close() {
    if (!closed) {
      try {
        await(ws.close(), 5);
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    client.close();
  }
}
