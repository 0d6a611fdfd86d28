package org.chorus.security;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.chorus.support.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Tokens a server must refuse, made the way an attacker (or a clock) would: for access tests. */
public final class ForgedTokens {
  private final TestServer server;

  public ForgedTokens(TestServer server) {
    this.server = server;
  }

  /** The claims of a staff token, with a fresh token id. */
  public static JsonObject staffClaims() {
    return new JsonObject().put("role", "staff").put("name", "admin").put("sub", UUID.randomUUID().toString())
        .put("jti", UUID.randomUUID().toString());
  }

  /** The server's own signing key (read from its data folder). */
  public String serverSecret() {
    try {
      return Files.readString(server.dataDir.resolve("jwt-signing-key"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Well-formed, but signed with another key. */
  public String forged() {
    return sign("a-completely-different-secret-of-enough-length", staffClaims(),
        new JWTOptions().setIssuer("chorus").setAudience(List.of("chorus")).setExpiresInMinutes(5));
  }

  /** Signed with the server's key, expired two minutes ago. */
  public String expired() {
    long past = Instant.now().minusSeconds(120).getEpochSecond();
    return sign(serverSecret(), staffClaims().put("exp", past).put("iat", past - 60),
        new JWTOptions().setIssuer("chorus").setAudience(List.of("chorus")));
  }

  /** Signed with the server's key, for another audience. */
  public String wrongAudience() {
    return sign(serverSecret(), staffClaims(),
        new JWTOptions().setIssuer("chorus").setAudience(List.of("someone-else")).setExpiresInMinutes(5));
  }

  /** Signed with the server's key but without a token id (so it could never be signed out). */
  public String withoutTokenId() {
    JsonObject claims = staffClaims();
    claims.remove("jti");
    return sign(serverSecret(), claims, new JWTOptions().setIssuer("chorus").setAudience(List.of("chorus")).setExpiresInMinutes(5));
  }

  /** Unsigned: {"alg":"none"}. */
  public static String algNone() {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(staffClaims().put("iss", "chorus").put("aud", "chorus")
            .put("exp", Instant.now().plusSeconds(600).getEpochSecond()).encode().getBytes(StandardCharsets.UTF_8)) + ".";
  }

  private String sign(String secret, JsonObject claims, JWTOptions options) {
    JWTAuth jwt = JWTAuth.create(server.vertx, new JWTAuthOptions().addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    return jwt.generateToken(claims, options);
  }
}
