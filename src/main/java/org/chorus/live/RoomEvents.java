package org.chorus.live;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The event-bus seam of a live room: one address per dialogue. Services publish what happened;
 * every node's {@link RoomHub} turns it into frames for its local sockets, filtered per role. In a
 * clustered deployment the same publish reaches every node.
 */
public final class RoomEvents {
  public static final String PREFIX = "chorus.room.";

  public static final String CONTRIBUTION = "contribution";
  public static final String PROMPT = "prompt";
  public static final String STATUS = "status";
  public static final String REACTIONS = "reactions";
  /** A safeguarding alert: for facilitators only, at once. */
  public static final String ALERT = "alert";
  public static final String ALERT_ACKNOWLEDGED = "alert_acknowledged";
  public static final String ALERT_ESCALATED = "alert_escalated";
  /** A child was muted, unmuted or removed by a facilitator. */
  public static final String PARTICIPANT = "participant";
  public static final String SLOW_MODE = "slow_mode";
  /**
   * An erased contribution travels as a {@code contribution} event with this status and {@code "erased": true}:
   * children who saw it drop it like a removed one, facilitators and the author see the flag (docs/privacy.md).
   */
  public static final String ERASED_STATUS = "removed";
  /** A staff member edited the dialogue; the data is its full JSON. */
  public static final String DIALOGUE = "dialogue";

  private RoomEvents() {}

  public static String address(UUID dialogueId) {
    return PREFIX + dialogueId;
  }

  public static void publish(EventBus bus, UUID dialogueId, String event, JsonObject payload) {
    bus.publish(address(dialogueId), new JsonObject().put("event", event).put("data", payload));
  }
}
