package org.chorus.privacy;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.chorus.auth.Principal;
import org.chorus.auth.Role;
import org.chorus.contribution.ContributionService;
import org.chorus.dialogue.DialogueService;
import org.chorus.live.RoomEvents;
import org.chorus.web.ApiError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Erasure: a child withdraws what it wrote (with its own token, for as long as the token is valid), or
 * staff erase a participant by its pseudonymous id. After the commit every screen of the room hears it:
 * each erased contribution as a tombstone (a {@code contribution} event with status {@code removed} and
 * {@code erased: true}, which every viewer's filter lets through), and the participant as removed, which
 * closes that child's sockets.
 */
public final class ErasureService {
  private static final Logger LOG = LoggerFactory.getLogger(ErasureService.class);

  private final ErasureStore store;
  private final DialogueService dialogues;
  private final ContributionService contributions;
  private final EventBus bus;

  public ErasureService(Pool pool, DialogueService dialogues, ContributionService contributions, EventBus bus) {
    this.store = new ErasureStore(pool);
    this.dialogues = dialogues;
    this.contributions = contributions;
    this.bus = bus;
  }

  /** "Remove what I wrote": the child's token names the only participant it can erase, itself. */
  public Future<JsonObject> withdraw(Principal child) {
    if (!child.is(Role.CHILD)) {
      return Future.failedFuture(ApiError.forbidden("only a child withdraws its own words; staff erase by participant id"));
    }
    return store.erase(child.dialogueId(), child.id(), null).compose(found -> found
        .map(erased -> announce(erased, "withdrawal"))
        .orElseGet(() -> Future.failedFuture(ApiError.notFound("participant_not_found", "there is nothing of yours left to remove"))));
  }

  /** Staff erase a participant of a dialogue by its pseudonymous id. */
  public Future<JsonObject> erase(Principal staff, UUID dialogueId, UUID participantId) {
    return dialogues.require(dialogueId)
        .compose(d -> store.erase(dialogueId, participantId, staff.id()))
        .compose(found -> found
            .map(erased -> announce(erased, "erasure"))
            .orElseGet(() -> Future.failedFuture(ApiError.notFound("participant_not_found", "no participant with that id in this dialogue"))));
  }

  /** Tells the room (tombstones, the participant, new reaction counts); the answer does not wait for the recount. */
  private Future<JsonObject> announce(Erased erased, String kind) {
    String participant = erased.participantId().toString();
    for (long id : erased.contributionIds()) {
      RoomEvents.publish(bus, erased.dialogueId(), RoomEvents.CONTRIBUTION, tombstone(erased, id, participant));
    }
    RoomEvents.publish(bus, erased.dialogueId(), RoomEvents.PARTICIPANT, new JsonObject().put("participantId", participant)
        .put("removed", true).put("mutedUntil", null).put("erased", true));
    // Counts only: never the participant's id or anything it wrote.
    LOG.info("{} in dialogue {}: {} contributions, {} reactions erased, {} safeguarding alerts kept without text",
        kind, erased.dialogueId(), erased.contributionIds().size(), erased.reactions(), erased.alertsKept());
    contributions.recountReactions(erased.dialogueId(), erased.reactedTo())
        .onFailure(err -> LOG.warn("reaction counts after an erasure could not be sent: {}", err.getMessage()));
    return Future.succeededFuture(erased.toJson());
  }

  /**
   * The contribution as every viewer's filter sees it: facilitators get it as is, the author's other screens
   * their own copy, other children {@code {id, status: "removed"}}. Clients drop it at once.
   */
  static JsonObject tombstone(Erased erased, long contributionId, String participantId) {
    return new JsonObject().put("id", contributionId).put("dialogueId", erased.dialogueId().toString())
        .put("participantId", participantId).put("status", RoomEvents.ERASED_STATUS).put("erased", true);
  }
}
