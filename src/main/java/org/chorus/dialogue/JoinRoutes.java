package org.chorus.dialogue;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.chorus.web.Requests;

/** Public REST for children: look up a code, then join. */
public final class JoinRoutes {
  private JoinRoutes() {}

  public static void mount(Router router, JoinService join) {
    router.get("/api/join/:code").handler(ctx -> Requests.reply(ctx, 200, join.preview(ctx.pathParam("code"), clientKey(ctx))));
    router.post("/api/join").handler(ctx -> Requests.reply(ctx, 201, join.join(Requests.body(ctx), clientKey(ctx))));
  }

  /** The client's address, used only as an in-memory rate-limit key; never stored or logged. */
  static String clientKey(RoutingContext ctx) {
    var remote = ctx.request().remoteAddress();
    return remote == null ? "unknown" : remote.hostAddress();
  }
}
