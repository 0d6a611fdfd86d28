package org.chorus.live;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.AuthException;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.contribution.Contribution;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.ParticipantStore.Participant;
import org.chorus.moderation.Rule;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One WebSocket in a live room: parses frames, checks role and dialogue scope for every message
 * type, calls the services, and turns room events into frames for this viewer. The protocol is in
 * docs/protocol.md. Runs on its verticle's event loop.
 */
final class RoomConnection {
  private static final Logger LOG = LoggerFactory.getLogger(RoomConnection.class);

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final RoomHub hub;
  private final LiveServices services;
  private final LiveSettings settings;
  private final TokenBucket bucket;
  private long helloTimer;

  private boolean helloInProgress;
  private Principal principal;
  private Participant participant; // children only
  private Dialogue room;           // this socket's view of the dialogue, kept current by room events
  private Instant lastContribution; // for slow mode
  private final RepeatGuard spam = new RepeatGuard();

  RoomConnection(Vertx vertx, ServerWebSocket ws, RoomHub hub, LiveServices services) {
    this.vertx = vertx;
    this.ws = ws;
    this.hub = hub;
    this.services = services;
    this.settings = services.settings();
    this.bucket = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst());
    ws.setWriteQueueMaxSize(LiveSettings.MAX_OUTGOING_BYTES);
    ws.textMessageHandler(this::onText);
    ws.binaryMessageHandler(b -> sendError("text_only", "send JSON text frames, not binary frames", null));
    ws.exceptionHandler(err -> LOG.debug("socket error: {}", err.getMessage()));
    ws.closeHandler(v -> onClose());
    armHelloTimer();
  }

  /** A socket that does not say hello in time is closed: unauthenticated sockets must not pile up. */
  private void armHelloTimer() {
    helloTimer = vertx.setTimer(settings.helloTimeoutSeconds() * 1000L, id -> {
      if (principal == null) {
        sendError("hello_timeout", "send {\"type\":\"hello\",\"token\":…} first", null);
        ws.close((short) 1008, "hello timeout");
      }
    });
  }

  private void onClose() {
    vertx.cancelTimer(helloTimer);
    if (room != null) {
      hub.leave(room.id(), this);
    }
  }

  // ---- incoming -----------------------------------------------------------------------------

  private void onText(String text) {
    JsonObject msg;
    try {
      Object parsed = Json.decodeValue(text);
      if (!(parsed instanceof JsonObject obj)) {
        sendError("invalid_message", "a message is a JSON object with a \"type\"", null);
        return;
      }
      msg = obj;
    } catch (DecodeException e) {
      sendError("invalid_json", "the message is not valid JSON", null);
      return;
    }
    Object ref = msg.getValue("ref");
    if (ref != null && !(ref instanceof String s && s.length() <= 64) && !(ref instanceof Number)) {
      ref = null;
    }
    if (!bucket.tryTake()) {
      sendError("rate_limited", "too many messages; slow down (this one was not processed)", ref);
      return;
    }
    Object type = msg.getValue("type");
    if (!(type instanceof String t)) {
      sendError("missing_field", "the message needs a string \"type\"", ref);
      return;
    }
    try {
      dispatch(t, msg, ref);
    } catch (ApiError e) {
      sendError(e.code(), e.getMessage(), ref);
    }
  }

  private void dispatch(String type, JsonObject msg, Object ref) {
    if (type.equals("ping")) {
      send(new JsonObject().put("type", "pong").put("ref", ref));
      return;
    }
    if (type.equals("hello")) {
      hello(msg, ref);
      return;
    }
    if (principal == null) {
      throw new ApiError(401, "not_authenticated", "send hello with your token first");
    }
    if (!Instant.now().isBefore(principal.expiresAt())) {
      sendError("token_expired", "your session has expired; join again", ref);
      ws.close((short) 1008, "token expired");
      return;
    }
    Future<?> work = switch (type) {
      case "contribute" -> contribute(msg, ref);
      case "react" -> react(msg, ref);
      case "approve" -> decide(msg, ref, "approve");
      case "reject" -> decide(msg, ref, "reject");
      case "remove" -> decide(msg, ref, "remove");
      case "set_prompt" -> setPrompt(msg, ref);
      case "ack_alert" -> acknowledgeAlert(msg, ref);
      case "mute" -> mute(msg, ref);
      case "slow_mode" -> slowMode(msg, ref);
      case "remove_participant" -> removeParticipant(msg, ref);
      case "next_prompt" -> nextPrompt(ref);
      default -> throw ApiError.badRequest("unknown_type", "unknown message type '" + type + "'");
    };
    work.onFailure(err -> sendFailure(err, ref));
  }

  private void hello(JsonObject msg, Object ref) {
    if (principal != null || helloInProgress) {
      throw ApiError.badRequest("already_authenticated", "hello was already sent on this connection");
    }
    Object token = msg.getValue("token");
    if (!(token instanceof String tokenText)) {
      throw ApiError.badRequest("missing_field", "hello needs your token");
    }
    UUID requested = optionalUuid(msg, "dialogueId");
    helloInProgress = true;
    services.tokens().verify(tokenText)
        .compose(p -> p.is(Role.CHILD) ? childRoom(p, requested) : moderatorRoom(p, requested))
        .compose(this::enter)
        .onComplete(ar -> helloInProgress = false)
        .onSuccess(welcome -> send(welcome.put("ref", ref)))
        .onFailure(err -> sendFailure(err, ref));
  }

  private record Entry(Principal principal, Participant participant, Dialogue dialogue) {}

  private Future<Entry> childRoom(Principal p, UUID requested) {
    if (requested != null && !requested.equals(p.dialogueId())) {
      return Future.failedFuture(ApiError.forbidden("your token is for another dialogue"));
    }
    return services.participants().find(p.id()).compose(found -> {
      if (found.isEmpty() || !found.get().dialogueId().equals(p.dialogueId())) {
        return Future.failedFuture(ApiError.unauthorized("this token no longer belongs to a participant; join again"));
      }
      if (found.get().removed()) {
        return Future.failedFuture(new ApiError(403, "removed", "a facilitator has ended your part in this dialogue"));
      }
      return services.dialogues().require(p.dialogueId()).map(d -> new Entry(p, found.get(), d));
    });
  }

  private Future<Entry> moderatorRoom(Principal p, UUID requested) {
    if (requested == null) {
      return Future.failedFuture(ApiError.badRequest("missing_field", "hello needs the dialogueId you moderate"));
    }
    return services.dialogues().requireModerator(p, requested).map(d -> new Entry(p, null, d));
  }

  /** Joins the room first, then reads the snapshot: an event in between is at worst seen twice (ids dedupe). */
  private Future<JsonObject> enter(Entry entry) {
    if (ws.isClosed()) {
      return Future.failedFuture(new IllegalStateException("socket closed during hello"));
    }
    principal = entry.principal();
    participant = entry.participant();
    room = entry.dialogue();
    vertx.cancelTimer(helloTimer);
    hub.join(room, this);
    var contributions = services.contributions();
    Future<List<Contribution>> published = contributions.recentPublished(room.id(), settings.historyLimit());
    Future<List<Contribution>> own = participant != null
        ? contributions.byAuthor(participant.id(), settings.historyLimit())
        : contributions.queue(room.id(), settings.queueLimit());
    Future<Map<Long, List<String>>> reacted = participant == null ? Future.succeededFuture(Map.of())
        : published.compose(list -> contributions.reactedBy(participant.id(), list.stream().map(Contribution::id).toList()));
    return Future.all(published, own, reacted).recover(err -> {
      // No welcome without its snapshot: leave the room again so that a later hello starts clean.
      hub.leave(room.id(), this);
      principal = null;
      participant = null;
      room = null;
      armHelloTimer();
      return Future.failedFuture(err);
    }).map(all -> {
      JsonObject welcome = new JsonObject()
          .put("type", "welcome")
          .put("role", principal.role().wire())
          .put("dialogue", principal.role().moderates() ? room.fullJson() : room.publicJson())
          .put("currentPrompt", room.currentPrompt().map(Dialogue.Prompt::toJson).orElse(null))
          .put("contributions", views(published.result()))
          .put("limits", new JsonObject()
              .put("maxContributionChars", settings.maxContributionChars())
              .put("reactionKinds", new JsonArray(settings.reactionKinds())));
      if (participant != null) {
        welcome.put("you", new JsonObject().put("participantId", participant.id().toString()).put("nickname", participant.nickname()));
        welcome.put("mine", views(own.result()));
        JsonObject myReactions = new JsonObject();
        reacted.result().forEach((id, kinds) -> myReactions.put(Long.toString(id), new JsonArray(kinds)));
        welcome.put("myReactions", myReactions);
      } else {
        welcome.put("you", new JsonObject().put("accountId", principal.id().toString()).put("username", principal.name()));
        welcome.put("queue", views(own.result()));
      }
      return welcome;
    });
  }

  private Future<?> contribute(JsonObject msg, Object ref) {
    requireRole(Role.CHILD, "only children contribute");
    Instant now = Instant.now();
    if (participant.mutedAt(now)) {
      throw new ApiError(403, "muted", "a facilitator has paused your messages until " + participant.mutedUntil()
          + "; you can still read and react");
    }
    Object clientIdValue = msg.getValue("clientId");
    boolean resend = clientIdValue instanceof String id && spam.isResend(id);
    if (!resend && lastContribution != null && room.slowModeSeconds() > 0) {
      long wait = lastContribution.plusSeconds(room.slowModeSeconds()).getEpochSecond() - now.getEpochSecond();
      if (wait > 0) {
        throw new ApiError(429, "slow_mode", "slow mode is on: please wait " + wait + " s before your next message", wait);
      }
    }
    Object raw = msg.getValue("text");
    if (!resend && raw instanceof String s && clientIdValue instanceof String id && spam.isRepeat(s, id)) {
      throw ApiError.badRequest("repeated", "you already sent this; try saying it another way");
    }
    Object text = msg.getValue("text");
    if (text != null && !(text instanceof String)) {
      throw ApiError.badRequest("invalid_field", "text must be text");
    }
    Object clientId = msg.getValue("clientId");
    Long promptId = optionalLong(msg, "promptId");
    return services.contributions()
        .submit(room, participant, clientId instanceof String s ? s : null, promptId, text instanceof String t ? t : null)
        .onSuccess(done -> {
          Contribution c = done.contribution();
          if (!done.duplicate()) {
            lastContribution = Instant.now();
            spam.remember((String) msg.getValue("text"), c.clientId());
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
          send(ack);
          if (done.verdict() != null && done.verdict().action() == Rule.Action.ALERT) {
            send(new JsonObject().put("type", "help").put("contributionId", c.id())
                .put("message", "Thank you for telling us. You are not alone. A facilitator has read your message and will"
                    + " make sure you get help. You can also talk to someone now, for free:")
                .put("helplines", room.helplines().copy()));
          }
        });
  }

  private Future<?> react(JsonObject msg, Object ref) {
    requireRole(Role.CHILD, "only children react");
    long id = requiredLong(msg, "contributionId");
    Object kind = msg.getValue("kind");
    return services.contributions().react(room.id(), id, participant.id(), kind instanceof String k ? k : null)
        .onSuccess(counts -> {
          JsonObject json = new JsonObject();
          counts.forEach(json::put);
          send(new JsonObject().put("type", "done").put("ref", ref).put("action", "react").put("contributionId", id)
              .put("kind", kind).put("reactions", json));
        });
  }

  private Future<?> decide(JsonObject msg, Object ref, String action) {
    requireModerator();
    long id = requiredLong(msg, "contributionId");
    Object reason = msg.getValue("reason");
    if (reason != null && !(reason instanceof String)) {
      throw ApiError.badRequest("invalid_field", "reason must be text");
    }
    var contributions = services.contributions();
    Object edit = msg.getValue("text");
    if (edit != null && !(edit instanceof String)) {
      throw ApiError.badRequest("invalid_field", "text must be text");
    }
    Future<Contribution> work = switch (action) {
      case "approve" -> edit == null ? contributions.approve(room.id(), id, principal.id())
          : contributions.approveWithEdit(room.id(), id, principal.id(), (String) edit);
      case "reject" -> contributions.reject(room.id(), id, principal.id(), (String) reason);
      default -> contributions.remove(room.id(), id, principal.id(), (String) reason);
    };
    return work.onSuccess(c -> send(new JsonObject().put("type", "done").put("ref", ref).put("action", action)
        .put("contributionId", id).put("status", c.status().wire())));
  }

  private Future<?> slowMode(JsonObject msg, Object ref) {
    requireModerator();
    long seconds = requiredLong(msg, "seconds");
    return services.dialogues().setSlowMode(room.id(), (int) Math.max(-1, Math.min(Integer.MAX_VALUE, seconds)))
        .onSuccess(e -> send(e.copy().put("type", "done").put("ref", ref).put("action", "slow_mode")));
  }

  private Future<?> mute(JsonObject msg, Object ref) {
    requireModerator();
    UUID child = requiredUuid(msg, "participantId");
    Long minutes = optionalLong(msg, "minutes");
    return services.dialogues().mute(room.id(), child, minutes == null ? 10 : (int) Math.min(Integer.MAX_VALUE, Math.max(-1, minutes)),
            principal.id(), optionalText(msg, "reason"))
        .onSuccess(e -> send(e.copy().put("type", "done").put("ref", ref).put("action", "mute")));
  }

  private Future<?> removeParticipant(JsonObject msg, Object ref) {
    requireModerator();
    UUID child = requiredUuid(msg, "participantId");
    return services.dialogues().removeParticipant(room.id(), child, principal.id(), optionalText(msg, "reason"))
        .onSuccess(e -> send(e.copy().put("type", "done").put("ref", ref).put("action", "remove_participant")));
  }

  private Future<?> acknowledgeAlert(JsonObject msg, Object ref) {
    requireModerator();
    long id = requiredLong(msg, "contributionId");
    return services.alerts().acknowledge(room.id(), id, principal.id(), principal.name())
        .onSuccess(v -> send(new JsonObject().put("type", "done").put("ref", ref).put("action", "ack_alert").put("contributionId", id)));
  }

  private Future<?> setPrompt(JsonObject msg, Object ref) {
    requireModerator();
    return movePrompt(requiredLong(msg, "promptId"), ref);
  }

  private Future<?> nextPrompt(Object ref) {
    requireModerator();
    int position = room.currentPrompt().map(Dialogue.Prompt::position).orElse(0);
    Dialogue.Prompt next = room.prompts().stream().filter(p -> p.position() == position + 1).findFirst()
        .orElseThrow(() -> ApiError.conflict("no_more_prompts", "this is the last prompt"));
    return movePrompt(next.id(), ref);
  }

  private Future<?> movePrompt(long promptId, Object ref) {
    return services.dialogues().setCurrentPrompt(room, promptId)
        .onSuccess(p -> send(new JsonObject().put("type", "done").put("ref", ref).put("action", "set_prompt").put("promptId", p.id())));
  }

  // ---- outgoing -----------------------------------------------------------------------------

  /** A room event, as this viewer may see it. */
  void deliver(JsonObject event) {
    String kind = event.getString("event");
    JsonObject data = event.getJsonObject("data");
    switch (kind) {
      case RoomEvents.CONTRIBUTION -> {
        JsonObject view = view(data);
        if (view != null) {
          send(new JsonObject().put("type", "contribution").put("contribution", view));
        }
      }
      case RoomEvents.PROMPT -> {
        room = room.withCurrentPrompt(data.getLong("id"));
        send(new JsonObject().put("type", "prompt").put("prompt", data));
      }
      case RoomEvents.STATUS -> {
        room = room.withStatus(Dialogue.Status.valueOf(data.getString("status").toUpperCase(java.util.Locale.ROOT)));
        send(new JsonObject().put("type", "status").put("status", data.getString("status")));
      }
      case RoomEvents.REACTIONS -> send(data.copy().put("type", "reactions"));
      case RoomEvents.ALERT -> {
        if (principal.role().moderates()) {
          send(new JsonObject().put("type", "alert").put("contribution", data));
        }
      }
      case RoomEvents.PARTICIPANT -> onParticipantModerated(data);
      case RoomEvents.SLOW_MODE -> {
        room = room.withSlowMode(data.getInteger("seconds"));
        send(data.copy().put("type", "slow_mode"));
      }
      case RoomEvents.ALERT_ACKNOWLEDGED, RoomEvents.ALERT_ESCALATED -> {
        if (principal.role().moderates()) {
          send(data.copy().put("type", kind));
        }
      }
      default -> LOG.warn("unknown room event {}", kind);
    }
  }

  private void onParticipantModerated(JsonObject data) {
    if (principal.role().moderates()) {
      send(data.copy().put("type", "participant"));
      return;
    }
    if (!participant.id().toString().equals(data.getString("participantId"))) {
      return;
    }
    String until = data.getString("mutedUntil");
    participant = participant.withModeration(until == null ? null : Instant.parse(until), data.getBoolean("removed", false));
    if (participant.removed()) {
      send(new JsonObject().put("type", "removed").put("message", "A facilitator has ended your part in this dialogue. Thank you for taking part."));
      ws.close((short) 1008, "removed");
    } else {
      send(new JsonObject().put("type", "muted").put("until", until));
    }
  }

  private JsonArray views(List<Contribution> list) {
    JsonArray out = new JsonArray();
    for (Contribution c : list) {
      JsonObject v = view(c.toJson());
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * What this viewer may see of a contribution: moderators everything; its author everything but
   * internal ids; other children only published ones (text, nickname, reactions), and a removal
   * notice so that they drop a removed one. Null: not for this viewer.
   */
  JsonObject view(JsonObject c) {
    if (principal.role().moderates()) {
      return c;
    }
    String status = c.getString("status");
    boolean mine = participant.id().toString().equals(c.getString("participantId"));
    if (mine) {
      JsonObject own = c.copy().put("mine", true);
      own.remove("participantId");
      own.remove("dialogueId");
      own.remove("moderation"); // rule names and spans are for facilitators
      return own;
    }
    if ("published".equals(status)) {
      return new JsonObject().put("id", c.getLong("id")).put("promptId", c.getLong("promptId"))
          .put("nickname", c.getString("nickname")).put("text", c.getString("text")).put("status", status)
          .put("createdAt", c.getString("createdAt")).put("reactions", c.getJsonObject("reactions"));
    }
    if ("removed".equals(status)) {
      return new JsonObject().put("id", c.getLong("id")).put("status", status);
    }
    return null;
  }

  private void send(JsonObject frame) {
    if (ws.isClosed()) {
      return;
    }
    ws.writeTextMessage(frame.encode());
    if (ws.writeQueueFull()) {
      // It stopped reading: drop it rather than buffer without bound for everyone's memory.
      ws.close((short) 1008, "too slow");
    }
  }

  private void sendError(String code, String message, Object ref) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message).put("ref", ref));
  }

  private void sendFailure(Throwable err, Object ref) {
    if (err instanceof ApiError api) {
      sendError(api.code(), api.getMessage(), ref);
    } else if (err instanceof AuthException auth) {
      sendError("unauthorized", auth.getMessage(), ref);
    } else {
      LOG.warn("live request failed: {}", err.toString());
      sendError("unavailable", "we could not do that right now; nothing was saved, please try again", ref);
    }
  }

  // ---- checks -------------------------------------------------------------------------------

  private void requireRole(Role role, String message) {
    if (!principal.is(role)) {
      throw ApiError.forbidden(message);
    }
  }

  private void requireModerator() {
    if (!principal.role().moderates()) {
      throw ApiError.forbidden("only facilitators can do that");
    }
  }

  private static long requiredLong(JsonObject msg, String field) {
    Long value = optionalLong(msg, field);
    if (value == null) {
      throw ApiError.badRequest("missing_field", field + " is required");
    }
    return value;
  }

  private static Long optionalLong(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw ApiError.badRequest("invalid_field", field + " must be a whole number");
  }

  private static UUID requiredUuid(JsonObject msg, String field) {
    UUID value = optionalUuid(msg, field);
    if (value == null) {
      throw ApiError.badRequest("missing_field", field + " is required");
    }
    return value;
  }

  private static String optionalText(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw ApiError.badRequest("invalid_field", field + " must be text");
    }
    String s = (String) v;
    if (s != null && s.length() > 500) {
      throw ApiError.badRequest("invalid_field", field + " must be at most 500 characters");
    }
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static UUID optionalUuid(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    try {
      return UUID.fromString((String) v);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", field + " must be an id (UUID)");
    }
  }
}
