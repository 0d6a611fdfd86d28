package org.chorus.support;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A child that writes as fast as its acknowledgements come back, with the outbox of the browser client
 * (webroot/js/room.js): every contribution keeps its clientId until it is acknowledged, an
 * {@code unavailable} or {@code rate_limited} answer keeps it in the outbox, and after a reconnect
 * everything unacknowledged is sent again with the same clientId. All state changes happen on one
 * Vert.x context; the test reads it through the synchronised accessors.
 */
public final class OutboxChild {
  private static final long RETRY_MS = 250;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final String name;
  private final String token;
  private final LinkedHashMap<String, String> outbox = new LinkedHashMap<>(); // clientId → text, unacknowledged
  private final Map<String, Long> acked = new LinkedHashMap<>();            // clientId → contribution id
  private final Set<String> sent = new HashSet<>();
  private final Set<String> duplicateAcks = new HashSet<>();
  private final List<String> otherRefusals = new ArrayList<>();
  private WebSocket ws;
  private boolean writing;
  private int written;
  private Promise<Void> emptied;
  private long lastAckNanos;
  private int unavailableAnswers;

  public OutboxChild(Vertx vertx, WebSocketClient client, String name, String token) {
    this.vertx = vertx;
    this.client = client;
    this.name = name;
    this.token = token;
  }

  /** Opens the live socket and says hello; completes on welcome, after which the outbox is sent again. */
  public Future<Void> connect(int port) {
    Promise<Void> welcomed = Promise.promise();
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live")
        .addHeader("User-Agent", TestServer.USER_AGENT);
    client.connect(options).onFailure(welcomed::tryFail).onSuccess(socket -> {
      synchronized (this) {
        ws = socket;
      }
      socket.textMessageHandler(text -> onFrame(socket, new JsonObject(text), welcomed));
      socket.closeHandler(v -> {
        synchronized (this) {
          if (ws == socket) {
            ws = null;
          }
        }
        welcomed.tryFail("closed before welcome");
      });
      socket.writeTextMessage(new JsonObject().put("type", "hello").put("token", token).put("ref", "hello").encode());
    });
    return welcomed.future();
  }

  private void onFrame(WebSocket socket, JsonObject frame, Promise<Void> welcomed) {
    String type = frame.getString("type");
    if ("welcome".equals(type)) {
      welcomed.tryComplete();
      resendOutbox();
      if (writing) {
        writeNext();
      }
    } else if ("error".equals(type) && "hello".equals(frame.getValue("ref"))) {
      welcomed.tryFail(frame.getString("code"));
      socket.close();
    } else if ("ack".equals(type)) {
      onAck(frame);
    } else if ("error".equals(type) && frame.getValue("ref") instanceof String clientId) {
      onRefused(clientId, frame.getString("code"));
    }
  }

  private synchronized void onAck(JsonObject ack) {
    String clientId = ack.getString("clientId");
    lastAckNanos = System.nanoTime();
    if (outbox.remove(clientId) != null) {
      acked.put(clientId, ack.getLong("id"));
      if (ack.getBoolean("duplicate", false)) {
        duplicateAcks.add(clientId);
      }
    }
    if (writing) {
      writeNext();
    }
    if (outbox.isEmpty() && emptied != null) {
      emptied.tryComplete();
    }
  }

  /** The answers after which the browser keeps the message and tries again by itself; others are recorded for the test. */
  private void onRefused(String clientId, String code) {
    if (!"unavailable".equals(code) && !"rate_limited".equals(code)) {
      synchronized (this) {
        otherRefusals.add(clientId + ": " + code);
      }
      return;
    }
    synchronized (this) {
      unavailableAnswers += "unavailable".equals(code) ? 1 : 0;
    }
    vertx.setTimer(RETRY_MS, t -> resend(clientId));
  }

  /** Keeps writing new contributions, one at a time, each as soon as the previous one is acknowledged. */
  public synchronized void startWriting() {
    writing = true;
    if (outbox.isEmpty()) {
      writeNext();
    }
  }

  public synchronized void stopWriting() {
    writing = false;
  }

  private synchronized void writeNext() {
    if (ws == null || !outbox.isEmpty()) {
      return;
    }
    written++;
    String clientId = name + "-" + written;
    outbox.put(clientId, "Idea " + written + " from " + name + ": more time outside, and teachers who listen to us");
    send(clientId);
  }

  private synchronized void resend(String clientId) {
    if (outbox.containsKey(clientId)) {
      send(clientId);
    }
  }

  private synchronized void resendOutbox() {
    outbox.keySet().forEach(this::send);
  }

  private synchronized void send(String clientId) {
    if (ws == null) {
      return; // sent again after the next welcome
    }
    sent.add(clientId);
    ws.writeTextMessage(new JsonObject().put("type", "contribute").put("clientId", clientId)
        .put("text", outbox.get(clientId)).put("ref", clientId).encode());
  }

  /** Completes once everything in the outbox is acknowledged. */
  public synchronized Future<Void> outboxEmptied() {
    if (outbox.isEmpty()) {
      return Future.succeededFuture();
    }
    emptied = Promise.promise();
    return emptied.future();
  }

  public synchronized Set<String> sent() {
    return Set.copyOf(sent);
  }

  public synchronized Map<String, Long> acked() {
    return Map.copyOf(acked);
  }

  public synchronized Set<String> unacknowledged() {
    return Set.copyOf(outbox.keySet());
  }

  public synchronized Set<String> duplicateAcks() {
    return Set.copyOf(duplicateAcks);
  }

  /** Refusals the outbox does not retry (should be none in a fault test). */
  public synchronized List<String> otherRefusals() {
    return List.copyOf(otherRefusals);
  }

  public synchronized int unavailableAnswers() {
    return unavailableAnswers;
  }

  public synchronized long lastAckNanos() {
    return lastAckNanos;
  }

  public synchronized boolean connected() {
    return ws != null;
  }

  public Future<Void> disconnect() {
    WebSocket socket;
    synchronized (this) {
      socket = ws;
      ws = null;
    }
    return socket == null ? Future.succeededFuture() : socket.close().otherwiseEmpty();
  }
}
