package org.chorus.language;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.chorus.app.ChorusConfig;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every contribution gets its language in the live room, also those that arrive before the detector is loaded. */
class LanguageLiveTest {
  static JsonObject contribute(LiveClient c, String clientId, String text) {
    return c.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text));
  }

  static LiveClient child(TestServer server, Api api, String code, String language) {
    LiveClient c = server.live();
    c.hello(expect(201, api.post("/api/join", null, Api.joinBody(code, null, "12-14", "MX", language))).getString("token"), null);
    return c;
  }

  static Row stored(TestServer server, long id) {
    return await(server.server().database().pool()
        .preparedQuery("SELECT detected_language, content_language, language_source FROM contributions WHERE id = $1")
        .execute(Tuple.of(id))).iterator().next();
  }

  static void awaitHealth(Api api, String languageDetection) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!languageDetection.equals(expect(200, api.get("/health", null)).getString("languageDetection"))) {
      assertTrue(System.nanoTime() < deadline, "language detection never became " + languageDetection);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void contributionsAreTaggedWithTheDetectedLanguageOrTheChosenOneWhenUnsureAndCountedPerLanguage() {
    TestServer server = TestServer.shared();
    Api api = server.api();
    String staff = api.staffToken();
    awaitHealth(api, "ready");
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Languages", "pre", 50, "What would make school safer?"));
    try (LiveClient fac = server.live(); LiveClient child = child(server, api, d.getString("joinCode"), "en")) {
      fac.hello(staff, d.getString("id"));
      long spanish = contribute(child, "l-1", "Creo que los maestros deberían escuchar más a los niños en la escuela").getLong("id");
      long tiny = contribute(child, "l-2", "ok 👍").getLong("id");

      JsonObject es = fac.awaitContribution(spanish, "pending");
      assertEquals("es", es.getString("detectedLanguage"));
      assertEquals("es", es.getString("contentLanguage"));
      assertEquals("detected", es.getString("languageSource"));
      assertEquals("en", es.getString("language"), "the child's own choice is kept beside it");
      JsonObject und = fac.awaitContribution(tiny, "pending");
      assertEquals("und", und.getString("detectedLanguage"));
      assertEquals("en", und.getString("contentLanguage"));
      assertEquals("chosen", und.getString("languageSource"));

      Row row = stored(server, spanish);
      assertEquals("es", row.getString("detected_language"));
      assertEquals("detected", row.getString("language_source"));

      JsonObject stats = expect(200, api.get("/api/dialogues/" + d.getString("id") + "/stats", staff));
      assertEquals(2, stats.getJsonObject("contributions").getLong("pending"));
      assertEquals(1, stats.getLong("participants"));
      assertEquals(new JsonObject().put("language", "en").put("contributions", 1L).put("published", 0L), stats.getJsonArray("languages").getJsonObject(0));
      assertEquals(new JsonObject().put("language", "es").put("contributions", 1L).put("published", 0L), stats.getJsonArray("languages").getJsonObject(1));
    }
  }

  @Test
  void contributionsArrivingBeforeTheDetectorIsReadyAreStoredAcknowledgedAndTaggedAfterwards() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    LanguageDetection.Settings settings = ChorusConfig.of(new JsonObject()).languageSettings();
    try (TestServer server = TestServer.startWithLanguageLoader(() -> {
      assertTrue(release.await(120, TimeUnit.SECONDS), "the test never released the detector");
      return LanguageDetection.build(settings);
    })) {
      Api api = server.api();
      String staff = api.staffToken();
      JsonObject health = expect(200, api.get("/health", null));
      assertEquals("not_ready", health.getString("languageDetection"));
      assertEquals("up", health.getString("status"), "the node serves while the detector loads");

      JsonObject d = api.openDialogue(staff, Api.dialogueBody("Early", "pre", 50, "Hello?"));
      try (LiveClient fac = server.live(); LiveClient child = child(server, api, d.getString("joinCode"), "fr")) {
        fac.hello(staff, d.getString("id"));
        JsonObject ack = contribute(child, "e-1", "Je pense que les adultes devraient nous écouter davantage à l'école");
        long id = ack.getLong("id");
        JsonObject untagged = fac.awaitContribution(id, "pending");
        assertNull(untagged.getString("detectedLanguage"));
        assertNull(untagged.getString("languageSource"));
        assertNull(stored(server, id).getString("language_source"), "stored at once, untagged");

        release.countDown();
        awaitHealth(api, "ready");
        JsonObject tagged = fac.next(f -> "contribution".equals(f.getString("type"))
            && f.getJsonObject("contribution").getLong("id") == id
            && f.getJsonObject("contribution").getString("languageSource") != null, Duration.ofSeconds(30)).getJsonObject("contribution");
        assertEquals("fr", tagged.getString("detectedLanguage"));
        assertEquals("pending", tagged.getString("status"));
        assertEquals("detected", stored(server, id).getString("language_source"));
        assertEquals(1, await(server.server().database().pool().query("SELECT count(*) FROM contributions").execute())
            .iterator().next().getLong(0), "nothing dropped, nothing doubled");
      }
    } finally {
      release.countDown();
    }
  }
}
