package org.chorus.dialogue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A dialogue with its ordered prompts, as stored. */
public record Dialogue(UUID id, String title, String description, List<String> languages, ModerationMode mode,
                       int capacity, Instant opensAt, Instant closesAt, Status status, String joinCode,
                       Long currentPromptId, List<Prompt> prompts, Instant createdAt, JsonArray helplines,
                       boolean holdProfanity, int slowModeSeconds, Retention retention) {

  public enum Status { DRAFT, OPEN, CLOSED;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
  }

  public enum ModerationMode { PRE, POST;
    public String wire() { return name().toLowerCase(java.util.Locale.ROOT); }
    public static Optional<ModerationMode> fromWire(String s) {
      for (ModerationMode m : values()) {
        if (m.wire().equals(s)) return Optional.of(m);
      }
      return Optional.empty();
    }
  }

  public record Prompt(long id, int position, String text) {
    public JsonObject toJson() {
      return new JsonObject().put("id", id).put("position", position).put("text", text);
    }
  }

  public Dialogue withCurrentPrompt(Long promptId) {
    return new Dialogue(id, title, description, languages, mode, capacity, opensAt, closesAt, status, joinCode, promptId,
        prompts, createdAt, helplines, holdProfanity, slowModeSeconds, retention);
  }

  public Dialogue withSlowMode(int seconds) {
    return new Dialogue(id, title, description, languages, mode, capacity, opensAt, closesAt, status, joinCode,
        currentPromptId, prompts, createdAt, helplines, holdProfanity, seconds, retention);
  }

  public Dialogue withStatus(Status newStatus) {
    return new Dialogue(id, title, description, languages, mode, capacity, opensAt, closesAt, newStatus, joinCode,
        currentPromptId, prompts, createdAt, helplines, holdProfanity, slowModeSeconds, retention);
  }

  /** An open dialogue whose closing time has passed is closed for everyone, whatever the stored status says. */
  public Status effectiveStatus(Instant now) {
    return status == Status.OPEN && closesAt != null && !now.isBefore(closesAt) ? Status.CLOSED : status;
  }

  public Optional<Prompt> prompt(long promptId) {
    return prompts.stream().filter(p -> p.id() == promptId).findFirst();
  }

  public Optional<Prompt> currentPrompt() {
    return currentPromptId == null ? Optional.empty() : prompt(currentPromptId);
  }

  /** What everyone in the room may see. */
  public JsonObject publicJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("title", title)
        .put("description", description)
        .put("languages", new JsonArray(languages))
        .put("moderationMode", mode.wire())
        .put("status", effectiveStatus(Instant.now()).wire())
        .put("opensAt", opensAt == null ? null : opensAt.toString())
        .put("closesAt", closesAt == null ? null : closesAt.toString())
        .put("prompts", new JsonArray(prompts.stream().map(Prompt::toJson).toList()))
        .put("currentPromptId", currentPromptId)
        .put("slowModeSeconds", slowModeSeconds);
  }

  /** The inverse of {@link #fullJson}, for a dialogue edited on another node and sent over the event bus. */
  public static Dialogue fromJson(JsonObject j) {
    List<Prompt> prompts = j.getJsonArray("prompts").stream().map(o -> (JsonObject) o)
        .map(p -> new Prompt(p.getLong("id"), p.getInteger("position"), p.getString("text"))).toList();
    return new Dialogue(UUID.fromString(j.getString("id")), j.getString("title"), j.getString("description"),
        j.getJsonArray("languages").stream().map(String.class::cast).toList(),
        ModerationMode.fromWire(j.getString("moderationMode")).orElseThrow(), j.getInteger("capacity"),
        instant(j.getString("opensAt")), instant(j.getString("closesAt")),
        Status.valueOf(j.getString("status").toUpperCase(java.util.Locale.ROOT)), j.getString("joinCode"),
        j.getLong("currentPromptId"), prompts, instant(j.getString("createdAt")), j.getJsonArray("helplines"),
        "hold".equals(j.getString("profanity")), j.getInteger("slowModeSeconds"), Retention.fromJson(j));
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }

  /** Staff and facilitators also see the code and capacity. */
  public JsonObject fullJson() {
    return publicJson().put("joinCode", joinCode).put("capacity", capacity).put("createdAt", createdAt.toString())
        .put("helplines", helplines.copy()).put("profanity", holdProfanity ? "hold" : "mask")
        .put("retentionDays", retention.days()).put("afterRetention", retention.after().wire());
  }
}
