package org.chorus.live;

import io.vertx.core.json.JsonObject;
import org.chorus.web.ApiError;

import java.math.BigInteger;
import java.util.UUID;
import java.util.regex.Pattern;

/** Reading typed fields of a client frame; a wrong one is an error frame naming the field. */
final class Fields {
  private static final Pattern CANONICAL_UUID =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
    if (v instanceof BigInteger) {
      throw ApiError.badRequest("invalid_field", field + " is too big (at most " + Long.MAX_VALUE + ")");
    }
    // Never rounded: 7.5, 7.0 and 1e400 are refused, not taken as some other id.
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
    // UUID.fromString also takes forms such as "1-2-3-4-5" or signed parts; only the canonical form is an id here.
    if (!(v instanceof String s) || !CANONICAL_UUID.matcher(s).matches()) {
      throw ApiError.badRequest("invalid_field", field + " must be an id (UUID)");
    }
    return UUID.fromString(s);
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
