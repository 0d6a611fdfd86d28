package org.chorus.moderation;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.chorus.auth.Role;
import org.chorus.web.ApiError;
import org.chorus.web.Requests;

/** The rule tester for staff: what the filter would do with a text; nothing is stored or logged. */
public final class ModerationRoutes {
  static final int MAX_TEXT = 10_000;

  private ModerationRoutes() {}

  public static void mount(Router router, SafeguardingFilter filter, AuditLog audit, AlertService alerts) {
    router.get("/api/alerts").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, alerts.open());
    });
    router.get("/api/dialogues/:dialogueId/audit").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, audit.list(Requests.uuidParam(ctx, "dialogueId"), 1000));
    });
    router.post("/api/moderation/check").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      JsonObject body = Requests.body(ctx);
      if (!(body.getValue("text") instanceof String text)) {
        throw ApiError.badRequest("missing_field", "text is required");
      }
      if (text.length() > MAX_TEXT) {
        throw ApiError.badRequest("too_long", "the tester takes at most " + MAX_TEXT + " characters");
      }
      String language = optionalCode(body, "language");
      String country = optionalCode(body, "country");
      Verdict verdict = filter.check(text, language == null ? null : language.toLowerCase(java.util.Locale.ROOT), country);
      Requests.json(ctx, 200, verdict.toJson().put("rules", filter.rules().size()));
    });
  }

  private static String optionalCode(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || !s.matches("[A-Za-z]{2}")) {
      throw ApiError.badRequest("invalid_field", field + " must be a two-letter code");
    }
    return s;
  }
}
