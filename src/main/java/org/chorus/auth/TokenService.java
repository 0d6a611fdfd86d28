package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issues and verifies the HS256 JWTs of all three roles. The algorithm, issuer and audience are pinned
 * on verification; a child's token carries the one dialogue it is valid in. A verified token is also
 * checked against the deny-list ({@link TokenRevocation}): signed out, or its child removed.
 */
public final class TokenService {
  public static final String AUDIENCE = "chorus";
  private static final String ALGORITHM = "HS256";

  private final JWTAuth jwt;
  private final String issuer;
  private final int staffMinutes;
  private final int childMinutes;
  private final TokenRevocation revocation;

  public TokenService(Vertx vertx, String secret, String issuer, int staffMinutes, int childMinutes, TokenRevocation revocation) {
    this.revocation = revocation;
    this.issuer = issuer;
    this.staffMinutes = staffMinutes;
    this.childMinutes = childMinutes;
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(secret))
        .setJWTOptions(new JWTOptions().setAlgorithm(ALGORITHM).setIssuer(issuer).setAudience(List.of(AUDIENCE))));
  }

  public record Issued(String token, Instant expiresAt) {}

  public Issued issueAccount(UUID accountId, Role role, String username) {
    return issue(new JsonObject().put("role", role.wire()).put("name", username), accountId, staffMinutes, null);
  }

  /** A child token lives {@code childMinutes}, and never past the dialogue's closing time. */
  public Issued issueChild(UUID participantId, UUID dialogueId, String nickname, Instant dialogueCloses) {
    return issue(new JsonObject().put("role", Role.CHILD.wire()).put("name", nickname).put("dlg", dialogueId.toString()),
        participantId, childMinutes, dialogueCloses);
  }

  private Issued issue(JsonObject claims, UUID subject, int minutes, Instant notAfter) {
    long now = Instant.now().getEpochSecond();
    long exp = now + minutes * 60L;
    if (notAfter != null && notAfter.getEpochSecond() < exp) {
      exp = Math.max(now + 60, notAfter.getEpochSecond());
    }
    JWTOptions options = new JWTOptions()
        .setAlgorithm(ALGORITHM)
        .setIssuer(issuer)
        .setAudience(List.of(AUDIENCE))
        .setSubject(subject.toString())
        .setExpiresInSeconds((int) (exp - now));
    claims.put("jti", UUID.randomUUID().toString());
    return new Issued(jwt.generateToken(claims, options), Instant.ofEpochSecond(exp));
  }

  public TokenRevocation revocation() {
    return revocation;
  }

  /** The longest a staff or facilitator token lives: ending an account's sign-ins covers every one it may hold. */
  public Duration staffTokenLifetime() {
    return Duration.ofMinutes(staffMinutes);
  }

  /** The longest a child's token lives: revoking a child covers every token it may still hold. */
  public Duration childTokenLifetime() {
    return Duration.ofMinutes(childMinutes);
  }

  /**
   * Fails with {@link AuthException} for a bad, foreign or expired token (or one without an id, which could
   * not be signed out), and with the {@link TokenRevocation#refusal} of a revoked one.
   */
  public Future<Principal> verify(String token) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new AuthException("missing token"));
    }
    return jwt.authenticate(new TokenCredentials(token))
        .recover(err -> Future.failedFuture(new AuthException("invalid or expired token")))
        .compose(user -> {
          // vertx-auth-jwt keeps the verified claims under attributes.accessToken
          JsonObject p = user.attributes().getJsonObject("accessToken", user.principal());
          try {
            Role role = Role.fromWire(p.getString("role"));
            UUID dialogue = p.getString("dlg") == null ? null : UUID.fromString(p.getString("dlg"));
            if ((role == Role.CHILD && dialogue == null) || p.getString("jti") == null) {
              return Future.failedFuture(new AuthException("invalid token"));
            }
            // No "iat" counts as issued long ago: an "every token of this subject" revocation covers it.
            Principal principal = new Principal(role, UUID.fromString(p.getString("sub")), dialogue,
                p.getString("name"), p.getString("jti"), Instant.ofEpochSecond(p.getLong("exp")),
                Instant.ofEpochSecond(p.getLong("iat", 0L)));
            var refused = revocation.refusal(principal);
            return refused == null ? Future.succeededFuture(principal) : Future.failedFuture(refused);
          } catch (RuntimeException e) {
            return Future.failedFuture(new AuthException("invalid token"));
          }
        });
  }
}
