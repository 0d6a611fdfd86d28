package org.chorus.contribution;

import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.ParticipantStore.Participant;
import org.chorus.language.LanguageService;
import org.chorus.live.RoomEvents;
import org.chorus.moderation.Rule;
import org.chorus.moderation.SafeguardingFilter;
import org.chorus.moderation.Verdict;
import org.chorus.web.ApiError;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The life of a contribution: submit (validate → store durably → announce), approve, reject, remove,
 * react. Every state change is announced on the room's event-bus address after it is committed.
 */
public final class ContributionService {
  static final int MAX_REASON = 500;

  private final ContributionStore store;
  private final SafeguardingFilter filter;
  private final LanguageService language;
  private final ReactionBroadcaster reactions;
  private final EventBus bus;
  private final int maxChars;
  private final List<String> reactionKinds;

  public ContributionService(ContributionStore store, SafeguardingFilter filter, LanguageService language, EventBus bus,
                             ReactionBroadcaster reactions, int maxChars, List<String> reactionKinds) {
    this.reactions = reactions;
    this.store = store;
    this.filter = filter;
    this.language = language;
    this.bus = bus;
    this.maxChars = maxChars;
    this.reactionKinds = List.copyOf(reactionKinds);
  }

  /** {@code verdict} is null for a resend (the first send was filtered and stored). */
  public record Submitted(Contribution contribution, boolean duplicate, Verdict verdict) {}

