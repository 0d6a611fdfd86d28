package org.chorus.privacy;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import org.chorus.auth.Role;
import org.chorus.dialogue.DialogueService;
import org.chorus.web.Requests;

/**
 * REST for erasure and retention (docs/protocol.md): a child withdraws with its own token, staff erase a
 * participant by id and read the privacy log, staff and facilitators read the retention default.
 */
public final class PrivacyRoutes {
  static final int LOG_LIMIT = 1000;

  private PrivacyRoutes() {}

  /** What the routes need; one per node, shared by the HTTP verticle instances. */
  public record Services(ErasureService erasure, PrivacyLog log, DialogueService dialogues, PrivacySettings settings) {
    public static Services of(Pool pool, ErasureService erasure, DialogueService dialogues, PrivacySettings settings) {
      return new Services(erasure, new PrivacyLog(pool), dialogues, settings);
    }
  }

  public static void mount(Router router, Services services) {
    router.delete("/api/participants/me").handler(ctx ->
        Requests.reply(ctx, 200, services.erasure().withdraw(Requests.require(ctx, Role.CHILD))));
    router.delete("/api/dialogues/:dialogueId/participants/:participantId").handler(ctx ->
        Requests.reply(ctx, 200, services.erasure().erase(Requests.require(ctx, Role.STAFF), Requests.uuidParam(ctx, "dialogueId"),
            Requests.uuidParam(ctx, "participantId"))));
    router.get("/api/dialogues/:dialogueId/privacy-log").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      var dialogueId = Requests.uuidParam(ctx, "dialogueId");
      Requests.reply(ctx, 200, services.dialogues().require(dialogueId).compose(d -> services.log().list(dialogueId, LOG_LIMIT)));
    });
    router.get("/api/privacy").handler(ctx -> {
      Requests.require(ctx, Role.STAFF, Role.FACILITATOR);
      Requests.json(ctx, 200, new JsonObject()
          .put("defaultRetentionDays", services.settings().defaultRetentionDays())
          .put("retentionCheckMinutes", services.settings().retentionCheckMinutes()));
    });
  }
}
