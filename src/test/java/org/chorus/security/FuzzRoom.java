package org.chorus.security;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One dialogue under fuzz and what its lanes learn about it as they go: the contributions acknowledged
 * (the ids moderator frames then aim at), so that the database can be checked against them afterwards.
 */
final class FuzzRoom {
  final String dialogueId;
  final String joinCode;
  final List<Long> promptIds;
  /** Children who never connect: the only targets of valid mute and remove_participant frames. */
  final List<String> bystanders;
  /** Every acknowledged contribution id → "participantId/clientId". */
  final Map<Long, String> acked = new ConcurrentHashMap<>();
  private final List<Long> ids = new CopyOnWriteArrayList<>();

  FuzzRoom(String dialogueId, String joinCode, List<Long> promptIds, List<String> bystanders) {
    this.dialogueId = dialogueId;
    this.joinCode = joinCode;
    this.promptIds = List.copyOf(promptIds);
    this.bystanders = List.copyOf(bystanders);
  }

  void acknowledged(long id, String participantId, String clientId) {
    if (acked.putIfAbsent(id, participantId + "/" + clientId) == null) {
      ids.add(id);
    }
  }

  /** A contribution id of this room if there is one yet (which one depends on how the lanes interleave). */
  long someContribution(Random random) {
    int pick = random.nextInt(40); // drawn either way, so that the lane's own choices do not depend on the others
    int n = ids.size();
    return n == 0 ? 1 : ids.get(n - 1 - pick % Math.min(n, 40));
  }

  Set<Long> ackedIds() {
    return Set.copyOf(acked.keySet());
  }
}
