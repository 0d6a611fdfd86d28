package org.chorus.moderation;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.chorus.app.ChorusConfig;
import org.chorus.app.ChorusServer;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A running server picks up a good edit of its rules folder, keeps its rules on a broken one, and refuses to start broken. */
class RulesHotReloadTest {
  @Test
  void editsArePickedUpAndBrokenEditsKeepThePreviousRules() throws Exception {
    Path rules = Files.createTempDirectory("rules-copy");
    copy(Path.of("moderation-rules"), rules);
    try (TestServer server = TestServer.start(c -> c.put("moderation", new JsonObject()
        .put("rulesDir", rules.toString()).put("reloadSeconds", 1)))) {
      Api api = server.api();
      String staff = api.staffToken();
      JsonObject probe = new JsonObject().put("text", "the zebra crossing near our school is dangerous").put("language", "en");
      assertEquals("allow", expect(200, api.post("/api/moderation/check", staff, probe)).getString("action"));

      Path file = rules.resolve("contact/en.rules");
      Files.writeString(file, "\ncontact.en.test-zebra | high | hold | words | zebra crossing | Test rule\n", StandardOpenOption.APPEND);
      assertEquals("hold", waitFor(api, staff, probe, "hold"), "a good edit is active within seconds, no restart");

      Files.writeString(file, "\ncontact.en.broken | high | hodl | words | x | y\n", StandardOpenOption.APPEND);
      Thread.sleep(2500);
      assertEquals("hold", expect(200, api.post("/api/moderation/check", staff, probe)).getString("action"),
          "a broken edit is rejected and the previous rules stay active");
    }

    Vertx vertx = Vertx.vertx();
    try {
      JsonObject config = TestServer.baseConfig(Files.createTempDirectory("chorus-broken"))
          .put("moderation", new JsonObject().put("rulesDir", rules.toString()));
      RuntimeException e = assertThrows(RuntimeException.class, () -> await(ChorusServer.start(vertx, ChorusConfig.of(config))));
      assertTrue(e.getMessage().contains("contact/en.rules:") && e.getMessage().contains("unknown action 'hodl'"), e.getMessage());
    } finally {
      await(vertx.close());
      TestServer.deleteTree(rules);
    }
  }

  private static String waitFor(Api api, String staff, JsonObject probe, String expected) throws InterruptedException {
    String action = null;
    for (int i = 0; i < 50 && !expected.equals(action); i++) {
      Thread.sleep(200);
      action = expect(200, api.post("/api/moderation/check", staff, probe)).getString("action");
    }
    return action;
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
