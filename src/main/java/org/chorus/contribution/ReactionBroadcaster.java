package org.chorus.contribution;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.chorus.live.RoomEvents;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sends a contribution's reaction counts to its room at most once per interval. Without it every "me too"
 * in a room of 1,000 children is a frame to each of them: 50 reactions to one message were 50,000 frames,
 * which starved acknowledgements under load (found with the load harness). Counts are absolute and only
 * grow, so sending the latest is enough; the child who reacted gets its own answer at once.
 */
public final class ReactionBroadcaster {
  private record Key(UUID dialogueId, long contributionId) {}

  private final EventBus bus;
  private final Map<Key, JsonObject> pending = new LinkedHashMap<>();

  public ReactionBroadcaster(EventBus bus) {
    this.bus = bus;
  }

  /** Sends what changed every {@code intervalMs}; returns the timer id. */
  public long watch(Vertx vertx, long intervalMs) {
    return vertx.setPeriodic(intervalMs, t -> flush());
  }

  /** Called from any event loop. */
  public synchronized void changed(UUID dialogueId, long contributionId, Map<String, Long> counts) {
    JsonObject json = new JsonObject();
    counts.forEach(json::put);
    pending.put(new Key(dialogueId, contributionId), json);
  }

  public void flush() {
    Map<Key, JsonObject> batch;
    synchronized (this) {
      if (pending.isEmpty()) {
        return;
      }
      batch = new LinkedHashMap<>(pending);
      pending.clear();
    }
    batch.forEach((key, counts) -> RoomEvents.publish(bus, key.dialogueId(), RoomEvents.REACTIONS,
        new JsonObject().put("contributionId", key.contributionId()).put("reactions", counts)));
  }
}
