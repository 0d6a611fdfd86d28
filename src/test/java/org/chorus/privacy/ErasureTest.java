package org.chorus.privacy;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.chorus.support.Api;
import org.chorus.support.DatabaseText;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import static org.chorus.support.Api.expect;
import static org.chorus.support.DatabaseText.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Erasure end to end: a child withdraws over REST while it, another child and a facilitator are in the live
 * room; staff erase by pseudonymous id; what is left in the database, the room and the exports.
 */
class ErasureTest extends OnSharedServer {
  private static final Predicate<JsonObject> ANY_CONTRIBUTION = f -> "contribution".equals(f.getString("type"));

  private record Room(String id, String code) {}

  private static Room room(String title) {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody(title, "post", 50, "What would make school better?"));
    return new Room(d.getString("id"), d.getString("joinCode"));
  }

  private static JsonObject contribute(LiveClient child, String clientId, String text) {
    JsonObject ack = child.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text));
    assertEquals("ack", ack.getString("type"), ack.encode());
    return ack;
  }

  private static Pool pool() {
    return server.server().database().pool();
  }

  @Test
  void aChildWithdrawsAndEveryScreenDropsItsWordsTheDatabaseAndTheExportsForgetThem() {
    Room room = room("Erasure: withdraw");
    JsonObject vera = api.join(room.code(), "Vera");
    JsonObject omar = api.join(room.code(), "Omar");
    UUID veraId = UUID.fromString(vera.getJsonObject("participant").getString("id"));
    long veraFirst;
    long veraSecond;
    long omarsId;
    try (LiveClient fac = server.live(); LiveClient veraSocket = server.live(); LiveClient omarSocket = server.live()) {
      fac.hello(staff, room.id());
      veraSocket.hello(vera.getString("token"), null);
      omarSocket.hello(omar.getString("token"), null);
      veraFirst = contribute(veraSocket, "v-1", "Longer breaks so we can play football together").getLong("id");
      veraSecond = contribute(veraSocket, "v-2", "Teachers who explain maths slowly and kindly").getLong("id");
      omarsId = contribute(omarSocket, "o-1", "A quiet room in the library for reading").getLong("id");
      omarSocket.awaitContribution(veraSecond, "published");
      veraSocket.request(new JsonObject().put("type", "react").put("contributionId", omarsId).put("kind", "me_too"));
      omarSocket.request(new JsonObject().put("type", "react").put("contributionId", veraFirst).put("kind", "heart"));
      long theme = expect(201, api.post("/api/themes", staff, new JsonObject().put("name", "School life " + System.nanoTime()))).getLong("id");
      expect(200, api.post("/api/themes/" + theme + "/contributions", staff,
          new JsonObject().put("contributionIds", new JsonArray().add(veraFirst).add(omarsId))));
      expect(200, api.call(HttpMethod.PUT, "/api/contributions/" + veraFirst + "/quote", staff, new JsonObject()));
      String before = api.get("/api/report/export.csv?dialogues=" + room.id(), staff).raw();
      assertTrue(before.contains("Longer breaks") && before.contains("A quiet room"), before);
      long auditRows = count(pool(), "SELECT count(*) FROM moderation_audit WHERE dialogue_id = $1", UUID.fromString(room.id()));

      JsonObject erased = expect(200, api.delete("/api/participants/me", vera.getString("token")));
      assertEquals(2, erased.getInteger("contributions"));
      assertEquals(1, erased.getInteger("reactions"), "Vera's own 'me too' on Omar's words");
      assertEquals(0, erased.getInteger("alertsKept"));

      // Every screen hears a tombstone for each of Vera's contributions.
      for (long id : List.of(veraFirst, veraSecond)) {
        JsonObject forOmar = omarSocket.awaitContribution(id, "removed");
        assertEquals(new JsonObject().put("id", id).put("status", "removed"), forOmar, "other children learn nothing but the id");
        JsonObject forFacilitator = fac.awaitContribution(id, "removed");
        assertTrue(forFacilitator.getBoolean("erased"), forFacilitator.encode());
        assertNull(forFacilitator.getString("text"), "a tombstone carries no text");
      }
      JsonObject participant = fac.next(f -> "participant".equals(f.getString("type")), Duration.ofSeconds(5));
      assertEquals(veraId.toString(), participant.getString("participantId"));
      assertTrue(participant.getBoolean("removed") && participant.getBoolean("erased"));
      veraSocket.next("removed");
      assertTrue(veraSocket.awaitClosed(Duration.ofSeconds(5)), "the withdrawn child's socket is closed");
      omarSocket.assertNone(f -> "participant".equals(f.getString("type")) || "removed".equals(f.getString("type")), Duration.ofMillis(300));
      // Vera's "me too" on Omar's words is gone: the room hears the lower count.
      for (LiveClient screen : List.of(omarSocket, fac)) {
        screen.next(f -> "reactions".equals(f.getString("type")) && f.getLong("contributionId") == omarsId
            && f.getJsonObject("reactions").isEmpty(), Duration.ofSeconds(5));
      }

      // The database: Vera's rows are gone, Omar's stay, the audit log keeps its rows and a withdrawal entry is written.
      assertEquals(0, count(pool(), "SELECT count(*) FROM participants WHERE id = $1", veraId));
      assertEquals(0, count(pool(), "SELECT count(*) FROM contributions WHERE participant_id = $1 OR id = ANY($2)", veraId,
          new Long[] {veraFirst, veraSecond}));
      assertEquals(0, count(pool(), "SELECT count(*) FROM reactions WHERE participant_id = $1 OR contribution_id = ANY($2)", veraId,
          new Long[] {veraFirst, veraSecond}));
      assertEquals(0, count(pool(), "SELECT count(*) FROM contribution_themes WHERE contribution_id = ANY($1)", (Object) new Long[] {veraFirst}));
      assertEquals(0, count(pool(), "SELECT count(*) FROM quotes WHERE contribution_id = $1", veraFirst));
      assertEquals(1, count(pool(), "SELECT count(*) FROM contribution_themes WHERE contribution_id = $1", omarsId));
      assertEquals(1, count(pool(), "SELECT count(*) FROM contributions WHERE id = $1", omarsId));
      assertEquals(auditRows, count(pool(), "SELECT count(*) FROM moderation_audit WHERE dialogue_id = $1", UUID.fromString(room.id())),
          "the moderation audit log is append-only, erasure included");
      JsonArray log = expect(200, api.get("/api/dialogues/" + room.id() + "/privacy-log", staff)).getJsonArray("entries");
      assertEquals(1, log.size());
      JsonObject entry = log.getJsonObject(0);
      assertEquals("withdrawal", entry.getString("kind"));
      assertEquals("child", entry.getString("by"));
      assertEquals(2, entry.getInteger("contributions"));
      assertFalse(entry.encode().contains(veraId.toString()), "the log says that, not whose");

      // Every later export and report leaves them out, themes and quotes included.
      String after = api.get("/api/report/export.csv?dialogues=" + room.id(), staff).raw();
      assertFalse(after.contains("Longer breaks") || after.contains("explain maths"), after);
      assertTrue(after.contains("A quiet room"), after);
      String json = api.get("/api/report/export.json?dialogues=" + room.id(), staff).raw();
      assertFalse(json.contains("Longer breaks"), json);
      JsonObject report = expect(200, api.get("/api/report?dialogues=" + room.id(), staff));
      assertTrue(report.getJsonArray("quotes").isEmpty(), report.getJsonArray("quotes").encode());
      assertEquals(1, report.getJsonObject("totals").getLong("contributions"));

      // A reconnecting facilitator no longer gets them; the withdrawn token no longer enters or erases.
      try (LiveClient again = server.live()) {
        JsonObject welcome = again.hello(staff, room.id());
        assertFalse(welcome.encode().contains("Longer breaks"));
      }
      try (LiveClient veraAgain = server.live()) {
        assertEquals("unauthorized", veraAgain.hello(vera.getString("token"), null).getString("code"));
      }
      assertEquals("participant_not_found", api.delete("/api/participants/me", vera.getString("token")).errorCode());
    }
  }

  @Test
  void staffEraseByPseudonymousIdAndNoOtherTokenCan() {
    Room room = room("Erasure: staff");
    Room other = room("Erasure: another room");
    JsonObject amina = api.join(room.code(), "Amina");
    JsonObject bo = api.join(room.code(), "Bo");
    String aminaId = amina.getJsonObject("participant").getString("id");
    JsonObject facilitator = api.createFacilitator(staff, "erasure-fac-" + System.nanoTime() % 100000);
    api.assign(staff, room.id(), facilitator.getString("id"));
    String facToken = api.login(facilitator.getString("username"), facilitator.getString("password"));
    String path = "/api/dialogues/" + room.id() + "/participants/" + aminaId;
    try (LiveClient aminaSocket = server.live(); LiveClient boSocket = server.live()) {
      aminaSocket.hello(amina.getString("token"), null);
      boSocket.hello(bo.getString("token"), null);
      long words = contribute(aminaSocket, "a-1", "More trees around the school please").getLong("id");
      boSocket.awaitContribution(words, "published");

      assertEquals(403, api.delete(path, bo.getString("token")).status(), "a child's token cannot erase someone else");
      assertEquals(403, api.delete(path, facToken).status(), "erasure by id is for staff");
      assertEquals(401, api.delete(path, null).status());
      assertEquals("participant_not_found", api.delete("/api/dialogues/" + other.id() + "/participants/" + aminaId, staff).errorCode(),
          "the id must belong to the dialogue named");
      assertEquals("participant_not_found", api.delete("/api/dialogues/" + room.id() + "/participants/" + UUID.randomUUID(), staff).errorCode());
      assertEquals(404, api.delete("/api/dialogues/" + room.id() + "/participants/not-a-uuid", staff).status());
      assertEquals("dialogue_not_found", api.delete("/api/dialogues/" + UUID.randomUUID() + "/participants/" + aminaId, staff).errorCode());
      assertEquals(1, count(pool(), "SELECT count(*) FROM contributions WHERE id = $1", words), "refusals erase nothing");

      JsonObject erased = expect(200, api.delete(path, staff));
      assertEquals(aminaId, erased.getString("participantId"));
      assertEquals(1, erased.getInteger("contributions"));
      boSocket.awaitContribution(words, "removed");
      aminaSocket.next("removed");
      assertTrue(aminaSocket.awaitClosed(Duration.ofSeconds(5)));
      assertEquals(0, count(pool(), "SELECT count(*) FROM contributions WHERE id = $1", words));
      JsonObject entry = expect(200, api.get("/api/dialogues/" + room.id() + "/privacy-log", staff)).getJsonArray("entries").getJsonObject(0);
      assertEquals("erasure", entry.getString("kind"));
      assertEquals("admin", entry.getString("by"));
      assertEquals(403, api.get("/api/dialogues/" + room.id() + "/privacy-log", facToken).status());
      assertEquals(1, count(pool(), "SELECT count(*) FROM participants WHERE id = $1", UUID.fromString(bo.getJsonObject("participant").getString("id"))));
    }
  }

  @Test
  void aDisclosureAlertOutlivesTheWithdrawalWithoutItsText() {
    Room room = room("Erasure: alert");
    JsonObject child = api.join(room.code(), "Lina");
    try (LiveClient fac = server.live(); LiveClient socket = server.live()) {
      fac.hello(staff, room.id());
      socket.hello(child.getString("token"), null);
      // Unique words, so that the check of every table below cannot be confused by other tests' rows.
      String place = "Vil" + Long.toString(System.nanoTime(), 26).replaceAll("[0-9]", "x");
      String words = "my uncle hurts me every day in " + place;
      long id = contribute(socket, "l-1", words).getLong("id");
      fac.next("alert");
      JsonObject erased = expect(200, api.delete("/api/participants/me", child.getString("token")));
      assertEquals(1, erased.getInteger("alertsKept"));
      fac.awaitContribution(id, "removed");

      assertEquals(0, count(pool(), "SELECT count(*) FROM contributions WHERE id = $1", id));
      assertEquals(1, count(pool(), "SELECT count(*) FROM alerts WHERE contribution_id = $1 AND contribution_erased_at IS NOT NULL"
          + " AND acknowledged_at IS NULL", id), "the safeguarding record stays, still open");
      JsonArray open = expect(200, api.get("/api/alerts", staff)).getJsonArray("alerts");
      assertTrue(open.stream().map(JsonObject.class::cast).anyMatch(a -> a.getLong("contributionId") == id), open.encode());
      assertFalse(DatabaseText.everyRow(pool()).values().stream().flatMap(List::stream).anyMatch(r -> r.contains(place)),
          "the text is gone from every table");
      // A facilitator can still acknowledge it, so it does not stay open for ever.
      JsonObject done = fac.request(new JsonObject().put("type", "ack_alert").put("contributionId", id));
      assertEquals("done", done.getString("type"), done.encode());
      assertNotNull(fac.next("alert_acknowledged"));
    }
  }
}
