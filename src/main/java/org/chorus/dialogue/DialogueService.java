package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.AccountStore;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.live.RoomEvents;
import org.chorus.web.ApiError;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Staff manage dialogues; staff and assigned facilitators see them. */
public final class DialogueService {
  private final DialogueStore dialogues;
  private final ParticipantStore participants;
  private final AccountStore accounts;
  private final DialogueStatistics statistics;
  private final EventBus bus;

  static final int MAX_PARTICIPANTS_LISTED = 5000;

  public DialogueService(DialogueStore dialogues, ParticipantStore participants, DialogueStatistics statistics,
                         AccountStore accounts, EventBus bus) {
    this.dialogues = dialogues;
    this.statistics = statistics;
    this.participants = participants;
    this.accounts = accounts;
    this.bus = bus;
  }

  public Future<JsonObject> create(Principal staff, JsonObject body) {
    return parse(body).compose(request -> dialogues.create(request, staff.id())).map(Dialogue::fullJson);
  }

  /** The validated request, or a failed future with the 400 naming the field. */
  private static Future<DialogueStore.NewDialogue> parse(JsonObject body) {
    try {
      return Future.succeededFuture(DialogueRequest.parse(body, Instant.now()));
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A staff member edits a dialogue (same body as create). Prompts the children have already been
   * asked stay as they were; the room hears the new settings at once.
   */
  public Future<JsonObject> update(UUID dialogueId, JsonObject body) {
    return parse(body).compose(request -> dialogues.update(dialogueId, request))
        .recover(err -> Future.failedFuture(err instanceof DialogueStore.EditRefused refused
            ? ApiError.conflict("prompts_in_use", "the first " + refused.fixedPrompts
                + " prompt(s) have already been asked; keep them first and unchanged, edit or add the ones after")
            : err))
        .compose(found -> found.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(ApiError.notFound("dialogue_not_found", "no such dialogue"))))
        .map(d -> {
          RoomEvents.publish(bus, dialogueId, RoomEvents.DIALOGUE, d.fullJson());
          return d.fullJson();
        });
  }

  /** Live counts (participants, contributions by state and language, open alerts) for staff and its facilitators. */
  public Future<JsonObject> stats(Principal p, UUID dialogueId) {
    return requireModerator(p, dialogueId).compose(d -> statistics.counts(dialogueId));
  }

  /** The participant list of the facilitator's console. */
  public Future<JsonObject> participants(Principal p, UUID dialogueId) {
    return requireModerator(p, dialogueId).compose(d -> statistics.participants(dialogueId, MAX_PARTICIPANTS_LISTED))
        .map(list -> new JsonObject().put("participants", list));
  }

  public Future<JsonObject> list(Principal p) {
    Future<List<Dialogue>> visible = p.is(Role.STAFF) ? dialogues.listAll() : dialogues.listAssigned(p.id());
    return visible.map(list -> new JsonObject().put("dialogues", new JsonArray(list.stream().map(Dialogue::fullJson).toList())));
  }

  /**
   * The dialogue if {@code p} may moderate it: staff any, a facilitator only when assigned. Unknown
   * ids are 404; a facilitator asking for a dialogue not assigned to them gets 403.
   */
  public Future<Dialogue> requireModerator(Principal p, UUID dialogueId) {
    if (!p.role().moderates()) {
      return Future.failedFuture(ApiError.forbidden("children cannot moderate"));
    }
    return dialogues.find(dialogueId).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(ApiError.notFound("dialogue_not_found", "no such dialogue"));
      }
      if (p.is(Role.STAFF)) {
        return Future.succeededFuture(found.get());
      }
      return dialogues.isAssigned(dialogueId, p.id()).compose(assigned -> assigned
          ? Future.succeededFuture(found.get())
          : Future.failedFuture(ApiError.forbidden("this dialogue is not assigned to you")));
    });
  }

  public Future<JsonObject> get(Principal p, UUID dialogueId) {
    return requireModerator(p, dialogueId).compose(d -> dialogues.facilitators(dialogueId).map(assigned ->
        d.fullJson().put("facilitators", new JsonArray(assigned.stream()
            .map(a -> new JsonObject().put("id", a.accountId().toString()).put("username", a.username()))
            .toList()))));
  }

  public Future<JsonObject> open(UUID dialogueId) {
    return require(dialogueId)
        .compose(d -> d.closesAt() != null && !d.closesAt().isAfter(Instant.now())
            ? Future.failedFuture(ApiError.conflict("dialogue_ended", "its closing time has passed"))
            : dialogues.open(dialogueId))
        .compose(v -> require(dialogueId))
        .map(d -> {
          RoomEvents.publish(bus, dialogueId, RoomEvents.STATUS, new JsonObject().put("status", d.status().wire()));
          return d.fullJson();
        });
  }

  public Future<JsonObject> close(UUID dialogueId) {
    return require(dialogueId)
        .compose(d -> dialogues.close(dialogueId))
        .compose(v -> require(dialogueId))
        .map(d -> {
          RoomEvents.publish(bus, dialogueId, RoomEvents.STATUS, new JsonObject().put("status", d.status().wire()));
          return d.fullJson();
        });
  }

  public Future<JsonObject> assign(UUID dialogueId, UUID accountId) {
    return require(dialogueId)
        .compose(d -> accounts.findById(accountId))
        .compose(account -> {
          if (account.isEmpty()) {
            return Future.failedFuture(ApiError.notFound("account_not_found", "no such account"));
          }
          if (account.get().role() != Role.FACILITATOR) {
            return Future.failedFuture(ApiError.badRequest("not_a_facilitator", "only facilitator accounts are assigned; staff moderate every dialogue"));
          }
          return dialogues.assign(dialogueId, accountId);
        })
        .map(v -> new JsonObject().put("dialogueId", dialogueId.toString()).put("accountId", accountId.toString()).put("assigned", true));
  }

  public Future<JsonObject> unassign(UUID dialogueId, UUID accountId) {
    return require(dialogueId)
        .compose(d -> dialogues.unassign(dialogueId, accountId))
        .compose(removed -> removed
            ? Future.succeededFuture(new JsonObject().put("dialogueId", dialogueId.toString()).put("accountId", accountId.toString()).put("assigned", false))
            : Future.failedFuture(ApiError.notFound("not_assigned", "that account is not assigned to this dialogue")));
  }

  /** The current prompt moves for everyone in the room. */
  public Future<Dialogue.Prompt> setCurrentPrompt(Dialogue dialogue, long promptId) {
    Dialogue.Prompt prompt = dialogue.prompt(promptId).orElse(null);
    if (prompt == null) {
      return Future.failedFuture(ApiError.badRequest("unknown_prompt", "that prompt is not part of this dialogue"));
    }
    return dialogues.setCurrentPrompt(dialogue.id(), promptId).map(ok -> {
      RoomEvents.publish(bus, dialogue.id(), RoomEvents.PROMPT, prompt.toJson());
      return prompt;
    });
  }

  static final int MAX_MUTE_MINUTES = 24 * 60;
  static final int MAX_SLOW_MODE_SECONDS = 600;

  /** Slow mode: every child of the room waits {@code seconds} between contributions (0 turns it off). */
  public Future<JsonObject> setSlowMode(UUID dialogueId, int seconds) {
    if (seconds < 0 || seconds > MAX_SLOW_MODE_SECONDS) {
      return Future.failedFuture(ApiError.badRequest("invalid_field", "seconds must be 0 (off) to " + MAX_SLOW_MODE_SECONDS));
    }
    return dialogues.setSlowMode(dialogueId, seconds).map(v -> {
      JsonObject event = new JsonObject().put("seconds", seconds);
      RoomEvents.publish(bus, dialogueId, RoomEvents.SLOW_MODE, event);
      return event;
    });
  }

  /** Mutes a child of the room for {@code minutes} (0 unmutes); every socket of the room hears it. */
  public Future<JsonObject> mute(UUID dialogueId, UUID participantId, int minutes, UUID by, String reason) {
    if (minutes < 0 || minutes > MAX_MUTE_MINUTES) {
      return Future.failedFuture(ApiError.badRequest("invalid_field", "minutes must be 0 (unmute) to " + MAX_MUTE_MINUTES));
    }
    return participants.mute(dialogueId, participantId, minutes, by, reason).compose(until -> until
        .map(u -> {
          JsonObject event = new JsonObject().put("participantId", participantId.toString()).put("removed", false)
              .put("mutedUntil", minutes == 0 ? null : u.toString());
          RoomEvents.publish(bus, dialogueId, RoomEvents.PARTICIPANT, event);
          return Future.succeededFuture(event);
        })
        .orElseGet(() -> Future.failedFuture(ApiError.notFound("participant_not_found", "no such child in this room"))));
  }

  /** Removes a child from the room: its sockets are closed and its token no longer enters. */
  public Future<JsonObject> removeParticipant(UUID dialogueId, UUID participantId, UUID by, String reason) {
    return participants.remove(dialogueId, participantId, by, reason).compose(removed -> {
      if (!removed) {
        return Future.failedFuture(ApiError.notFound("participant_not_found", "no such child in this room"));
      }
      JsonObject event = new JsonObject().put("participantId", participantId.toString()).put("removed", true);
      RoomEvents.publish(bus, dialogueId, RoomEvents.PARTICIPANT, event);
      return Future.succeededFuture(event);
    });
  }

  public Future<Dialogue> require(UUID dialogueId) {
    return dialogues.find(dialogueId).compose(found -> found
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiError.notFound("dialogue_not_found", "no such dialogue"))));
  }
}
