package org.chorus.live;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.Principal;
import org.chorus.contribution.Contribution;
import org.chorus.dialogue.Dialogue;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/**
 * What facilitators (and staff) can do in a room they moderate: decide on contributions, move the prompt,
 * acknowledge alerts, slow the room down, mute or remove a child. The scope was checked at hello.
 */
final class ModeratorCommands {
  private static final Logger LOG = LoggerFactory.getLogger(ModeratorCommands.class);
  static final Set<String> TYPES = Set.of("approve", "reject", "remove", "set_prompt", "next_prompt", "ack_alert", "mute",
      "slow_mode", "remove_participant");

  private final LiveServices services;
  private final Session session;

  ModeratorCommands(LiveServices services, Session session) {
    this.services = services;
    this.session = session;
  }

  Future<?> handle(String type, JsonObject msg, Object ref) {
    Principal me = session.principal();
    if (!me.role().moderates()) {
      throw ApiError.forbidden("only facilitators can do that");
    }
    Dialogue room = session.room();
    var dialogues = services.dialogues();
    return switch (type) {
      case "approve", "reject", "remove" -> decide(type, msg, ref);
      case "set_prompt" -> movePrompt(Fields.requiredLong(msg, "promptId"), ref);
      case "next_prompt" -> movePrompt(nextPrompt(room).id(), ref);
      case "ack_alert" -> {
        long id = Fields.requiredLong(msg, "contributionId");
        yield services.alerts().acknowledge(room.id(), id, me.id(), me.name())
            .onSuccess(v -> done(ref, "ack_alert", new JsonObject().put("contributionId", id)));
      }
      case "slow_mode" -> dialogues.setSlowMode(room.id(), Fields.clampedInt(Fields.requiredLong(msg, "seconds")))
          .onSuccess(e -> done(ref, "slow_mode", e));
      case "mute" -> {
        UUID child = Fields.requiredUuid(msg, "participantId");
        Long minutes = Fields.optionalLong(msg, "minutes");
        yield dialogues.mute(room.id(), child, minutes == null ? 10 : Fields.clampedInt(minutes), me.id(), Fields.optionalText(msg, "reason"))
            .onSuccess(e -> done(ref, "mute", e));
      }
      case "remove_participant" -> {
        UUID child = Fields.requiredUuid(msg, "participantId");
        yield dialogues.removeParticipant(room.id(), child, me.id(), Fields.optionalText(msg, "reason"))
            .compose(e -> revokeEveryToken(child).map(e))
            .onSuccess(e -> done(ref, "remove_participant", e));
      }
      default -> throw ApiError.badRequest("unknown_type", "unknown message type '" + type + "'");
    };
  }

  /**
   * Only after the removal succeeded in this room (so a facilitator cannot revoke a child of another room).
   * Should the deny-list not be written, the removal still stands: the participant row refuses the child's
   * hello on every node, and this node already refuses its token.
   */
  private Future<Void> revokeEveryToken(UUID child) {
    var tokens = services.tokens();
    return tokens.revocation().revokeSubject(child, Instant.now().plus(tokens.childTokenLifetime()))
        .recover(err -> {
          LOG.warn("a removed child's tokens could not be put on the shared deny-list: {}", err.toString());
          return Future.succeededFuture();
        });
  }

  private Future<?> decide(String action, JsonObject msg, Object ref) {
    long id = Fields.requiredLong(msg, "contributionId");
    String reason = Fields.optionalString(msg, "reason");
    String edit = Fields.optionalString(msg, "text");
    UUID room = session.room().id();
    UUID me = session.principal().id();
    var contributions = services.contributions();
    Future<Contribution> work = switch (action) {
      case "approve" -> edit == null ? contributions.approve(room, id, me) : contributions.approveWithEdit(room, id, me, edit);
      case "reject" -> contributions.reject(room, id, me, reason);
      default -> contributions.remove(room, id, me, reason);
    };
    return work.onSuccess(c -> done(ref, action, new JsonObject().put("contributionId", id).put("status", c.status().wire())));
  }

  private static Dialogue.Prompt nextPrompt(Dialogue room) {
    int position = room.currentPrompt().map(Dialogue.Prompt::position).orElse(0);
    return room.prompts().stream().filter(p -> p.position() == position + 1).findFirst()
        .orElseThrow(() -> ApiError.conflict("no_more_prompts", "this is the last prompt"));
  }

  private Future<?> movePrompt(long promptId, Object ref) {
    return services.dialogues().setCurrentPrompt(session.room(), promptId)
        .onSuccess(p -> done(ref, "set_prompt", new JsonObject().put("promptId", p.id())));
  }

  private void done(Object ref, String action, JsonObject details) {
    session.send(details.copy().put("type", "done").put("ref", ref).put("action", action));
  }
}