  /**
   * Stores a child's contribution. Completes only after the row is committed, so the caller may
   * acknowledge it. A resend with the same clientId returns the stored one and announces nothing.
   */
  public Future<Submitted> submit(Dialogue room, Participant author, String clientId, Long promptId, String rawText) {
    String text;
    long prompt;
    try {
      validateClientId(clientId);
      text = validateText(rawText);
      prompt = promptFor(room, promptId);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    // The filter runs before anything is written: only the redacted text ever reaches the database.
    Verdict verdict = dialogueSetting(room, filter.check(text, author.language(), author.country()));
    Contribution.Status status = room.mode() == Dialogue.ModerationMode.PRE || verdict.needsFacilitator()
        ? Contribution.Status.PENDING : Contribution.Status.PUBLISHED;
    // The language is detected on the redacted text too (on a worker: Lingua must not block the event loop).
    return language.tag(verdict.redactedText(), author.language()).compose(tag -> store.insert(new ContributionStore.Draft(
        room.id(), prompt, author.id(), author.nickname(), clientId, author.ageBand(), author.country(), author.language(),
        verdict.redactedText(), status, verdict.outcome(), verdict.findingsJson(), tag))).compose(stored -> {
      if (stored.contribution().isEmpty()) {
        return Future.failedFuture(new ApiError(409, "dialogue_closed",
            "this dialogue is not taking contributions now (closed, or you cannot write here at the moment)"));
      }
      Contribution c = stored.contribution().get();
      if (stored.duplicate()) {
        return Future.succeededFuture(new Submitted(c, true, null));
      }
      announce(c);
      if (verdict.action() == Rule.Action.ALERT) {
        RoomEvents.publish(bus, c.dialogueId(), RoomEvents.ALERT, c.toJson());
      }
      return Future.succeededFuture(new Submitted(c, false, verdict));
    });
  }

  /** A dialogue may hold swear words for a facilitator instead of masking and publishing them. */
  static Verdict dialogueSetting(Dialogue room, Verdict verdict) {
    boolean profanity = verdict.findings().stream().anyMatch(f -> f.category() == Rule.Category.PROFANITY);
    if (room.holdProfanity() && profanity && verdict.action().compareTo(Rule.Action.HOLD) < 0) {
      return new Verdict(Rule.Action.HOLD, verdict.findings(), verdict.redactedText(), verdict.redactedLabels());
    }
    return verdict;
  }

  public Future<Contribution> approve(UUID dialogueId, long id, UUID moderator) {
    return decide(dialogueId, id, Contribution.Status.PENDING, Contribution.Status.PUBLISHED, moderator, "approve", null, null);
  }

  /**
   * Approves with the facilitator's edit (e.g. a name left in). The edit passes the filter's redaction
   * too, and the audit log records that the text was edited (not the text itself).
   */
  public Future<Contribution> approveWithEdit(UUID dialogueId, long id, UUID moderator, String editedText) {
    String text;
    try {
      text = validateText(editedText);
    } catch (ApiError e) {
      return Future.failedFuture(e);
    }
    return store.byId(id).compose(found -> {
      if (found.isEmpty() || !found.get().dialogueId().equals(dialogueId)) {
        return Future.failedFuture(ApiError.conflict("not_pending", "contribution " + id + " is not pending in this dialogue"));
      }
      String redacted = filter.check(text, found.get().language(), found.get().country()).redactedText();
      return decide(dialogueId, id, Contribution.Status.PENDING, Contribution.Status.PUBLISHED, moderator, "approve_edit", null, redacted);
    });
  }

  public Future<Contribution> reject(UUID dialogueId, long id, UUID moderator, String reason) {
    return decide(dialogueId, id, Contribution.Status.PENDING, Contribution.Status.REJECTED, moderator, "reject", reason, null);
  }

  public Future<Contribution> remove(UUID dialogueId, long id, UUID moderator, String reason) {
    return decide(dialogueId, id, Contribution.Status.PUBLISHED, Contribution.Status.REMOVED, moderator, "remove", reason, null);
  }

  private Future<Contribution> decide(UUID dialogueId, long id, Contribution.Status from, Contribution.Status to,
                                      UUID moderator, String action, String reason, String newText) {
    if (reason != null && reason.length() > MAX_REASON) {
      return Future.failedFuture(ApiError.badRequest("invalid_field", "reason must be at most " + MAX_REASON + " characters"));
    }
    String cleanReason = reason == null || reason.isBlank() ? null : reason.strip();
    return store.decide(dialogueId, id, from, to, moderator, action, cleanReason, newText).compose(changed -> changed
        .map(c -> {
          announce(c);
          return Future.succeededFuture(c);
        })
        .orElseGet(() -> Future.failedFuture(ApiError.conflict("not_" + from.wire(),
            "contribution " + id + " is not " + from.wire() + " in this dialogue (already decided, or unknown)"))));
  }

  /** Counts the reaction; the room hears the new counts within a reaction interval (see ReactionBroadcaster). */
  public Future<Map<String, Long>> react(UUID dialogueId, long contributionId, UUID participantId, String kind) {
    if (kind == null || !reactionKinds.contains(kind)) {
      return Future.failedFuture(ApiError.badRequest("invalid_field", "kind must be one of " + String.join(", ", reactionKinds)));
    }
    return store.react(dialogueId, contributionId, participantId, kind).compose(counts -> counts
        .map(c -> {
          reactions.changed(dialogueId, contributionId, c);
          return Future.succeededFuture(c);
        })
        .orElseGet(() -> Future.failedFuture(ApiError.notFound("not_published", "there is no published contribution " + contributionId + " here"))));
  }

  /** After an erasure took reactions away: the room hears the new counts of these contributions (none left included). */
  public Future<Void> recountReactions(UUID dialogueId, List<Long> contributionIds) {
    if (contributionIds.isEmpty()) {
      return Future.succeededFuture();
    }
    return store.reactionCounts(contributionIds).map(byId -> {
      contributionIds.forEach(id -> reactions.changed(dialogueId, id, byId.getOrDefault(id, Map.of())));
      return null;
    });
  }

  /**
   * Tags up to {@code limit} contributions stored while the detector was loading and announces each again
   * (clients replace it by id). Returns how many were tagged; 0 while the detector is not ready.
   */
  public Future<Integer> tagUntagged(int limit) {
    if (language.state() != LanguageService.State.READY) {
      return Future.succeededFuture(0);
    }
    return store.untagged(limit).compose(rows -> {
      Future<Integer> done = Future.succeededFuture(0);
      for (ContributionStore.Untagged row : rows) {
        done = done.compose(n -> language.tag(row.text(), row.chosenLanguage())
            .compose(tag -> tag.pending() ? Future.succeededFuture(Optional.<Contribution>empty()) : store.tag(row.id(), tag))
            .map(tagged -> {
              tagged.ifPresent(this::announce);
              return n + (tagged.isPresent() ? 1 : 0);
            }));
      }
      return done;
    });
  }

  public Future<List<Contribution>> recentPublished(UUID dialogueId, int limit) {
    return store.recentPublished(dialogueId, limit);
  }

  public Future<List<Contribution>> byAuthor(UUID participantId, int limit) {
    return store.byAuthor(participantId, limit);
  }

  public Future<Map<Long, List<String>>> reactedBy(UUID participantId, List<Long> contributionIds) {
    return store.reactedBy(participantId, contributionIds);
  }

  public Future<List<Contribution>> queue(UUID dialogueId, int limit) {
    return store.queue(dialogueId, limit);
  }

  private void announce(Contribution c) {
    RoomEvents.publish(bus, c.dialogueId(), RoomEvents.CONTRIBUTION, c.toJson());
  }

  static void validateClientId(String clientId) {
    if (clientId == null || !clientId.matches("[A-Za-z0-9_-]{1,64}")) {
      throw ApiError.badRequest("invalid_field", "clientId must be 1-64 characters of A-Z a-z 0-9 _ - (one per contribution, reused on resend)");
    }
  }

  String validateText(String raw) {
    if (raw == null) {
      throw ApiError.badRequest("missing_field", "text is required");
    }
    String text = raw.strip();
    if (text.isEmpty()) {
      throw ApiError.badRequest("empty_contribution", "write something before sending");
    }
    if (text.codePointCount(0, text.length()) > maxChars) {
      throw ApiError.badRequest("too_long", "a contribution can be at most " + maxChars + " characters");
    }
    return text;
  }

  /** The given prompt if it has already been shown in the room (the current one or earlier), else the current one. */
  static long promptFor(Dialogue room, Long promptId) {
    Dialogue.Prompt current = room.currentPrompt()
        .orElseThrow(() -> ApiError.conflict("no_prompt", "there is no prompt to answer yet"));
    if (promptId == null) {
      return current.id();
    }
    Dialogue.Prompt asked = room.prompt(promptId)
        .orElseThrow(() -> ApiError.badRequest("unknown_prompt", "that prompt is not part of this dialogue"));
    if (asked.position() > current.position()) {
      throw ApiError.badRequest("unknown_prompt", "that prompt has not been asked yet");
    }
    return asked.id();
  }
}
