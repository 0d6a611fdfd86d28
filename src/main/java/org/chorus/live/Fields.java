package org.chorus.live;

import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;

import java.util.UUID;

/** Reading typed fields of a client frame; a wrong one is an error frame naming the field. */
final class Fields {
  private Fields() {}

  static long requiredLong(JsonObject msg, String field) {
    Long value = optionalLong(msg, field);
    if (value == null) {
      throw ApiError.badRequest("missing_field", field + " is required");
    }
    return value;
  }

  static Long optionalLong(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw ApiError.badRequest("invalid_field", field + " must be a whole number");
  }

  /** A whole number clamped into int range (out-of-range values are then refused by the service). */
  static int clampedInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  static UUID requiredUuid(JsonObject msg, String field) {
    UUID value = optionalUuid(msg, field);
    if (value == null) {
      throw ApiError.badRequest("missing_field", field + " is required");
    }
    return value;
  }

  static UUID optionalUuid(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) {
      return null;
    }
    try {
      return UUID.fromString((String) v);
    } catch (ClassCastException | IllegalArgumentException e) {
      throw ApiError.badRequest("invalid_field", field + " must be an id (UUID)");
    }
  }

  /** Optional text of at most 500 characters; blank counts as absent. */
  static String optionalText(JsonObject msg, String field) {
    String s = optionalString(msg, field);
    if (s != null && s.length() > 500) {
      throw ApiError.badRequest("invalid_field", field + " must be at most 500 characters");
    }
    return s == null || s.isBlank() ? null : s.strip();
  }

  static String optionalString(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v != null && !(v instanceof String)) {
      throw ApiError.badRequest("invalid_field", field + " must be text");
    }
    return (String) v;
  }
}
