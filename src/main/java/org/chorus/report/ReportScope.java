package org.chorus.report;

import org.chorus.web.ApiError;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

/** The {@code dialogues} parameter of a report: 1 to 20 dialogue ids, comma-separated. */
final class ReportScope {
  static final int MAX_DIALOGUES = 20;

  private ReportScope() {}

  static UUID[] parse(String param) {
    if (param == null || param.isBlank()) {
      throw ApiError.badRequest("missing_field", "dialogues is required: one or more dialogue ids separated by commas");
    }
    Set<UUID> ids = new LinkedHashSet<>();
    for (String part : param.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        ids.add(UUID.fromString(part.strip()));
      } catch (IllegalArgumentException e) {
        throw ApiError.badRequest("invalid_field", "dialogues: '" + part.strip() + "' is not a dialogue id");
      }
    }
    if (ids.isEmpty() || ids.size() > MAX_DIALOGUES) {
      throw ApiError.badRequest("invalid_field", "dialogues must name 1-" + MAX_DIALOGUES + " dialogues");
    }
    return ids.toArray(new UUID[0]);
  }
}
