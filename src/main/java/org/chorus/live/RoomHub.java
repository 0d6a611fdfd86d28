package org.chorus.live;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import org.chorus.dialogue.Dialogue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The sockets of one HTTP verticle instance, grouped by room. The first local socket of a room
 * subscribes to the room's event-bus address, the last one to leave unsubscribes. Used from the
 * verticle's event loop only.
 */
final class RoomHub {
  private final Vertx vertx;
  private final Map<UUID, Room> rooms = new HashMap<>();

  private static final class Room {
    final Set<RoomConnection> connections = new LinkedHashSet<>();
    MessageConsumer<JsonObject> consumer;
    long closingTimer = -1;
  }

  RoomHub(Vertx vertx) {
    this.vertx = vertx;
  }

  void join(Dialogue dialogue, RoomConnection connection) {
    Room room = rooms.computeIfAbsent(dialogue.id(), id -> {
      Room r = new Room();
      r.consumer = vertx.eventBus().consumer(RoomEvents.address(id), msg -> deliver(id, msg.body()));
      r.closingTimer = closingTimer(dialogue);
      return r;
    });
    room.connections.add(connection);
  }

  void leave(UUID dialogueId, RoomConnection connection) {
    Room room = rooms.get(dialogueId);
    if (room == null) {
      return;
    }
    room.connections.remove(connection);
    if (room.connections.isEmpty()) {
      room.consumer.unregister();
      if (room.closingTimer >= 0) {
        vertx.cancelTimer(room.closingTimer);
      }
      rooms.remove(dialogueId);
    }
  }

  /** When the closing time passes, the room hears it like a staff "close" (the database refuses writes by then). */
  private long closingTimer(Dialogue dialogue) {
    if (dialogue.closesAt() == null) {
      return -1;
    }
    long delay = Duration.between(Instant.now(), dialogue.closesAt()).toMillis();
    if (delay <= 0) {
      return -1;
    }
    JsonObject closed = new JsonObject().put("event", RoomEvents.STATUS)
        .put("data", new JsonObject().put("status", Dialogue.Status.CLOSED.wire()));
    return vertx.setTimer(delay, t -> deliver(dialogue.id(), closed));
  }

  private void deliver(UUID dialogueId, JsonObject event) {
    Room room = rooms.get(dialogueId);
    if (room == null) {
      return;
    }
    // Copy: a delivery may close a too-slow socket, which leaves the room while we iterate.
    RoomConnection.PublicFrame shared = new RoomConnection.PublicFrame();
    for (RoomConnection c : room.connections.toArray(new RoomConnection[0])) {
      c.deliver(event, shared);
    }
  }
}
