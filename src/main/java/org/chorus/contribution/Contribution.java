package org.chorus.contribution;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.language.LanguageTag;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One child's answer to a prompt, with its moderation state. The text is what was stored. {@code language}
 * is the language the child chose at join; {@code languageTag} what the detector found.
 */
public record Contribution(long id, UUID dialogueId, long promptId, UUID participantId, String nickname, String clientId,
                           String ageBand, String country, String language, String text, Status status,
                           String decisionReason, Instant createdAt, Instant decidedAt, Map<String, Long> reactions,
                           String moderationAction, JsonArray moderationFlags, LanguageTag languageTag) {

  public enum Status { PENDING, PUBLISHED, REJECTED, REMOVED;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static Status fromWire(String s) { return valueOf(s.toUpperCase(java.util.Locale.ROOT)); }
  }

  public Contribution withReactions(Map<String, Long> counts) {
    return new Contribution(id, dialogueId, promptId, participantId, nickname, clientId, ageBand, country, language, text,
        status, decisionReason, createdAt, decidedAt, Map.copyOf(counts), moderationAction, moderationFlags, languageTag);
  }

  public Contribution withLanguage(LanguageTag tag) {
    return new Contribution(id, dialogueId, promptId, participantId, nickname, clientId, ageBand, country, language, text,
        status, decisionReason, createdAt, decidedAt, reactions, moderationAction, moderationFlags, tag);
  }

  /** Everything, for the event bus and for moderators. */
  public JsonObject toJson() {
    JsonObject counts = new JsonObject();
    reactions.forEach(counts::put);
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("dialogueId", dialogueId.toString())
        .put("promptId", promptId)
        .put("participantId", participantId.toString())
        .put("nickname", nickname)
        .put("clientId", clientId)
        .put("ageBand", ageBand)
        .put("country", country)
        .put("language", language)
        .put("text", text)
        .put("status", status.wire())
        .put("reason", decisionReason)
        .put("createdAt", createdAt.toString())
        .put("decidedAt", decidedAt == null ? null : decidedAt.toString())
        .put("reactions", counts)
        .put("moderation", new JsonObject().put("action", moderationAction).put("findings", moderationFlags.copy()));
    return languageTag.writeTo(json);
  }
}
