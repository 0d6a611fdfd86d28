package org.chorus.web;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a request came from, as a key for in-memory rate limits only (never stored or logged). Behind a load
 * balancer every request arrives from the balancer, so one child's wrong join codes would lock out everyone:
 * when the direct peer is one of {@code http.trustedProxies}, the address comes from {@code X-Forwarded-For},
 * read from the right past the trusted proxies. The left part is whatever the client wrote, so it is never
 * believed; with no trusted proxy configured the header is ignored (a client cannot pick its own key).
 * Plain logic, usable without Vert.x except {@link #of(RoutingContext)}.
 */
public final class ClientAddress {
  private final Set<String> trustedProxies;

  /** {@code trustedProxies}: IP literals (checked by {@link #isIpLiteral}); empty = trust no header. */
  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies = trustedProxies.stream().map(ClientAddress::normalise).collect(Collectors.toUnmodifiableSet());
  }

  /** An IPv4 or IPv6 literal (no host names: checking one must never ask DNS, so no InetAddress lookup here). */
  public static boolean isIpLiteral(String s) {
    return NetUtil.isValidIpV4Address(s) || NetUtil.isValidIpV6Address(s);
  }

  public String of(RoutingContext ctx) {
    SocketAddress remote = ctx.request().connection().remoteAddress();
    return of(remote == null ? null : remote.hostAddress(), ctx.request().headers().getAll("X-Forwarded-For"));
  }

  /** {@code forwardedFor}: every X-Forwarded-For header line in order (a proxy may add a line instead of appending). */
  public String of(String peer, List<String> forwardedFor) {
    if (peer == null) {
      return "unknown";
    }
    String current = normalise(peer);
    if (!trustedProxies.contains(current)) {
      return current;
    }
    String[] hops = String.join(",", forwardedFor).split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      if (!isIpLiteral(hop)) {
        return current; // garbage where an address should be: stop at the last address we can vouch for
      }
      current = normalise(hop);
      if (!trustedProxies.contains(current)) {
        return current;
      }
    }
    return current;
  }

  /** One spelling per address ("::1" and "0:0:0:0:0:0:0:1" are the same key); parsed, never looked up. */
  static String normalise(String address) {
    String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    InetAddress parsed = isIpLiteral(bare) ? NetUtil.createInetAddressFromIpAddressString(bare) : null;
    return parsed == null ? bare : parsed.getHostAddress();
  }
}
