package org.chorus.moderation;

import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.OnSharedServer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flooding: slow mode per room and copy-paste repeats are refused with a clear error; resends still work. */
class SpamTest extends OnSharedServer {
  static JsonObject contribute(LiveClient c, String clientId, String text) {
    return c.request(new JsonObject().put("type", "contribute").put("clientId", clientId).put("text", text));
  }

  @Test
  void slowModeAndRepeats() throws Exception {
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Spam", "post", 20, "Q1"));
    try (LiveClient fac = server.live(); LiveClient child = server.live()) {
      fac.hello(staff, d.getString("id"));
      child.hello(api.join(d.getString("joinCode"), "Mo").getString("token"), null);

      assertEquals("ack", contribute(child, "r-1", "we need more parks").getString("type"));
      JsonObject repeat = contribute(child, "r-2", "We need MORE parks!!");
      assertEquals("repeated", repeat.getString("code"), repeat.encode());

      assertEquals("forbidden", child.request(new JsonObject().put("type", "slow_mode").put("seconds", 5)).getString("code"));
      assertEquals("invalid_field", fac.request(new JsonObject().put("type", "slow_mode").put("seconds", 601)).getString("code"));
      JsonObject on = fac.request(new JsonObject().put("type", "slow_mode").put("seconds", 2));
      assertEquals("done", on.getString("type"), on.encode());
      assertEquals(2, child.next("slow_mode").getInteger("seconds"));
      assertEquals("slow_mode", contribute(child, "r-3", "and safer roads").getString("code"), "counted from the last one");
      Thread.sleep(2100);

      assertEquals("ack", contribute(child, "r-3", "and safer roads").getString("type"));
      JsonObject tooSoon = contribute(child, "r-4", "and better schools");
      assertEquals("slow_mode", tooSoon.getString("code"), tooSoon.encode());
      JsonObject resend = contribute(child, "r-3", "and safer roads");
      assertTrue(resend.getBoolean("duplicate"), "the outbox's resend is answered, not slowed down");
      Thread.sleep(2100);
      assertEquals("ack", contribute(child, "r-4", "and better schools").getString("type"));

      fac.request(new JsonObject().put("type", "slow_mode").put("seconds", 0));
      assertEquals(0, child.next(f -> "slow_mode".equals(f.getString("type")) && f.getInteger("seconds") == 0,
          java.time.Duration.ofSeconds(5)).getInteger("seconds"));
      assertEquals("ack", contribute(child, "r-5", "thank you").getString("type"));
    }
    assertEquals(0, api.get("/api/dialogues/" + d.getString("id"), staff).body().getInteger("slowModeSeconds"));
  }
}
