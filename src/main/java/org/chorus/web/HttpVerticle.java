package org.chorus.web;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import org.chorus.auth.AccountService;
import org.chorus.auth.AuthRoutes;
import org.chorus.auth.TokenService;
import org.chorus.db.Database;
import org.chorus.dialogue.DialogueRoutes;
import org.chorus.dialogue.DialogueService;
import org.chorus.dialogue.JoinRoutes;
import org.chorus.dialogue.JoinService;
import org.chorus.language.LanguageService;
import org.chorus.live.LiveEdge;
import org.chorus.live.LiveServices;
import org.chorus.moderation.AuditLog;
import org.chorus.moderation.ModerationRoutes;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.privacy.PrivacyRoutes;
import org.chorus.report.ReportRoutes;
import org.chorus.report.ReportService;
import org.chorus.report.ThemeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;

/**
 * The web edge of a node: REST routes, the static browser clients, /health, and the live WebSocket
 * at /live. Handlers are thin; one instance per event loop.
 */
public final class HttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(HttpVerticle.class);
  public static final String LIVE_PATH = "/live";

  public record Services(TokenService tokens, AccountService accounts, DialogueService dialogues, JoinService join,
                         LiveServices live, Database database, SafeguardingFilter filter, LanguageService language,
                         ThemeStore themes, ReportService reports, PrivacyRoutes.Services privacy) {}

  /** Where and how this node listens: one record instead of a row of positional settings. */
  public record Edge(String host, int port, int maxBodyBytes, int sendBufferBytes, int idleTimeoutSeconds,
                     List<String> allowedOrigins, List<String> trustedProxies, Tls tls) {}

  private final Services services;
  private final Edge edge;
  private HttpServer server;

  public HttpVerticle(Services services, Edge edge) {
    this.services = services;
    this.edge = edge;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    SecurityHeaders headers = new SecurityHeaders(edge.tls().enabled());
    router.route().handler(headers::apply);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(edge.maxBodyBytes()));
    router.route("/api/*").handler(Requests::rejectNul);
    router.get("/health").handler(this::health);
    // An upgrade never reaches the router (see upgrade); a plain GET of the socket's path gets a clear error.
    router.get(LIVE_PATH).handler(ctx -> ctx.fail(ApiError.badRequest("websocket_required",
        LIVE_PATH + " is the live room's WebSocket; open it with a WebSocket client")));

    AuthRoutes.mountPublic(router, services.accounts());
    JoinRoutes.mount(router, services.join(), new ClientAddress(edge.trustedProxies()));
    router.route("/api/*").handler(Requests.authenticate(services.tokens()));
    AuthRoutes.mountProtected(router, services.accounts(), services.tokens().revocation());
    DialogueRoutes.mount(router, services.dialogues());
    ModerationRoutes.mount(router, services.filter(), new AuditLog(services.database().pool()), services.live().alerts());
    ReportRoutes.mount(router, services.themes(), services.reports());
    PrivacyRoutes.mount(router, services.privacy());
    router.route("/api/*").handler(ctx -> ctx.fail(ApiError.notFound("no_such_route", "no such API route")));

    // Browsers revalidate every time (cheap 304s), so a deploy never mixes old and new modules.
    router.route().handler(StaticHandler.create("webroot").setCachingEnabled(true).setMaxAgeSeconds(0));
    router.route().failureHandler(HttpVerticle::failure);
    RouteTable.publish(vertx, router);

    int maxFrame = services.live().settings().maxFrameBytes();
    HttpServerOptions options = new HttpServerOptions()
        .setHost(edge.host())
        .setPort(edge.port())
        .setCompressionSupported(true)
        .setMaxWebSocketFrameSize(maxFrame)
        .setMaxWebSocketMessageSize(maxFrame)
        // A fixed kernel send buffer per connection (no autotuning up to 4 MB): a child that stops reading
        // fills it quickly and is then dropped by the bounded write queue (live.maxOutgoingBytes), and
        // thousands of slow phones cannot pin gigabytes of kernel memory.
        .setSendBufferSize(edge.sendBufferBytes())
        // A connection the client went silent on (a phone that lost its network leaves the TCP connection
        // half-open) is closed after http.idleTimeoutSeconds with nothing received; the clients ping every 25 s.
        .setReadIdleTimeout(edge.idleTimeoutSeconds())
        .setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
    if (edge.tls().enabled()) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(edge.tls().certFile()).setKeyPath(edge.tls().keyFile()));
    }
    // Upgrades are taken in front of the router, from the server's own request: the router would hand over a
    // wrapped socket, and the live room needs the real one to cut a client that stops reading (RoomConnection).
    // Not with the server's webSocketHandshakeHandler either: its reject(status) answers a bare status, and a
    // refused upgrade carries the same headers as every other answer.
    LiveEdge live = new LiveEdge(vertx, services.live());
    server = vertx.createHttpServer(options)
        .requestHandler(req -> {
          if (req.headers().contains(HttpHeaders.UPGRADE, HttpHeaders.WEBSOCKET, true)) {
            upgrade(req, live, headers);
          } else {
            router.handle(req);
          }
        });
    // Revocations known before the first request: a restarted node refuses signed-out tokens at once.
    return services.tokens().revocation().attach(vertx).compose(v -> server.listen());
  }

  /**
   * Only /live upgrades, and only from an allowed browser origin (non-browser clients send none). A refusal is an
   * error answer like the router's. The security headers go on every answer to an upgrade: a refusal here, the
   * 400/405 Vert.x answers to a malformed handshake, and the 101 (where they do nothing).
   */
  private void upgrade(HttpServerRequest req, LiveEdge live, SecurityHeaders headers) {
    headers.set(req.response().headers());
    ApiError refusal = null;
    if (!LIVE_PATH.equals(req.path())) {
      refusal = ApiError.notFound("not_found", "not found");
    } else {
      String origin = req.getHeader("Origin");
      if (origin != null && !edge.allowedOrigins().contains(origin.toLowerCase(Locale.ROOT))) {
        refusal = new ApiError(403, "origin_not_allowed", "pages from this origin may not open the live room");
      }
    }
    if (refusal == null) {
      req.toWebSocket().onSuccess(live::accept).onFailure(err -> LOG.debug("WebSocket upgrade failed: {}", err.getMessage()));
      return;
    }
    req.response().setStatusCode(refusal.status())
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .end(refusal.toJson().encode());
  }

  /**
   * 503 only when the database is down (nothing can be stored). While the language detector loads the
   * node still serves (contributions are tagged later), so that is reported but stays 200.
   */
  private void health(RoutingContext ctx) {
    services.database().ping().onComplete(ar -> {
      boolean up = ar.succeeded() && ar.result();
      Requests.json(ctx, up ? 200 : 503, new io.vertx.core.json.JsonObject()
          .put("status", up ? "up" : "down")
          .put("database", up ? "up" : "down")
          .put("languageDetection", switch (services.language().state()) {
            case READY -> "ready";
            case LOADING -> "not_ready";
            case FAILED -> "failed";
          }));
    });
  }

  /** Every failure becomes a JSON error; unexpected ones are logged without request data. */
  private static void failure(RoutingContext ctx) {
    Throwable err = ctx.failure();
    ApiError api;
    if (err instanceof ApiError a) {
      api = a;
    } else if (err == null || ctx.statusCode() == 413 || ctx.statusCode() == 404 || ctx.statusCode() == 405) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      api = switch (status) {
        case 413 -> new ApiError(413, "body_too_large", "the request body is too large");
        case 404 -> ApiError.notFound("not_found", "not found");
        case 405 -> new ApiError(405, "method_not_allowed", "method not allowed here");
        default -> new ApiError(status, "error", "request failed");
      };
    } else {
      LOG.error("request to {} failed", ctx.request().path(), err);
      api = new ApiError(500, "server_error", "something went wrong on our side; nothing was changed");
    }
    if (ctx.response().ended()) {
      return;
    }
    if (api.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", Long.toString(api.retryAfterSeconds()));
    }
    Requests.json(ctx, api.status(), api.toJson());
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
