package org.chorus.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rate-limit key of a request: X-Forwarded-For is believed only as far as the trusted proxies vouch for it. */
class ClientAddressTest {
  private final ClientAddress none = new ClientAddress(List.of());
  private final ClientAddress balancer = new ClientAddress(List.of("10.0.0.2", "10.0.0.3"));

  @Test
  void withoutTrustedProxiesTheHeaderIsIgnored() {
    assertEquals("198.51.100.4", none.of("198.51.100.4", List.of("203.0.113.7")));
    assertEquals("198.51.100.4", balancer.of("198.51.100.4", List.of("203.0.113.7")), "a client that is not a proxy cannot choose its key");
  }

  @Test
  void behindTheBalancerTheClientIsTheRightmostUntrustedHop() {
    assertEquals("203.0.113.7", balancer.of("10.0.0.2", List.of("203.0.113.7")));
    assertEquals("203.0.113.7", balancer.of("10.0.0.2", List.of("1.2.3.4, 203.0.113.7")), "the left part is the client's own word");
    assertEquals("203.0.113.7", balancer.of("10.0.0.2", List.of("1.2.3.4", "203.0.113.7, 10.0.0.3")), "two proxies, two header lines");
    assertEquals("10.0.0.2", balancer.of("10.0.0.2", List.of()), "no header: the proxy itself");
    assertEquals("10.0.0.2", balancer.of("10.0.0.2", List.of("not-an-address")), "garbage: stop at the last address vouched for");
    assertEquals("10.0.0.3", balancer.of("10.0.0.2", List.of("10.0.0.3")), "only trusted hops: the leftmost of them");
  }

  @Test
  void oneSpellingPerAddress() {
    ClientAddress v6 = new ClientAddress(List.of("::1"));
    assertEquals("2001:db8:0:0:0:0:0:7", v6.of("0:0:0:0:0:0:0:1", List.of("[2001:db8::7]")));
    assertTrue(ClientAddress.isIpLiteral("10.0.0.2"));
    assertTrue(ClientAddress.isIpLiteral("2001:db8::1"));
    assertFalse(ClientAddress.isIpLiteral("lb.example.org"), "host names are refused: checking one would ask DNS");
    assertFalse(ClientAddress.isIpLiteral("10.0.0"));
  }
}
