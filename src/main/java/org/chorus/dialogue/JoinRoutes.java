package org.chorus.dialogue;

import io.vertx.ext.web.Router;
import org.chorus.web.ClientAddress;
import org.chorus.web.Requests;

/** Public REST for children: look up a code, then join. */
public final class JoinRoutes {
  private JoinRoutes() {}

  /** {@code clients}: the client's address, used only as an in-memory rate-limit key for wrong codes; never stored or logged. */
  public static void mount(Router router, JoinService join, ClientAddress clients) {
    router.get("/api/join/:code").handler(ctx -> Requests.reply(ctx, 200, join.preview(ctx.pathParam("code"), clients.of(ctx))));
    router.post("/api/join").handler(ctx -> Requests.reply(ctx, 201, join.join(Requests.body(ctx), clients.of(ctx))));
  }
}
