package org.chorus.live;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.AuthException;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.contribution.Contribution;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.ParticipantStore.Participant;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket in a live room: parses frames, checks role and dialogue scope for every message
 * type, calls the services, and turns room events into frames for this viewer. The protocol is in
 * docs/protocol.md. Runs on its verticle's event loop.
 */
final class RoomConnection implements Session {
  private static final Logger LOG = LoggerFactory.getLogger(RoomConnection.class);

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final RoomHub hub;
  private final LiveServices services;
  private final LiveSettings settings;
  private final TokenBucket bucket;
  private final FrameReader frames;
  private long helloTimer;

  private boolean helloInProgress;
  private Principal principal;
  private Participant participant; // children only
  static final int TOO_SLOW_GRACE_SECONDS = 2;
  private static final String RATE_LIMITED = "too many messages; slow down (this one was not processed)";

  private boolean droppedAsTooSlow;
  private String participantKey;   // the child's id as it appears in events; compared on every delivery
  private Dialogue room;           // this socket's view of the dialogue, kept current by room events
  private final ChildCommands childCommands;
  private final ModeratorCommands moderatorCommands;

  RoomConnection(Vertx vertx, ServerWebSocket ws, RoomHub hub, LiveServices services) {
    this.vertx = vertx;
    this.ws = ws;
    this.hub = hub;
    this.services = services;
    this.settings = services.settings();
    this.bucket = new TokenBucket(settings.messagesPerSecond(), settings.messageBurst());
    this.frames = new FrameReader(settings.maxJsonDepth(), settings.maxJsonFields());
    this.childCommands = new ChildCommands(services, this);
    this.moderatorCommands = new ModeratorCommands(services, this);
    // A socket whose unsent frames pass this bound stopped reading: it is closed, not buffered for (see send).
    ws.setWriteQueueMaxSize(settings.maxOutgoingBytes());
    // Our own assembly of fragments (not textMessageHandler): bounded over all fragments, strict UTF-8.
    MessageAssembler messages = new MessageAssembler(settings.maxFrameBytes(), settings.messagesPerSecond(), settings.messageBurst(),
        this::onText, () -> refuseFrame(ApiError.badRequest("text_only", "send JSON text frames, not binary frames")),
        this::closeForViolation);
    if (ws instanceof WebSocketInternal internal) {
      // Right before Vert.x's handler, so after the frame decoder and the decoders of negotiated extensions.
      ChannelHandlerContext vertxHandler = internal.channelHandlerContext();
      vertxHandler.pipeline().addBefore(vertxHandler.name(), "chorus-reserved-bits", messages.reservedBitsCheck());
    }
    ws.frameHandler(frame -> {
      if (frame.type() == WebSocketFrameType.PING) {
        dropIfNotReading(); // the WebSocket layer queued a pong, whether or not the client reads
      }
      messages.handle(frame);
    });
    ws.exceptionHandler(err -> LOG.debug("socket error: {}", err.getMessage()));
    ws.closeHandler(v -> onClose());
    armHelloTimer();
  }

  /**
   * A frame-layer violation (docs/protocol.md, "WebSocket input limits"): the close frame with its code, and the TCP
   * connection cut after the grace period whatever the client does. Vert.x alone would wait up to its closing timeout
   * for the client's close frame, answering every further ping meanwhile.
   */
  private void closeForViolation(short code, String reason) {
    LOG.debug("closing a live socket: {} ({})", reason, code);
    ws.close(code, reason);
    vertx.setTimer(TOO_SLOW_GRACE_SECONDS * 1000L, t -> cutConnection());
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
    FrameReader.Message msg;
    try {
      msg = frames.read(text);
    } catch (ApiError e) {
      refuseFrame(e);
      return;
    }
    Object ref = msg.ref();
    if (!bucket.tryTake()) {
      sendError("rate_limited", RATE_LIMITED, ref);
      return;
    }
    if (msg.refusal() != null) {
      sendError(msg.refusal().code(), msg.refusal().getMessage(), ref);
      return;
    }
    Object type = msg.body().getValue("type");
    if (!(type instanceof String t)) {
      sendError("missing_field", "the message needs a string \"type\"", ref);
      return;
    }
    try {
      dispatch(t, msg.body(), ref);
    } catch (ApiError e) {
      sendError(e.code(), e.getMessage(), ref);
    }
  }

  /** A frame that is not a message counts towards the rate limit like any other: a flood of garbage is slowed too. */
  private void refuseFrame(ApiError why) {
    if (bucket.tryTake()) {
      sendError(why.code(), why.getMessage(), null);
    } else {
      sendError("rate_limited", RATE_LIMITED, null);
    }
  }

