package org.chorus.auth;

import java.time.Instant;
import java.util.UUID;

/**
 * Who is calling, as proven by a verified token. {@code dialogueId} is set for children only: a
 * child's token is valid in that one dialogue. {@code issuedAt} (whole seconds) decides whether a
 * revocation of every token of the subject covers this one.
 */
public record Principal(Role role, UUID id, UUID dialogueId, String name, String tokenId, Instant expiresAt, Instant issuedAt) {
  public boolean is(Role r) {
    return role == r;
  }
}
