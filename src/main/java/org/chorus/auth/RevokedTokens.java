package org.chorus.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The deny-list a node checks on every REST request and every WebSocket message: token ids (a sign-out)
 * and subjects (a removed child, or an account whose sign-ins staff ended: every token issued up to the
 * revocation), each until no token it covers can still be valid.
 * In memory and thread-safe (shared by the HTTP verticle instances); {@link TokenRevocation} keeps it in
 * step with the database and the other nodes.
 */
public final class RevokedTokens {
  private static final String TOKEN = "jti:";
  private static final String SUBJECT = "sub:";

  /** From when (tokens issued up to then are refused; unused for single tokens) until when an entry holds. */
  public record Entry(Instant since, Instant until) {
    Entry widen(Entry other) {
      return new Entry(since.isAfter(other.since) ? since : other.since, until.isAfter(other.until) ? until : other.until);
    }
  }

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
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

  /**
   * Refuses {@code key} — for a subject, its tokens issued up to {@code since} — until {@code expiresAt}.
   * Entries only widen: the later {@code since} and the later expiry win.
   */
  public void add(String key, Instant since, Instant expiresAt) {
    if (expiresAt.isAfter(clock.instant())) {
      entries.merge(key, new Entry(since, expiresAt), Entry::widen);
    }
  }

  public boolean tokenRevoked(Principal p) {
    return p.tokenId() != null && active(entries.get(tokenKey(p.tokenId())));
  }

  /** Whether every token of this principal's subject issued up to some moment was revoked, this one included. */
  public boolean subjectRevoked(Principal p) {
    Entry e = entries.get(subjectKey(p.id()));
    // iat has whole seconds: a token from the very second of the revocation is refused too (sign in again).
    return active(e) && !p.issuedAt().isAfter(e.since());
  }

  private boolean active(Entry e) {
    return e != null && clock.instant().isBefore(e.until());
  }

  /** Forgets entries whose tokens have all expired anyway; returns how many. */
  public int prune() {
    Instant now = clock.instant();
    int before = entries.size();
    entries.values().removeIf(e -> !now.isBefore(e.until()));
    return before - entries.size();
  }

  public int size() {
    return entries.size();
  }
}
