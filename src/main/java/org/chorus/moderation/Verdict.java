package org.chorus.moderation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * What the filter decided: the strongest action, every finding, and the text to store (personal data
 * replaced by labels such as [phone], swear words masked) — the raw text is never kept.
 */
public record Verdict(Rule.Action action, List<Finding> findings, String redactedText, Set<String> redactedLabels) {

  /** The tester's and the store's vocabulary: allow, redact (includes masking), hold, alert. */
  public String outcome() {
    return switch (action) {
      case DISMISS, ALLOW -> "allow";
      case MASK, REDACT -> "redact";
      case HOLD -> "hold";
      case ALERT -> "alert";
    };
  }

  public boolean needsFacilitator() {
    return action == Rule.Action.HOLD || action == Rule.Action.ALERT;
  }

  public JsonArray findingsJson() {
    return new JsonArray(findings.stream().map(Finding::toJson).toList());
  }

  public JsonObject toJson() {
    return new JsonObject().put("action", outcome()).put("categories", findingsJson()).put("redactedText", redactedText)
        .put("redacted", new JsonArray(List.copyOf(redactedLabels)));
  }
}
