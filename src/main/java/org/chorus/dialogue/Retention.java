package org.chorus.dialogue;

import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;

import java.util.Locale;
import java.util.Optional;

/**
 * How long a dialogue's data is kept after it ended, and what survives then (docs/privacy.md). {@code days}
 * null means the server's {@code privacy.defaultRetentionDays}, so changing that default applies to every
 * dialogue that did not choose its own.
 */
public record Retention(Integer days, After after) {
  public static final int MAX_DAYS = 3650;
  public static final Retention DEFAULT = new Retention(null, After.KEEP_REPORT);

  /** What survives the retention period. */
  public enum After {
    /** The published, redacted contributions the report uses (with their themes and quotes) and joined counts. */
    KEEP_REPORT,
    /** Nothing the children wrote or said about themselves. */
    DELETE_ALL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<After> fromWire(Object s) {
      for (After a : values()) {
        if (a.wire().equals(s)) {
          return Optional.of(a);
        }
      }
      return Optional.empty();
    }
  }

  /** The effective number of days, given the server default. */
  public int daysOr(int defaultDays) {
    return days == null ? defaultDays : days;
  }

  /** {@code retentionDays} (optional, 1–3650; absent or null: the server default) and {@code afterRetention} of a create/edit body. */
  static Retention parse(JsonObject body) {
    Object daysValue = body.getValue("retentionDays");
    if (daysValue != null && !(daysValue instanceof Integer d && d >= 1 && d <= MAX_DAYS)) {
      throw ApiError.badRequest("invalid_field", "retentionDays must be a whole number of days between 1 and " + MAX_DAYS
          + ", or null for the server default");
    }
    Object afterValue = body.getValue("afterRetention", After.KEEP_REPORT.wire());
    After after = After.fromWire(afterValue).orElseThrow(() -> ApiError.badRequest("invalid_field",
        "afterRetention must be \"keep_report\" (the approved, redacted contributions the report uses survive) or \"delete_all\""));
    return new Retention((Integer) daysValue, after);
  }

  static Retention fromJson(JsonObject dialogue) {
    return new Retention(dialogue.getInteger("retentionDays"),
        After.fromWire(dialogue.getString("afterRetention")).orElse(After.KEEP_REPORT));
  }
}
