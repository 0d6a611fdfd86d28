package org.chorus.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.chorus.web.Requests;

/** REST: sign-in, sign-out, who-am-I, and staff management of accounts. */
public final class AuthRoutes {
  private AuthRoutes() {}

  /** Routes open to anyone. */
  public static void mountPublic(Router router, AccountService accounts) {
    router.post("/api/auth/login").handler(ctx -> Requests.reply(ctx, 200, accounts.login(Requests.body(ctx))));
  }

  /** Routes behind the token check. */
  public static void mountProtected(Router router, AccountService accounts, TokenRevocation revocation) {
    // Any token may end itself; it is refused on every node from now on (REST and every live message).
    router.post("/api/auth/logout").handler(ctx -> {
      Principal p = Requests.require(ctx, Role.values());
      Requests.reply(ctx, 200, revocation.revokeToken(p).map(v -> new JsonObject().put("signedOut", true)));
    });
    router.get("/api/auth/me").handler(ctx -> {
      Principal p = Requests.require(ctx, Role.values());
      JsonObject me = new JsonObject().put("id", p.id().toString()).put("role", p.role().wire()).put("name", p.name())
          .put("expiresAt", p.expiresAt().toString());
      if (p.dialogueId() != null) {
        me.put("dialogueId", p.dialogueId().toString());
      }
      Requests.json(ctx, 200, me);
    });
    router.get("/api/accounts").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, accounts.list());
    });
    router.post("/api/accounts/:accountId/signout").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, accounts.endSignIns(Requests.uuidParam(ctx, "accountId")));
    });
    router.post("/api/accounts").handler(ctx -> {
      Principal staff = Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 201, accounts.create(staff, Requests.body(ctx)));
    });
  }
}
