package org.chorus.moderation;

import io.vertx.core.json.JsonObject;

/** One rule (or built-in detector) that fired, with its span in the text as stored (after redaction). */
public record Finding(Rule.Category category, String ruleId, Rule.Severity severity, Rule.Action action, String reason,
                      int start, int end) {
  public JsonObject toJson() {
    return new JsonObject().put("category", category.wire()).put("ruleId", ruleId).put("severity", severity.wire())
        .put("action", action.wire()).put("reason", reason).put("start", start).put("end", end);
  }
}
