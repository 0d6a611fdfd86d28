package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Nothing a child writes is lost when the server goes away: the page keeps the message, shows the connection
 * state, reconnects with back-off once the server is back (same port, same data) and delivers it exactly once.
 */
class OfflineDeliveryBrowserTest extends BrowserTest {
  /** Reconnecting waits out the back-off (up to ~16 s here) after a restart that itself takes seconds. */
  static final LocatorAssertions.HasAttributeOptions BACK = new LocatorAssertions.HasAttributeOptions().setTimeout(60_000);
  static final LocatorAssertions.HasCountOptions COUNT_BACK = new LocatorAssertions.HasCountOptions().setTimeout(60_000);
  static Path dataDir;
  static Consumer<JsonObject> onFixedPort;
  static TestServer own;

  @BeforeAll
  static void ownServer() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    dataDir = Files.createTempDirectory("chorus-offline-");
    onFixedPort = c -> c.getJsonObject("http").put("port", port);
    own = TestServer.start(dataDir, onFixedPort);
    server = own; // the helpers of BrowserTest talk to this node
  }

  @AfterAll
  static void sharedServerAgain() {
    own.close();
    TestServer.deleteTree(dataDir);
    server = TestServer.shared();
  }

  @Test
  void aContributionWrittenWhileTheServerIsDownIsDeliveredOnceWhenItComesBack() {
    tolerate("WebSocket connection to .* failed");
    tolerate("ERR_CONNECTION_REFUSED");
    Room room = room("pre", List.of("en"), "What would you change?");
    Page child = phone();
    joinAsChild(child, room.code(), "Sam", "en", "KE");
    Page fac = facilitatorConsole(room);
    write(child, "Written while connected");
    assertThat(child.locator("#mine li[data-status=pending]")).hasCount(1);

    own.close(); // the server goes away; the page stays open
    assertThat(child.locator("#connection-dot")).hasAttribute("data-state", java.util.regex.Pattern.compile("waiting|connecting"));
    assertThat(child.locator("#connection-status")).containsText(child("en", "conn.waiting").split("\\{")[0].trim());

    String offline = "Written while the server was down";
    write(child, offline);
    Locator waiting = child.locator("#mine li[data-status=sending]");
    assertThat(waiting.locator(".text")).hasText(offline);
    assertThat(waiting.locator("[data-testid=mine-status]")).hasText(child("en", "status.sendingOffline"));
    assertThat(child.locator("#outbox-note")).isVisible();
    assertThat(child.locator("#contribution-text")).isEmpty();

    own = TestServer.start(dataDir, onFixedPort); // same port, same data folder
    server = own;

    Locator delivered = child.locator("#mine li[data-contribution-id]").filter(new Locator.FilterOptions().setHasText(offline));
    assertThat(delivered).hasAttribute("data-status", "pending", BACK);
    assertThat(child.locator("#connection-dot")).hasAttribute("data-state", "open");
    assertThat(child.locator("#outbox-note")).isHidden();
    assertThat(child.locator("#mine li[data-status=sending]")).hasCount(0);

    // The facilitator's page came back too (on its own back-off, maybe later than the child's), and sees it once.
    assertThat(fac.locator("#queue li[data-contribution-id]").filter(new Locator.FilterOptions().setHasText(offline)))
        .hasCount(1, COUNT_BACK);
    assertThat(fac.locator("#queue li[data-contribution-id]")).hasCount(2, COUNT_BACK);
    long stored = await(own.server().database().pool()
        .preparedQuery("SELECT count(*) FROM contributions WHERE text = $1").execute(Tuple.of(offline)))
        .iterator().next().getLong(0);
    assertEquals(1, stored, "stored exactly once");
  }
}
