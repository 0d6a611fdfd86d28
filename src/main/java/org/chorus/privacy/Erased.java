package org.chorus.privacy;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * What one erasure deleted: the contributions (by number, for the tombstones), how many reactions and on which
 * other contributions (their counts change), how many alerts it kept.
 */
public record Erased(UUID dialogueId, UUID participantId, List<Long> contributionIds, int reactions, List<Long> reactedTo,
                     int alertsKept) {
  JsonObject toJson() {
    return new JsonObject()
        .put("participantId", participantId.toString())
        .put("contributions", contributionIds.size())
        .put("reactions", reactions)
        .put("alertsKept", alertsKept);
  }
}
