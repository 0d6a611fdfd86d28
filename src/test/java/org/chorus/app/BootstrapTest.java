package org.chorus.app;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.chorus.support.Api.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a newcomer gets from the run command: a staff login shown once, a sample dialogue to join. */
class BootstrapTest {
  @Test
  void firstStartCreatesTheStaffLoginOnceAndAnOpenSampleDialogue() throws Exception {
    Path dataDir = Files.createTempDirectory("chorus-first-start");
    try (TestServer server = TestServer.start(dataDir, c -> {
      c.put("sampleData", true);
      c.getJsonObject("auth").put("initialStaffPassword", "");
    })) {
      Bootstrap.Result first = server.server().firstStart();
      String password = first.generatedStaffPassword();
      assertNotNull(password, "a password is generated at first start");
      assertNotNull(first.generatedFacilitatorPassword());
      assertEquals(1, first.joinCodes().size());
      String code = first.joinCodes().get(0).substring(0, 9);

      String banner = Main.banner(ChorusConfig.of(server.overrides), server.server());
      assertTrue(banner.contains(server.server().publicUrl() + "/facilitator.html"), banner);
      assertTrue(banner.contains("admin  password: " + password), banner);
      assertTrue(banner.contains(code), banner);

      Api api = server.api();
      String staff = api.login("admin", password);
      JsonObject dialogues = expect(200, api.get("/api/dialogues", staff));
      assertEquals(2, dialogues.getJsonArray("dialogues").size());
      JsonObject sample = dialogues.getJsonArray("dialogues").getJsonObject(0);
      assertEquals("open", sample.getString("status"));
      assertEquals(3, sample.getJsonArray("prompts").size());

      // A finished sample consultation, answered through the real path, so that the report has something to show.
      JsonObject finished = dialogues.getJsonArray("dialogues").getJsonObject(1);
      assertEquals(SampleConsultation.TITLE, finished.getString("title"));
      assertEquals("closed", finished.getString("status"));
      JsonObject report = expect(200, api.get("/api/report?dialogues=" + finished.getString("id"), staff));
      int rows = SampleConsultation.rows().size();
      long published = report.getJsonObject("totals").getLong("contributions");
      assertTrue(published >= rows * 9 / 10 && published <= rows, published + " of " + rows + " sample answers published");
      assertEquals(SampleConsultation.rows().stream().map(SampleConsultation.Row::child).distinct().count(),
          report.getJsonObject("totals").getLong("children"));
      assertTrue(report.getJsonObject("totals").getLong("languages") >= 8);
      assertTrue(report.getJsonObject("totals").getLong("regions") >= 4);
      assertTrue(report.getJsonArray("quotes").size() >= 3, "quotes grouped under several themes");
      assertTrue(banner.contains("/report.html?dialogues=" + finished.getString("id")), banner);
      assertTrue(report.getJsonObject("participation").getJsonArray("countries").stream()
          .anyMatch(c -> ((JsonObject) c).getString("key").startsWith("other:")), "small countries rolled up");

      // The sample facilitator can moderate the sample dialogue straight away.
      String facilitator = api.login(Bootstrap.SAMPLE_FACILITATOR, first.generatedFacilitatorPassword());
      try (LiveClient fac = server.live()) {
        assertEquals("welcome", fac.hello(facilitator, sample.getString("id")).getString("type"));
      }
      expect(201, api.post("/api/join", null, Api.joinBody(code, null, "9-11", "IN", "hi")));

      server.restart();
      Bootstrap.Result second = server.server().firstStart();
      assertNull(second.generatedStaffPassword(), "the password is shown only at first start");
      assertNull(second.generatedFacilitatorPassword());
      assertEquals(first.joinCodes(), second.joinCodes(), "no second sample dialogue");
      assertTrue(Main.banner(ChorusConfig.of(server.overrides), server.server()).contains("password was shown at first start"));
      api = server.api();
      api.login("admin", password);
    } finally {
      TestServer.deleteTree(dataDir);
    }
  }
}
