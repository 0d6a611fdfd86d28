package org.chorus.report;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.chorus.support.Api.expect;
import static org.chorus.support.Blocking.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report end to end: children write in the live room, a facilitator decides, staff tag and quote,
 * then the exports are parsed back and checked against the database and the anonymity rules.
 */
class ReportTest extends OnSharedServer {
  static String dialogueId;
  static long promptOne;
  static long alertedId;
  static long removedId;
  static long phoneId;
  static long quotedId;
  static long themeId;

  /** 6 children in Kenya (12-14, Swahili), 5 in Brazil (15-17, Portuguese), 2 in France (9-11, French). */
  @BeforeAll
  static void consultation() {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Report: safety", "post", 100,
        "What makes you feel safe?", "What should governments do?"));
    dialogueId = d.getString("id");
    promptOne = d.getJsonArray("prompts").getJsonObject(0).getLong("id");
    List<LiveClient> kids = new ArrayList<>();
    try (LiveClient fac = server.live()) {
      fac.hello(staff, dialogueId);
      String[][] groups = {
          {"KE", "12-14", "sw", "Watoto wanahitaji kusikilizwa na walimu wao shuleni kila siku"},
          {"BR", "15-17", "pt", "As escolas precisam de mais professores que escutam os alunos com calma"},
          {"FR", "9-11", "fr", "Les adultes devraient écouter les enfants beaucoup plus souvent à l'école"}};
      int[] sizes = {6, 5, 2};
      for (int g = 0; g < groups.length; g++) {
        for (int i = 0; i < sizes[g]; i++) {
          LiveClient c = server.live();
          kids.add(c);
          c.hello(expect(201, api.post("/api/join", null, Api.joinBody(d.getString("joinCode"), null, groups[g][1], groups[g][0], groups[g][2])))
              .getString("token"), null);
          JsonObject ack = c.request(new JsonObject().put("type", "contribute").put("clientId", "r-" + g + "-" + i)
              .put("text", groups[g][3] + " (" + (char) ('a' + g) + (char) ('a' + i) + ")"));
          assertEquals("published", ack.getString("status"), ack.encode());
        }
      }
      phoneId = kids.get(0).request(new JsonObject().put("type", "contribute").put("clientId", "r-phone")
          .put("text", "Mnipigie kwa 0712 345 678 kama mnataka kusaidia watoto")).getLong("id");
      JsonObject alerted = kids.get(6).request(new JsonObject().put("type", "contribute").put("clientId", "r-alert")
          .put("text", "meu padrasto me bate todos os dias e eu tenho medo de voltar para casa"));
      assertEquals("pending", alerted.getString("status"));
      alertedId = alerted.getLong("id");
      // A facilitator publishes it by mistake: it must still never reach a report.
      fac.request(new JsonObject().put("type", "approve").put("contributionId", alertedId));
      removedId = kids.get(1).request(new JsonObject().put("type", "contribute").put("clientId", "r-removed")
          .put("text", "Esta mensagem vai ser retirada pela facilitadora depois")).getLong("id");
      fac.request(new JsonObject().put("type", "remove").put("contributionId", removedId).put("reason", "off topic"));
      quotedId = kids.get(2).request(new JsonObject().put("type", "contribute").put("clientId", "r-quote")
          .put("text", "Serikali ihakikishe kila mtoto ana mtu mzima wa kumwamini")).getLong("id");
    } finally {
      kids.forEach(LiveClient::close);
    }
    themeId = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", "Listening adults " + System.nanoTime()))).getLong("id");
    List<Long> published = exportableIds();
    JsonObject tagged = expect(200, api.post("/api/themes/" + themeId + "/contributions", staff, new JsonObject()
        .put("contributionIds", new JsonArray().add(published.get(0)).add(published.get(1)).add(alertedId).add(removedId))));
    assertEquals(2, tagged.getInteger("tagged"));
    assertEquals(2, tagged.getInteger("notTaggable"), "withheld and removed contributions cannot be tagged");
    expect(200, api.call(HttpMethod.PUT, "/api/contributions/" + quotedId + "/quote", staff,
        new JsonObject().put("rendering", "The government should make sure every child has a trusted adult").put("renderingLanguage", "en")));
    assertEquals(409, api.call(HttpMethod.PUT, "/api/contributions/" + alertedId + "/quote", staff, new JsonObject()).status());
  }

  static List<Long> exportableIds() {
    List<Long> ids = new ArrayList<>();
    for (Row r : await(server.server().database().pool().preparedQuery(
        "SELECT id FROM contributions WHERE dialogue_id = $1::uuid AND status = 'published' AND moderation_action <> 'alert' ORDER BY id")
        .execute(Tuple.of(dialogueId)))) {
      ids.add(r.getLong(0));
    }
    return ids;
  }

  static Map<String, Row> storedByText() {
    Map<String, Row> out = new HashMap<>();
    for (Row r : await(server.server().database().pool().preparedQuery("""
        SELECT id, text, country, age_band, COALESCE(content_language, language) AS language, status, moderation_action
        FROM contributions WHERE dialogue_id = $1::uuid""").execute(Tuple.of(dialogueId)))) {
      out.put(r.getString("text"), r);
    }
    return out;
  }

  @Test
  void theCsvExportHoldsEveryApprovedContributionOnceWithItsFieldsAndNothingElse() {
    Api.Reply reply = api.get("/api/report/export.csv?dialogues=" + dialogueId, staff);
    assertEquals(200, reply.status(), reply.raw());
    List<List<String>> rows = Csv.parse(reply.raw());
    assertEquals(List.of("dialogue", "prompt_number", "prompt", "region", "age_band", "language", "themes", "text", "rendering"), rows.get(0));
    Map<String, Row> stored = storedByText();
    Set<Long> seen = new HashSet<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      Row r = stored.get(row.get(7));
      assertTrue(r != null, "an exported text that is not a stored one: " + row);
      assertTrue(seen.add(r.getLong("id")), "exported twice: " + row);
      assertEquals("published", r.getString("status"));
      assertFalse("alert".equals(r.getString("moderation_action")));
      assertEquals("Report: safety", row.get(0));
      assertEquals("1", row.get(1));
      assertEquals("What makes you feel safe?", row.get(2));
      String country = r.getString("country").strip();
      assertEquals(Map.of("KE", "Africa", "BR", "Americas", "FR", "fewer than 5").get(country), row.get(3), row.toString());
      assertEquals(Map.of("12-14", "12-14", "15-17", "15-17", "9-11", "fewer than 5").get(r.getString("age_band")), row.get(4));
      String language = r.getString("language");
      assertEquals(List.of("sw", "pt").contains(language) ? language : "other", row.get(5), row.toString());
    }
    assertEquals(new HashSet<>(exportableIds()), seen, "every approved contribution, once");
    assertFalse(reply.raw().contains("0712") || reply.raw().contains("345 678"), "personal data only in redacted form");
    assertTrue(rows.stream().anyMatch(row -> row.get(7).contains("[phone]")));
    assertTrue(rows.stream().anyMatch(row -> row.get(6).startsWith("Listening adults")));
    assertTrue(rows.stream().anyMatch(row -> row.get(8).equals("The government should make sure every child has a trusted adult")));
    assertFalse(reply.raw().contains("padrasto") || reply.raw().contains("retirada"), "withheld and removed ones never appear");
  }

  @Test
  void theJsonExportHasTheSameRowsPlusTheAggregatesAndNamesNoSmallCountry() {
    Api.Reply reply = api.get("/api/report/export.json?dialogues=" + dialogueId, staff);
    assertEquals(200, reply.status());
    JsonObject json = new JsonObject(reply.raw());
    JsonArray contributions = json.getJsonArray("contributions");
    assertEquals(exportableIds().size(), contributions.size());
    for (Object o : contributions) {
      JsonObject c = (JsonObject) o;
      assertTrue(storedByText().containsKey(c.getString("text")));
      assertFalse(c.containsKey("participantId") || c.containsKey("nickname") || c.containsKey("country"), c.encode());
    }
    JsonObject report = json.getJsonObject("report");
    assertEquals(13, report.getJsonObject("totals").getLong("children"));
    assertFalse(reply.raw().contains("France") || reply.raw().contains("\"FR\""), "a country with 2 children never appears as such");
    JsonArray countries = report.getJsonObject("participation").getJsonArray("countries");
    assertTrue(countries.stream().map(JsonObject.class::cast).anyMatch(c -> "Kenya".equals(c.getString("label")) && c.getLong("children") == 6));
    JsonObject europe = countries.stream().map(JsonObject.class::cast).filter(c -> "other:Europe".equals(c.getString("key"))).findFirst().orElseThrow();
    assertNull(europe.getLong("children"), "rolled up and still below k: suppressed");
  }

  @Test
  void theReportShowsBreakdownsThemesQuotesAndModerationFiguresWithoutContent() {
    JsonObject report = expect(200, api.get("/api/report?dialogues=" + dialogueId, staff));
    assertFalse(report.getBoolean("empty"));
    JsonObject quote = report.getJsonArray("quotes").getJsonObject(0).getJsonArray("quotes").getJsonObject(0);
    assertEquals("Child, 12-14, Africa", quote.getString("attribution"));
    assertEquals("The government should make sure every child has a trusted adult", quote.getString("rendering"));
    JsonObject prompt = report.getJsonArray("prompts").getJsonObject(0);
    JsonObject theme = prompt.getJsonArray("themes").getJsonObject(0);
    assertTrue(theme.getString("theme").startsWith("Listening adults"));
    assertNull(theme.getLong("contributions"), "2 children only: suppressed");
    JsonObject moderation = report.getJsonObject("moderation");
    assertEquals(1, moderation.getLong("safeguardingAlerts"));
    assertEquals(1, moderation.getLong("removed"));
    assertFalse(report.encode().contains("padrasto"), "alerts are counted, never shown");
    assertTrue(report.getJsonObject("charts").getString("regions").startsWith("<svg"));
    JsonObject ages = report.getJsonObject("participation").getJsonArray("ageBands").stream().map(JsonObject.class::cast)
        .filter(c -> "9-11".equals(c.getString("key"))).findFirst().orElseThrow();
    assertNull(ages.getLong("children"));
  }

  @Test
  void badReportRequestsGetClearErrorsAndAnEmptyDialogueSaysSo() {
    assertEquals(400, api.get("/api/report?dialogues=", staff).status());
    assertEquals(400, api.get("/api/report?dialogues=not-an-id", staff).status());
    Api.Reply unknown = api.get("/api/report/export.csv?dialogues=" + dialogueId + ",6f1c7c1e-0000-4000-8000-000000000000", staff);
    assertEquals(404, unknown.status());
    assertEquals("dialogue_not_found", unknown.errorCode());
    assertEquals(400, api.get("/api/report?dialogues=" + dialogueId + "&k=2", staff).status(), "k may only be stricter");
    JsonObject facilitator = api.createFacilitator(staff, "report-fac-" + System.nanoTime() % 100000);
    api.assign(staff, dialogueId, facilitator.getString("id"));
    String facToken = api.login(facilitator.getString("username"), facilitator.getString("password"));
    assertEquals(403, api.get("/api/report?dialogues=" + dialogueId, facToken).status());
    assertEquals(403, api.get("/api/report/export.csv?dialogues=" + dialogueId, facToken).status());

    JsonObject empty = api.openDialogue(staff, Api.dialogueBody("Nobody yet", "pre", 10, "Q?"));
    JsonObject report = expect(200, api.get("/api/report?dialogues=" + empty.getString("id"), staff));
    assertTrue(report.getBoolean("empty"));
    assertEquals(0, report.getJsonObject("totals").getLong("contributions"));
    Api.Reply csv = api.get("/api/report/export.csv?dialogues=" + empty.getString("id"), staff);
    assertEquals(200, csv.status());
    assertEquals(1, Csv.parse(csv.raw()).size(), "the header only");
  }

  @Test
  void themesAreUniqueAndFacilitatorsTagOnlyInTheirOwnDialogues() {
    String name = "Online safety " + System.nanoTime();
    long id = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", name))).getLong("id");
    assertEquals(409, api.post("/api/themes", staff, new JsonObject().put("name", name.toUpperCase())).status());
    assertEquals(400, api.post("/api/themes", staff, new JsonObject().put("name", " ")).status());
    JsonObject outsider = api.createFacilitator(staff, "tag-fac-" + System.nanoTime() % 100000);
    String token = api.login(outsider.getString("username"), outsider.getString("password"));
    assertEquals(403, api.post("/api/themes", token, new JsonObject().put("name", "Mine")).status());
    long published = exportableIds().get(0);
    JsonObject refused = expect(200, api.post("/api/themes/" + id + "/contributions", token,
        new JsonObject().put("contributionIds", new JsonArray().add(published))));
    assertEquals(0, refused.getInteger("tagged"));
    assertEquals(1, refused.getInteger("notTaggable"));
    api.assign(staff, dialogueId, outsider.getString("id"));
    assertEquals(1, expect(200, api.post("/api/themes/" + id + "/contributions", token,
        new JsonObject().put("contributionIds", new JsonArray().add(published)))).getInteger("tagged"));
    assertEquals(404, api.post("/api/themes/999999999/contributions", staff,
        new JsonObject().put("contributionIds", new JsonArray().add(published))).status());
    JsonArray listed = expect(200, api.get("/api/report/contributions?dialogues=" + dialogueId + "&theme=" + id, staff)).getJsonArray("contributions");
    assertEquals(1, listed.size());
    assertEquals(published, listed.getJsonObject(0).getLong("id"));
    assertEquals(1, expect(200, api.post("/api/themes/" + id + "/contributions", staff,
        new JsonObject().put("contributionIds", new JsonArray().add(published)).put("action", "remove"))).getInteger("untagged"));
  }

  @Test
  void suggestionsListTheWordsManyChildrenShare() {
    JsonObject suggestions = expect(200, api.get("/api/report/suggestions?dialogues=" + dialogueId, staff));
    JsonObject first = suggestions.getJsonArray("prompts").getJsonObject(0);
    assertEquals(promptOne, first.getLong("promptId"));
    JsonObject swahili = first.getJsonArray("languages").stream().map(JsonObject.class::cast)
        .filter(l -> "sw".equals(l.getString("language"))).findFirst().orElseThrow();
    List<String> words = swahili.getJsonArray("words").stream().map(w -> ((JsonObject) w).getString("term")).toList();
    assertTrue(words.contains("watoto") && words.contains("walimu"), words.toString());
    List<String> phrases = swahili.getJsonArray("phrases").stream().map(w -> ((JsonObject) w).getString("term")).toList();
    assertTrue(phrases.contains("watoto wanahitaji"), phrases.toString());
  }
}
