package org.chorus.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.Role;
import org.chorus.contribution.Contribution;
import org.chorus.dialogue.ParticipantStore.Participant;
import org.chorus.moderation.Rule;
import org.chorus.web.ApiError;

import java.time.Instant;
import java.util.List;

/**
 * What a child can do in a room: contribute (with the mute, slow-mode and repeat checks of this
 * connection) and react. One per connection, used on its event loop.
 */
final class ChildCommands {
  static final String HELP_MESSAGE = "Thank you for telling us. You are not alone. A facilitator has read your message and will"
      + " make sure you get help. You can also talk to someone now, for free:";

  private final LiveServices services;
  private final Session session;
  private final RepeatGuard repeats = new RepeatGuard();
  private Instant lastContribution; // for slow mode

  ChildCommands(LiveServices services, Session session) {
    this.services = services;
    this.session = session;
  }

  Future<?> handle(String type, JsonObject msg, Object ref) {
    if (!session.principal().is(Role.CHILD)) {
      throw ApiError.forbidden(type.equals("react") ? "only children react" : "only children contribute");
    }
    return type.equals("react") ? react(msg, ref) : contribute(msg, ref);
  }

  private Future<?> contribute(JsonObject msg, Object ref) {
    Participant child = session.participant();
    var room = session.room();
    Instant now = Instant.now();
    if (child.mutedAt(now)) {
      throw new ApiError(403, "muted", "a facilitator has paused your messages until " + child.mutedUntil()
          + "; you can still read and react");
    }
    String text = Fields.optionalString(msg, "text");
    Object clientIdValue = msg.getValue("clientId");
    String clientId = clientIdValue instanceof String s ? s : null;
    // The outbox resending something already stored is answered, never slowed down or called a repeat.
    boolean resend = clientId != null && repeats.isResend(clientId);
    if (!resend && lastContribution != null && room.slowModeSeconds() > 0) {
      long wait = lastContribution.plusSeconds(room.slowModeSeconds()).getEpochSecond() - now.getEpochSecond();
      if (wait > 0) {
        throw new ApiError(429, "slow_mode", "slow mode is on: please wait " + wait + " s before your next message", wait);
      }
    }
    if (!resend && text != null && clientId != null && repeats.isRepeat(text, clientId)) {
      throw ApiError.badRequest("repeated", "you already sent this; try saying it another way");
    }
    Long promptId = Fields.optionalLong(msg, "promptId");
    return services.contributions().submit(room, child, clientId, promptId, text).onSuccess(done -> {
      Contribution c = done.contribution();
      if (!done.duplicate()) {
        lastContribution = Instant.now();
        repeats.remember(text, c.clientId());
      }
      JsonObject ack = new JsonObject()
          .put("type", "ack")
          .put("ref", ref)
          .put("clientId", c.clientId())
          .put("id", c.id())
          .put("status", c.status().wire())
          .put("duplicate", done.duplicate());
      if (done.verdict() != null) {
        // Told kindly and privately: what was taken out, and whether a facilitator reads it first.
        ack.put("redacted", new JsonArray(List.copyOf(done.verdict().redactedLabels())))
            .put("held", done.verdict().needsFacilitator())
            .put("text", c.text());
      }
      session.send(ack);
      if (done.verdict() != null && done.verdict().action() == Rule.Action.ALERT) {
        session.send(new JsonObject().put("type", "help").put("contributionId", c.id()).put("message", HELP_MESSAGE)
            .put("helplines", room.helplines().copy()));
      }
    });
  }

  private Future<?> react(JsonObject msg, Object ref) {
    long id = Fields.requiredLong(msg, "contributionId");
    Object kind = msg.getValue("kind");
    return services.contributions().react(session.room().id(), id, session.participant().id(), kind instanceof String k ? k : null)
        .onSuccess(counts -> {
          JsonObject json = new JsonObject();
          counts.forEach(json::put);
          session.send(new JsonObject().put("type", "done").put("ref", ref).put("action", "react").put("contributionId", id)
              .put("kind", kind).put("reactions", json));
        });
  }
}
