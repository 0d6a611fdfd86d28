package org.chorus.web;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.chorus.auth.AuthException;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.auth.TokenService;

import java.util.Arrays;
import java.util.UUID;

/** Small helpers that keep REST handlers thin: parsing, the caller's principal, JSON replies. */
public final class Requests {
  static final String PRINCIPAL = "chorus.principal";

  private Requests() {}

  /** The request body as a JSON object, or a 400 naming the problem. */
  public static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest("invalid_json", "the request body must be a JSON object");
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(text);
      if (parsed instanceof JsonObject obj) {
        return obj;
      }
    } catch (DecodeException e) {
      throw ApiError.badRequest("invalid_json", "the request body is not valid JSON");
    }
    throw ApiError.badRequest("invalid_json", "the request body must be a JSON object");
  }

  /**
   * PostgreSQL text cannot hold U+0000, so a NUL in the path, a query parameter or a JSON string is refused here
   * with a 400 naming where it was, before it can reach a query (where it failed with a 500; found by wapiti).
   */
  public static void rejectNul(RoutingContext ctx) {
    String where = nulIn(ctx);
    if (where == null) {
      ctx.next();
    } else {
      ctx.fail(ApiError.badRequest("invalid_field", where + " must not contain the character U+0000"));
    }
  }

  private static String nulIn(RoutingContext ctx) {
    if (ctx.request().path().toLowerCase(java.util.Locale.ROOT).contains("%00")) {
      return "the path";
    }
    for (var param : ctx.queryParams()) {
      if (param.getKey().indexOf('\0') >= 0 || param.getValue().indexOf('\0') >= 0) {
        return "the query parameter " + param.getKey().replace('\0', ' ');
      }
    }
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || (text.indexOf('\0') < 0 && !text.toLowerCase(java.util.Locale.ROOT).contains("\\u0000"))) {
      return null;
    }
    try {
      return nulIn(io.vertx.core.json.Json.decodeValue(text), "the body");
    } catch (DecodeException e) {
      return text.indexOf('\0') >= 0 ? "the body" : null; // not JSON: body() answers invalid_json
    }
  }

  private static String nulIn(Object value, String where) {
    if (value instanceof String s) {
      return s.indexOf('\0') >= 0 ? where : null;
    }
    if (value instanceof JsonObject o) {
      for (var e : o) {
        String found = e.getKey().indexOf('\0') >= 0 ? "a field name" : nulIn(e.getValue(), "the field " + e.getKey());
        if (found != null) {
          return found;
        }
      }
    } else if (value instanceof io.vertx.core.json.JsonArray a) {
      for (Object item : a) {
        String found = nulIn(item, where);
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  public static UUID uuidParam(RoutingContext ctx, String name) {
    String raw = ctx.pathParam(name);
    try {
      return UUID.fromString(raw);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiError.notFound("not_found", "no such " + name.replace("Id", ""));
    }
  }

  /** Verifies the bearer token and stores the principal on the context. */
  public static io.vertx.core.Handler<RoutingContext> authenticate(TokenService tokens) {
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
      if (token == null) {
        ctx.fail(ApiError.unauthorized("sign in first: send Authorization: Bearer <token>"));
        return;
      }
      tokens.verify(token).onComplete(ar -> {
        if (ar.succeeded()) {
          ctx.put(PRINCIPAL, ar.result());
          ctx.next();
        } else {
          ctx.fail(ar.cause() instanceof AuthException ? ApiError.unauthorized(ar.cause().getMessage()) : ar.cause());
        }
      });
    };
  }

  /** The verified caller; fails with 403 unless it has one of {@code roles}. */
  public static Principal require(RoutingContext ctx, Role... roles) {
    Principal p = ctx.get(PRINCIPAL);
    if (p == null) {
      throw ApiError.unauthorized("sign in first");
    }
    if (Arrays.stream(roles).noneMatch(p::is)) {
      throw ApiError.forbidden("this needs the role " + String.join(" or ", Arrays.stream(roles).map(Role::wire).toList()));
    }
    return p;
  }

  public static void json(RoutingContext ctx, int status, Object body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store") // tokens, children's words: never kept by a cache
        .end(body instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(body));
  }

  /** Runs {@code work}; replies with its result as JSON or hands its failure to the error handler. */
  public static <T> void reply(RoutingContext ctx, int status, Future<T> work) {
    work.onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, status, ar.result());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }
}