  private void dispatch(String type, JsonObject msg, Object ref) {
    // Signed out or removed, on any node: the next message of any type (a browser pings every 25 s) ends
    // the socket. An in-memory lookup.
    ApiError revoked = principal == null ? null : services.tokens().revocation().refusal(principal);
    if (revoked != null) {
      sendError(revoked.code(), revoked.getMessage(), ref);
      ws.close((short) 1008, "token revoked");
      return;
    }
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
    Future<?> work;
    if (type.equals("contribute") || type.equals("react")) {
      work = childCommands.handle(type, msg, ref);
    } else if (ModeratorCommands.TYPES.contains(type)) {
      work = moderatorCommands.handle(type, msg, ref);
    } else {
      throw ApiError.badRequest("unknown_type", "unknown message type '" + type + "'");
    }
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
    UUID requested = Fields.optionalUuid(msg, "dialogueId");
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
    participantKey = participant == null ? null : participant.id().toString();
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
    Future<JsonArray> openAlerts = participant == null ? services.alerts().openIn(room.id()) : Future.succeededFuture(new JsonArray());
    return Future.all(published, own, reacted, openAlerts).recover(err -> {
      // No welcome without its snapshot: leave the room again so that a later hello starts clean.
      hub.leave(room.id(), this);
      principal = null;
      participant = null;
      participantKey = null;
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
        welcome.put("openAlerts", openAlerts.result());
      }
      return welcome;
    });
  }

  // ---- outgoing -----------------------------------------------------------------------------

  /**
   * The frame other children see of a contribution is the same for all of them: one delivery to a room
   * builds and encodes it once (in {@code shared}) instead of once per socket.
   */
  static final class PublicFrame {
    private String encoded;
    private boolean built;

    String of(JsonObject contribution) {
      if (!built) {
        built = true;
        JsonObject view = othersView(contribution);
        encoded = view == null ? null : new JsonObject().put("type", "contribution").put("contribution", view).encode();
      }
      return encoded;
    }
  }

  /** A room event, as this viewer may see it. */
  void deliver(JsonObject event, PublicFrame shared) {
    String kind = event.getString("event");
    JsonObject data = event.getJsonObject("data");
    switch (kind) {
      case RoomEvents.CONTRIBUTION -> {
        if (principal.role().moderates() || isMine(data)) {
          send(new JsonObject().put("type", "contribution").put("contribution", view(data)));
        } else {
          String frame = shared.of(data);
          if (frame != null) {
            sendEncoded(frame);
          }
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
      case RoomEvents.DIALOGUE -> {
        room = Dialogue.fromJson(data);
        send(new JsonObject().put("type", "dialogue").put("dialogue", principal.role().moderates() ? room.fullJson() : room.publicJson()));
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
    if (!isMine(data)) {
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
    boolean mine = isMine(c);
    if (mine) {
      JsonObject own = c.copy().put("mine", true);
      own.remove("participantId");
      own.remove("dialogueId");
      own.remove("moderation"); // rule names and spans are for facilitators
      return own;
    }
    return othersView(c);
  }

  /** Whether an event's {@code participantId} is this socket's child (never for moderators). */
  private boolean isMine(JsonObject data) {
    return participantKey != null && participantKey.equals(data.getString("participantId"));
  }

  /** What any child other than the author may see: published ones, and a removal notice; else null. */
  static JsonObject othersView(JsonObject c) {
    String status = c.getString("status");
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

  @Override
  public void send(JsonObject frame) {
    sendEncoded(frame.encode());
  }

  private void sendEncoded(String frame) {
    if (ws.isClosed() || droppedAsTooSlow) {
      return;
    }
    ws.writeTextMessage(frame);
    dropIfNotReading();
  }

  /**
   * A client whose unsent frames pass the bound stopped reading: it is dropped rather than buffered for
   * without bound for everyone's memory. The close frame is queued behind what it never read, so it may
   * never arrive, and the WebSocket's own close timer only starts once it is sent: the TCP connection is cut
   * after a short grace period, dropping what was queued.
   */
  private void dropIfNotReading() {
    if (droppedAsTooSlow || ws.isClosed() || !ws.writeQueueFull()) {
      return;
    }
    droppedAsTooSlow = true;
    LOG.info("dropping a live socket that stopped reading (more than {} bytes unsent)", settings.maxOutgoingBytes());
    ws.shutdown(TOO_SLOW_GRACE_SECONDS, TimeUnit.SECONDS, (short) 1008, "too slow");
    vertx.setTimer(TOO_SLOW_GRACE_SECONDS * 1000L, t -> cutConnection());
    onClose(); // out of the room now: no more frames are built for it
  }

  /**
   * Closes the TCP connection at once, discarding what is queued. Vert.x's public close and shutdown both
   * wait for the close frame to be written first, which a client that does not read never allows; its
   * internal API (meant for extensions) gives the channel. A connection that ended meanwhile (its pipeline is
   * then empty) is left alone.
   */
  private void cutConnection() {
    if (ws instanceof WebSocketInternal internal) {
      // From the first handler: straight to the transport, past Vert.x's own graceful close.
      ChannelHandlerContext first = internal.channelHandlerContext().channel().pipeline().firstContext();
      if (first != null) {
        first.close();
      }
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

  // ---- Session -----------------------------------------------------------------------------

  @Override
  public Principal principal() {
    return principal;
  }

  @Override
  public Participant participant() {
    return participant;
  }

  @Override
  public Dialogue room() {
    return room;
  }
}
