package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.UUID;

/**
 * Sign-out and "remove participant" take effect at once on every node: the entry goes into this node's
 * {@link RevokedTokens}, into PostgreSQL (so a node started later knows it), and onto the event bus (so
 * every running node's set has it within milliseconds, clustered or not). A periodic sync with the
 * database repairs a node that missed an announcement and prunes what has expired.
 */
public final class TokenRevocation {
  private static final Logger LOG = LoggerFactory.getLogger(TokenRevocation.class);
  public static final String ADDRESS = "chorus.auth.revoked";
  static final long SYNC_MILLIS = 60_000;

  private final Vertx vertx;
  private final RevocationStore store;
  private final RevokedTokens revoked;

  public TokenRevocation(Vertx vertx, RevocationStore store, RevokedTokens revoked) {
    this.vertx = vertx;
    this.store = store;
    this.revoked = revoked;
  }

  /** Refuses this one token (sign-out) until it would have expired anyway. */
  public Future<Void> revokeToken(Principal p) {
    if (p.tokenId() == null) {
      return Future.failedFuture(ApiError.badRequest("invalid_token", "this token has no id and cannot be signed out"));
    }
    return revoke(RevokedTokens.tokenKey(p.tokenId()), new RevokedTokens.Entry(Instant.now(), p.expiresAt()));
  }

  /**
   * Refuses every token of {@code subject} issued up to now (a removed child; an account whose sign-ins staff
   * ended), until {@code until}: the longest such a token lives. Later sign-ins of an account work again.
   */
  public Future<Void> revokeSubject(UUID subject, Instant until) {
    return revoke(RevokedTokens.subjectKey(subject), new RevokedTokens.Entry(Instant.now(), until));
  }

  /**
   * This node and the running others refuse it at once, even should the database write then fail (the caller
   * hears of that failure: only a node started later would not know).
   */
  private Future<Void> revoke(String key, RevokedTokens.Entry entry) {
    revoked.add(key, entry.since(), entry.until());
    vertx.eventBus().publish(ADDRESS, new JsonObject().put("key", key)
        .put("since", entry.since().toEpochMilli()).put("expiresAt", entry.until().toEpochMilli()));
    return store.insert(key, entry);
  }

  /**
   * Why {@code p} may no longer be used, or null: a removed child is told so ({@code removed}), a signed-out
   * token is {@code unauthorized}.
   */
  public ApiError refusal(Principal p) {
    if (revoked.subjectRevoked(p)) {
      return p.is(Role.CHILD)
          ? new ApiError(403, "removed", "a facilitator has ended your part in this dialogue")
          : ApiError.unauthorized("staff ended this account's sign-ins; sign in again");
    }
    if (revoked.tokenRevoked(p)) {
      return ApiError.unauthorized("you signed out with this token; sign in again");
    }
    return null;
  }

  /**
   * Called by each HTTP verticle at start, on its own context (so the consumer and the timer end with it):
   * listens for announcements first, then loads the database, so no revocation falls in between.
   */
  public Future<Void> attach(Vertx verticleVertx) {
    EventBus bus = verticleVertx.eventBus();
    MessageConsumer<JsonObject> consumer = bus.consumer(ADDRESS, msg -> learn(msg.body()));
    verticleVertx.setPeriodic(SYNC_MILLIS, t -> sync().onFailure(err -> LOG.warn("revoked tokens: sync with the database failed; will retry: {}", err.toString())));
    return consumer.completion().compose(v -> sync());
  }

  private void learn(JsonObject announcement) {
    String key = announcement.getString("key");
    Long since = announcement.getLong("since");
    Long expires = announcement.getLong("expiresAt");
    if (RevokedTokens.isKey(key) && since != null && expires != null) {
      revoked.add(key, Instant.ofEpochMilli(since), Instant.ofEpochMilli(expires));
    }
  }

  /** Prunes expired entries (memory and database) and reloads those still in force. */
  Future<Void> sync() {
    revoked.prune();
    return store.prune().compose(n -> store.active()).map(active -> {
      active.forEach((key, entry) -> revoked.add(key, entry.since(), entry.until()));
      return null;
    });
  }
}
