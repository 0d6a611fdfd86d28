package org.chorus.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-memory deny-list: one token or every token of a subject, each until it would have expired anyway. */
class RevokedTokensTest {
  final CredentialsTest.ManualClock clock = new CredentialsTest.ManualClock();
  final RevokedTokens revoked = new RevokedTokens(clock);

  Principal principal(Role role, UUID subject, String tokenId) {
    return new Principal(role, subject, role == Role.CHILD ? UUID.randomUUID() : null, "x", tokenId, clock.instant().plusSeconds(3600),
        clock.instant().minusSeconds(60));
  }

  @Test
  void aSignedOutTokenIsRefusedUntilItsExpiryAndOtherTokensAreNot() {
    UUID account = UUID.randomUUID();
    Principal laptop = principal(Role.FACILITATOR, account, UUID.randomUUID().toString());
    Principal phone = principal(Role.FACILITATOR, account, UUID.randomUUID().toString());
    revoked.add(RevokedTokens.tokenKey(laptop.tokenId()), clock.instant(), laptop.expiresAt());
    assertTrue(revoked.tokenRevoked(laptop));
    assertFalse(revoked.tokenRevoked(phone), "only that token");
    assertFalse(revoked.subjectRevoked(laptop));
    clock.advance(Duration.ofSeconds(3600));
    assertFalse(revoked.tokenRevoked(laptop), "expired anyway: nothing left to refuse");
    assertEquals(1, revoked.prune());
    assertEquals(0, revoked.size());
  }

  @Test
  void aRemovedChildIsRefusedWhateverTokenItShowsAndALaterExpiryWins() {
    UUID child = UUID.randomUUID();
    Principal oneToken = principal(Role.CHILD, child, UUID.randomUUID().toString());
    Principal another = principal(Role.CHILD, child, UUID.randomUUID().toString());
    Instant soon = clock.instant().plusSeconds(60);
    revoked.add(RevokedTokens.subjectKey(child), clock.instant(), clock.instant().plusSeconds(600));
    revoked.add(RevokedTokens.subjectKey(child), clock.instant(), soon);
    assertTrue(revoked.subjectRevoked(oneToken));
    assertTrue(revoked.subjectRevoked(another));
    clock.advance(Duration.ofSeconds(120));
    assertTrue(revoked.subjectRevoked(oneToken), "the later expiry was kept");
    assertEquals(0, revoked.prune());
    revoked.add(RevokedTokens.subjectKey(UUID.randomUUID()), clock.instant(), clock.instant().minusSeconds(1));
    assertEquals(1, revoked.size(), "an entry that has already expired is not even kept");
  }

  @Test
  void endingAnAccountsSignInsCoversTokensIssuedUpToThenButNotLaterOnes() {
    UUID account = UUID.randomUUID();
    Principal before = principal(Role.FACILITATOR, account, UUID.randomUUID().toString());
    revoked.add(RevokedTokens.subjectKey(account), clock.instant(), clock.instant().plusSeconds(3600));
    assertTrue(revoked.subjectRevoked(before));
    Principal sameSecond = new Principal(Role.FACILITATOR, account, null, "x", "t", clock.instant().plusSeconds(3600), clock.instant());
    assertTrue(revoked.subjectRevoked(sameSecond), "iat has whole seconds: the very second of the revocation is covered");
    Principal after = new Principal(Role.FACILITATOR, account, null, "x", "t", clock.instant().plusSeconds(3600), clock.instant().plusSeconds(1));
    assertFalse(revoked.subjectRevoked(after), "a sign-in after the revocation works");
  }

  @Test
  void onlyWellFormedKeysAreAcceptedFromAnnouncements() {
    assertTrue(RevokedTokens.isKey(RevokedTokens.tokenKey(UUID.randomUUID().toString())));
    assertTrue(RevokedTokens.isKey(RevokedTokens.subjectKey(UUID.randomUUID())));
    assertFalse(RevokedTokens.isKey("jti:not-a-uuid"));
    assertFalse(RevokedTokens.isKey("xyz:" + UUID.randomUUID()));
    assertFalse(RevokedTokens.isKey(null));
  }
}
