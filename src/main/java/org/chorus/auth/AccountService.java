package org.chorus.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** Logins and account creation; password hashing runs on worker threads. */
public final class AccountService {
  private static final Logger LOG = LoggerFactory.getLogger(AccountService.class);
  private static final String USERNAME_RULE = "[a-z0-9._-]{3,32}";
  private static final int MIN_PASSWORD = 12;

  private final Vertx vertx;
  private final AccountStore store;
  private final PasswordHasher hasher;
  private final TokenService tokens;
  private final LoginThrottle throttle;
  /** One verification per core at a time: sign-ins cannot take every worker thread and core. */
  private final HashingGate hashing = new HashingGate(Math.max(2, Runtime.getRuntime().availableProcessors()));
  private volatile String dummyHash;

  public AccountService(Vertx vertx, AccountStore store, PasswordHasher hasher, TokenService tokens, LoginThrottle throttle) {
    this.vertx = vertx;
    this.store = store;
    this.hasher = hasher;
    this.tokens = tokens;
    this.throttle = throttle;
  }

  /** Username + password → token; the same answer for an unknown user and a wrong password. */
  public Future<JsonObject> login(JsonObject body) {
    String username = body.getValue("username") instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
    String password = body.getValue("password") instanceof String s ? s : null;
    if (username == null || username.isEmpty() || password == null || password.isEmpty()) {
      return Future.failedFuture(ApiError.badRequest("missing_field", "username and password are required"));
    }
    long wait = throttle.retryAfterSeconds(username);
    if (wait > 0) {
      return Future.failedFuture(ApiError.tooManyRequests("too many failed sign-ins; try again later", wait));
    }
    if (!hashing.tryEnter()) {
      return Future.failedFuture(ApiError.tooManyRequests("too many sign-ins at this moment; try again in a second", 1));
    }
    return store.findByUsername(username).compose(found -> vertx.executeBlocking(() -> {
      // Hash even for an unknown user so that timing does not tell which usernames exist.
      String hash = found.map(AccountStore.Account::passwordHash).orElseGet(this::dummyHash);
      boolean ok = hasher.verify(password, hash) && found.isPresent();
      return ok ? found.get() : null;
    }, false)).onComplete(done -> hashing.leave()).compose(account -> {
      if (account == null) {
        throttle.fail(username);
        return Future.failedFuture(new ApiError(401, "invalid_credentials", "wrong username or password"));
      }
      throttle.succeed(username);
      upgradeHash(account, password);
      TokenService.Issued issued = tokens.issueAccount(account.id(), account.role(), account.username());
      return Future.succeededFuture(new JsonObject()
          .put("token", issued.token())
          .put("expiresAt", issued.expiresAt().toString())
          .put("account", publicView(account)));
    });
  }

  public record Created(AccountStore.Account account, String generatedPassword) {}

  /** Staff create facilitator (or further staff) accounts; a password is generated when none is given. */
  public Future<JsonObject> create(Principal staff, JsonObject body) {
    String username = body.getValue("username") instanceof String s ? s.trim().toLowerCase(Locale.ROOT) : null;
    if (username == null || !username.matches(USERNAME_RULE)) {
      return Future.failedFuture(ApiError.badRequest("invalid_username", "username must be 3-32 characters of a-z 0-9 . _ -"));
    }
    Object rawRole = body.getValue("role", "facilitator");
    Role role;
    try {
      role = Role.fromWire(String.valueOf(rawRole));
    } catch (IllegalArgumentException e) {
      role = Role.CHILD;
    }
    if (role == Role.CHILD) {
      return Future.failedFuture(ApiError.badRequest("invalid_role", "role must be facilitator or staff"));
    }
    Object rawPassword = body.getValue("password");
    if (rawPassword != null && (!(rawPassword instanceof String p) || p.length() < MIN_PASSWORD)) {
      return Future.failedFuture(ApiError.badRequest("weak_password", "password must be at least " + MIN_PASSWORD + " characters, or left out to generate one"));
    }
    Role finalRole = role;
    return createAccount(username, (String) rawPassword, finalRole, staff.id()).compose(created -> created
        .map(c -> {
          JsonObject out = new JsonObject().put("account", publicView(c.account()));
          if (c.generatedPassword() != null) {
            out.put("generatedPassword", c.generatedPassword());
          }
          return Future.succeededFuture(out);
        })
        .orElseGet(() -> Future.failedFuture(ApiError.conflict("username_taken", "the username " + username + " is taken"))));
  }

  /** Creates an account; empty when the username is taken. {@code password} null → generated. */
  public Future<Optional<Created>> createAccount(String username, String password, Role role, UUID createdBy) {
    String generated = password == null ? PasswordHasher.generatePassword() : null;
    String plain = password == null ? generated : password;
    return vertx.executeBlocking(() -> hasher.hash(plain), false)
        .compose(hash -> store.insert(UUID.randomUUID(), username, hash, role, createdBy))
        .map(inserted -> inserted.map(a -> new Created(a, generated)));
  }

  /**
   * Staff end every current sign-in of an account (a lost laptop, a facilitator who left): its tokens are
   * refused on every node at once; signing in again afterwards works.
   */
  public Future<JsonObject> endSignIns(UUID accountId) {
    return store.findById(accountId).compose(found -> found.isEmpty()
        ? Future.failedFuture(ApiError.notFound("account_not_found", "no such account"))
        : tokens.revocation().revokeSubject(accountId, Instant.now().plus(tokens.staffTokenLifetime()))
            .map(v -> new JsonObject().put("accountId", accountId.toString()).put("signedOut", true)));
  }

  public Future<JsonObject> list() {
    return store.list().map(accounts -> new JsonObject().put("accounts",
        new JsonArray(accounts.stream().map(AccountService::publicView).toList())));
  }

  public static JsonObject publicView(AccountStore.Account a) {
    return new JsonObject().put("id", a.id().toString()).put("username", a.username()).put("role", a.role().wire())
        .put("createdAt", a.createdAt() == null ? null : a.createdAt().toString());
  }

  /**
   * A hash made before the iteration count was raised is re-made with today's count after a successful sign-in:
   * in the background (the sign-in does not wait), and only when a hashing slot is free — else at a later sign-in.
   */
  private void upgradeHash(AccountStore.Account account, String password) {
    if (!hasher.isWeakerThanSetting(account.passwordHash()) || !hashing.tryEnter()) {
      return;
    }
    vertx.executeBlocking(() -> hasher.hash(password), false)
        .onComplete(done -> hashing.leave())
        .compose(stronger -> store.upgradeHash(account.id(), account.passwordHash(), stronger))
        .onSuccess(changed -> {
          if (changed) {
            LOG.info("password hash of account {} re-made with {} iterations", account.id(), hasher.iterations());
          }
        })
        .onFailure(err -> LOG.warn("re-making a password hash with today's iteration count failed; tried again at the next sign-in", err));
  }

  /** A hash to verify against when the user does not exist (made once, lazily, on a worker). */
  private String dummyHash() {
    if (dummyHash == null) {
      dummyHash = hasher.hash(PasswordHasher.generatePassword());
    }
    return dummyHash;
  }
}
