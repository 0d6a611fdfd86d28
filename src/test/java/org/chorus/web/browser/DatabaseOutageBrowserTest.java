package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.chorus.support.ServerProcess;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * While the database is away a child's message says it is not saved yet and will be retried; when the
 * database is back the page's own resend stores it, once. (The protocol side: faults.DatabaseOutageTest.)
 */
class DatabaseOutageBrowserTest extends BrowserTest {
  /** The page resends its outbox every 10 s. */
  static final LocatorAssertions.HasAttributeOptions RESENT = new LocatorAssertions.HasAttributeOptions().setTimeout(40_000);
  static Path root;
  static int pgPort;
  static EmbeddedPostgres pg;
  static TestServer own;

  @BeforeAll
  static void ownServerOnItsOwnDatabase() throws IOException {
    root = Files.createTempDirectory("chorus-outage-browser-");
    pgPort = ServerProcess.freePort();
    pg = startPostgres();
    String url = "postgresql://postgres@127.0.0.1:" + pgPort + "/postgres";
    // The smallest language models: loading the large ones would only compete with the browser for the CPU.
    own = TestServer.start(root.resolve("node"), c -> c.put("database", new JsonObject().put("url", url))
        .put("language", new JsonObject().put("accuracy", "low").put("detect", new io.vertx.core.json.JsonArray().add("en"))));
    server = own;
  }

  @AfterAll
  static void sharedServerAgain() throws IOException {
    own.close();
    pg.close();
    TestServer.deleteTree(root);
    server = TestServer.shared();
  }

  @Test
  void aMessageWrittenWhileTheDatabaseIsAwaySaysNotSavedYetAndIsStoredOnceWhenItReturns() throws IOException {
    Room room = room("pre", List.of("en"), "What would you change?");
    Page child = phone();
    joinAsChild(child, room.code(), "Ana", "en", "KE");
    write(child, "Saved before the outage");
    assertThat(child.locator("#mine li[data-status=pending]")).hasCount(1);

    pg.close();
    String text = "Written while the database was away";
    write(child, text);
    Locator mine = child.locator("#mine li").filter(new Locator.FilterOptions().setHasText(text));
    assertThat(mine).hasAttribute("data-status", "notSaved");
    assertThat(mine.locator("[data-testid=mine-status]")).hasText(child("en", "status.notSaved"));
    assertThat(child.locator("#room-message")).hasText(child("en", "error.unavailable"));
    assertThat(child.locator("#connection-dot")).hasAttribute("data-state", "open");

    pg = startPostgres();
    assertThat(mine).hasAttribute("data-status", "pending", RESENT);
    long stored = await(own.server().database().pool()
        .preparedQuery("SELECT count(*) FROM contributions WHERE text = $1").execute(Tuple.of(text))).iterator().next().getLong(0);
    assertEquals(1, stored, "stored exactly once");
  }

  private static EmbeddedPostgres startPostgres() throws IOException {
    return EmbeddedPostgres.builder().setDataDirectory(root.resolve("pg")).setCleanDataDirectory(false).setPort(pgPort)
        .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on").start();
  }
}
