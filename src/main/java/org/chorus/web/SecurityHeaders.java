package org.chorus.web;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * The headers every answer carries (pages, API, errors, refused WebSocket upgrades). The pages use no
 * inline script, style or event handler (a test parses them), so the policy allows only this origin's
 * files; SVG charts come as data: images. HSTS only when this server itself speaks TLS.
 */
public final class SecurityHeaders {
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  static final String HSTS = "max-age=31536000";

  private final boolean tls;

  public SecurityHeaders(boolean tls) {
    this.tls = tls;
  }

  public void apply(RoutingContext ctx) {
    set(ctx.response().headers());
    ctx.next();
  }

  void set(MultiMap headers) {
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .set("X-Content-Type-Options", "nosniff")
        .set("Referrer-Policy", "no-referrer")
        .set("X-Frame-Options", "DENY")
        .set("Cross-Origin-Opener-Policy", "same-origin")
        .set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    if (tls) {
      headers.set("Strict-Transport-Security", HSTS);
    }
  }
}
