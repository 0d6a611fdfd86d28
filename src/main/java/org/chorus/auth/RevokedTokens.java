package org.chorus.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deny-list a node checks on every REST request and every WebSocket message: token ids (a sign-out)
 * and subjects (a removed child: all of its tokens), each until no token it covers can still be valid.
 * In memory and thread-safe (shared by the HTTP verticle instances); {@link TokenRevocation} keeps it in
 * step with the database and the other nodes.
 */
public final class RevokedTokens {
  private static final String TOKEN = "jti:";
  private static final String SUBJECT = "sub:";

  private final Map<String, Instant> until = new ConcurrentHashMap<>();
  private final Clock clock;

  public RevokedTokens(Clock clock) {
    this.clock = clock;
  }

  /** The key of one token (its jti). */
  public static String tokenKey(String tokenId) {
    return TOKEN + tokenId;
  }

  /** The key of every token of one subject (a participant or an account id). */
  public static String subjectKey(UUID subject) {
    return SUBJECT + subject;
  }

  public static boolean isKey(String key) {
    if (key == null || !(key.startsWith(TOKEN) || key.startsWith(SUBJECT))) {
      return false;
    }
    try {
      UUID.fromString(key.substring(4));
      return key.length() == 40;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Refuses {@code key} until {@code expiresAt}; a later expiry wins over an earlier one. */
  public void add(String key, Instant expiresAt) {
    if (expiresAt.isAfter(clock.instant())) {
      until.merge(key, expiresAt, (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  public boolean tokenRevoked(Principal p) {
    return active(p.tokenId() == null ? null : tokenKey(p.tokenId()));
  }

  public boolean subjectRevoked(Principal p) {
    return active(subjectKey(p.id()));
  }

  private boolean active(String key) {
    if (key == null) {
      return false;
    }
    Instant end = until.get(key);
    return end != null && clock.instant().isBefore(end);
  }

  /** Forgets entries whose tokens have all expired anyway; returns how many. */
  public int prune() {
    Instant now = clock.instant();
    int before = until.size();
    until.values().removeIf(end -> !now.isBefore(end));
    return before - until.size();
  }

  public int size() {
    return until.size();
  }
}
