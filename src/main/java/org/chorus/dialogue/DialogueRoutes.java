package org.chorus.dialogue;

import io.vertx.ext.web.Router;
import org.chorus.auth.Role;
import org.chorus.web.Requests;

/** REST for staff (create, edit, open, close, assign) and facilitators (see what is assigned to them, its counts and children). */
public final class DialogueRoutes {
  private DialogueRoutes() {}

  public static void mount(Router router, DialogueService service) {
    router.post("/api/dialogues").handler(ctx ->
        Requests.reply(ctx, 201, service.create(Requests.require(ctx, Role.STAFF), Requests.body(ctx))));
    router.get("/api/dialogues").handler(ctx ->
        Requests.reply(ctx, 200, service.list(Requests.require(ctx, Role.STAFF, Role.FACILITATOR))));
    router.get("/api/dialogues/:dialogueId").handler(ctx ->
        Requests.reply(ctx, 200, service.get(Requests.require(ctx, Role.STAFF, Role.FACILITATOR), Requests.uuidParam(ctx, "dialogueId"))));
    router.put("/api/dialogues/:dialogueId").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, service.update(Requests.uuidParam(ctx, "dialogueId"), Requests.body(ctx)));
    });
    router.get("/api/dialogues/:dialogueId/stats").handler(ctx ->
        Requests.reply(ctx, 200, service.stats(Requests.require(ctx, Role.STAFF, Role.FACILITATOR), Requests.uuidParam(ctx, "dialogueId"))));
    router.get("/api/dialogues/:dialogueId/participants").handler(ctx ->
        Requests.reply(ctx, 200, service.participants(Requests.require(ctx, Role.STAFF, Role.FACILITATOR), Requests.uuidParam(ctx, "dialogueId"))));
    router.post("/api/dialogues/:dialogueId/open").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, service.open(Requests.uuidParam(ctx, "dialogueId")));
    });
    router.post("/api/dialogues/:dialogueId/close").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, service.close(Requests.uuidParam(ctx, "dialogueId")));
    });
    router.put("/api/dialogues/:dialogueId/facilitators/:accountId").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, service.assign(Requests.uuidParam(ctx, "dialogueId"), Requests.uuidParam(ctx, "accountId")));
    });
    router.delete("/api/dialogues/:dialogueId/facilitators/:accountId").handler(ctx -> {
      Requests.require(ctx, Role.STAFF);
      Requests.reply(ctx, 200, service.unassign(Requests.uuidParam(ctx, "dialogueId"), Requests.uuidParam(ctx, "accountId")));
    });
  }
}
