package org.chorus.report;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.web.ApiError;
import org.chorus.web.Requests;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** REST for the report: themes and tagging (staff; facilitators tag in their dialogues), quotes, reports and exports (staff). */
public final class ReportRoutes {
  static final int MAX_THEME = 80;
  static final int MAX_BULK = 5000;
  static final int MAX_RENDERING = 2000;

  private ReportRoutes() {}

  public static void mount(Router router, ThemeStore themes, ReportService reports) {
    router.get("/api/themes").handler(ctx -> {
      Requests.require(ctx, Role.STAFF, Role.FACILITATOR);
      Requests.reply(ctx, 200, themes.list().map(list -> new JsonObject().put("themes", list)));
    });
    router.post("/api/themes").handler(ctx -> {
      Principal staff = Requests.require(ctx, Role.STAFF);
      String name = themeName(Requests.body(ctx));
      Requests.reply(ctx, 201, themes.create(name, staff.id()).compose(created -> created.map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ApiError.conflict("theme_exists", "there is already a theme called \"" + name + "\"")))));
    });
    router.put("/api/themes/:themeId").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      long id = longParam(ctx, "themeId");
      String name = themeName(Requests.body(ctx));
      Requests.reply(ctx, 200, themes.rename(id, name)
          .recover(err -> Future.failedFuture(isUniqueViolation(err) ? ApiError.conflict("theme_exists", "there is already a theme called \"" + name + "\"") : err))
          .compose(found -> found ? Future.succeededFuture(new JsonObject().put("id", id).put("name", name))
              : Future.failedFuture(ApiError.notFound("theme_not_found", "no such theme"))));
    });
    router.delete("/api/themes/:themeId").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      long id = longParam(ctx, "themeId");
      Requests.reply(ctx, 200, themes.delete(id).compose(found -> found ? Future.succeededFuture(new JsonObject().put("id", id).put("deleted", true))
          : Future.failedFuture(ApiError.notFound("theme_not_found", "no such theme"))));
    });
    // One or many contributions at once (e.g. every contribution of a filtered list).
    router.post("/api/themes/:themeId/contributions").handler(ctx -> {
      Principal p = Requests.require(ctx, Role.STAFF, Role.FACILITATOR);
      long theme = longParam(ctx, "themeId");
      JsonObject body = Requests.body(ctx);
      List<Long> ids = contributionIds(body);
      Object action = body.getValue("action", "add");
      if (!"add".equals(action) && !"remove".equals(action)) {
        throw ApiError.badRequest("invalid_field", "action must be \"add\" or \"remove\"");
      }
      java.util.UUID facilitator = p.is(Role.STAFF) ? null : p.id();
      Requests.reply(ctx, 200, themes.exists(theme).compose(exists -> {
        if (!exists) {
          return Future.failedFuture(ApiError.notFound("theme_not_found", "no such theme"));
        }
        if ("add".equals(action)) {
          return themes.tag(ids, theme, facilitator, p.id()).map(n -> new JsonObject().put("themeId", theme)
              .put("tagged", n[0]).put("alreadyTagged", n[1] - n[0]).put("notTaggable", ids.size() - n[1]));
        }
        return themes.untag(ids, theme, facilitator).map(n -> new JsonObject().put("themeId", theme).put("untagged", n));
      }));
    });
    router.put("/api/contributions/:contributionId/quote").handler(ctx -> {
      Principal staff = Requests.require(ctx, Role.STAFF);
      long id = longParam(ctx, "contributionId");
      JsonObject body = ctx.body() == null || ctx.body().length() == 0 ? new JsonObject() : Requests.body(ctx);
      String rendering = optionalText(body, "rendering", MAX_RENDERING);
      String language = optionalText(body, "renderingLanguage", 8);
      language = language == null ? null : language.toLowerCase(Locale.ROOT);
      if (language != null && !language.matches("[a-z]{2,3}")) {
        throw ApiError.badRequest("invalid_field", "renderingLanguage must be an ISO 639-1 code such as en");
      }
      if (language != null && rendering == null) {
        throw ApiError.badRequest("invalid_field", "renderingLanguage needs a rendering");
      }
      String renderingLanguage = rendering == null ? null : language == null ? "en" : language;
      Requests.reply(ctx, 200, themes.quote(id, rendering, renderingLanguage, staff.id())
          .compose(ok -> ok ? Future.succeededFuture(new JsonObject().put("contributionId", id).put("quote", true)
                  .put("rendering", rendering))
              : Future.failedFuture(ApiError.conflict("not_quotable", "only a published contribution (not withheld for safeguarding) can be quoted"))));
    });
    router.delete("/api/contributions/:contributionId/quote").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      long id = longParam(ctx, "contributionId");
      Requests.reply(ctx, 200, themes.unquote(id).compose(ok -> ok ? Future.succeededFuture(new JsonObject().put("contributionId", id).put("quote", false))
          : Future.failedFuture(ApiError.notFound("not_a_quote", "that contribution is not marked as a quote"))));
    });
    router.get("/api/report").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, reports.aggregates(reports.scope(ctx.request().getParam("dialogues"), ctx.request().getParam("k"))));
    });
    router.get("/api/report/contributions").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      var q = ctx.request();
      Requests.reply(ctx, 200, reports.browse(q.getParam("dialogues"), q.getParam("prompt"), q.getParam("language"),
          q.getParam("theme"), q.getParam("text"), q.getParam("before"), q.getParam("limit")));
    });
    router.get("/api/report/suggestions").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, reports.suggestions(ctx.request().getParam("dialogues"), 10));
    });
    router.get("/api/report/export.csv").handler(ctx -> export(ctx, reports, ReportService.Format.CSV));
    router.get("/api/report/export.json").handler(ctx -> export(ctx, reports, ReportService.Format.JSON));
  }

  private static void export(RoutingContext ctx, ReportService reports, ReportService.Format format) {
    Principal staff = Requests.require(ctx, Role.STAFF);
    boolean bom = "true".equalsIgnoreCase(ctx.request().getParam("bom"));
    ReportService.Scope scope = reports.scope(ctx.request().getParam("dialogues"), ctx.request().getParam("k"));
    reports.export(ctx.response(), staff.id(), scope, format, bom)
        .onFailure(ctx::fail);
  }

  private static String themeName(JsonObject body) {
    if (!(body.getValue("name") instanceof String raw) || raw.isBlank() || raw.strip().length() > MAX_THEME) {
      throw ApiError.badRequest("invalid_field", "name must be 1-" + MAX_THEME + " characters");
    }
    return raw.strip();
  }

  private static List<Long> contributionIds(JsonObject body) {
    if (!(body.getValue("contributionIds") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_BULK) {
      throw ApiError.badRequest("invalid_field", "contributionIds must be a list of 1-" + MAX_BULK + " contribution ids");
    }
    List<Long> ids = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 1) {
        throw ApiError.badRequest("invalid_field", "contributionIds must contain contribution ids (positive whole numbers)");
      }
      ids.add(n.longValue());
    }
    return ids;
  }

  private static String optionalText(JsonObject body, String field, int max) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isBlank() || s.strip().length() > max) {
      throw ApiError.badRequest("invalid_field", field + " must be 1-" + max + " characters");
    }
    return s.strip();
  }

  private static long longParam(RoutingContext ctx, String name) {
    try {
      long v = Long.parseLong(ctx.pathParam(name));
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw ApiError.notFound("not_found", "no such " + name.replace("Id", ""));
  }

  private static boolean isUniqueViolation(Throwable err) {
    return err instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState());
  }
}
