package org.chorus.dialogue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.auth.FailureCounter;
import org.chorus.auth.TokenService;
import org.chorus.web.ApiError;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * A child joins a dialogue with its join code: no account, no e-mail, no real name. Wrong codes are
 * limited per client and globally, in memory only.
 */
public final class JoinService {
  static final String GLOBAL = "*";
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

  private final DialogueStore dialogues;
  private final ParticipantStore participants;
  private final TokenService tokens;
  private final FailureCounter perClient;
  private final FailureCounter global;
  private final List<String> ageBands;

  public JoinService(DialogueStore dialogues, ParticipantStore participants, TokenService tokens,
                     FailureCounter perClient, FailureCounter global, List<String> ageBands) {
    this.dialogues = dialogues;
    this.participants = participants;
    this.tokens = tokens;
    this.perClient = perClient;
    this.global = global;
    this.ageBands = List.copyOf(ageBands);
  }

  /** What a child sees before consenting: title, description, languages, age bands. */
  public Future<JsonObject> preview(String typedCode, String clientKey) {
    return openDialogue(typedCode, clientKey).map(d -> new JsonObject()
        .put("dialogue", new JsonObject()
            .put("title", d.title())
            .put("description", d.description())
            .put("languages", new JsonArray(d.languages()))
            .put("moderationMode", d.mode().wire())
            .put("helplines", d.helplines().copy()))
        .put("ageBands", new JsonArray(ageBands)));
  }

  public Future<JsonObject> join(JsonObject body, String clientKey) {
    Object code = body.getValue("code");
    return openDialogue(code instanceof String s ? s : null, clientKey).compose(d -> {
      ParticipantStore.Participant p;
      try {
        p = newParticipant(d, body);
      } catch (ApiError e) {
        return Future.failedFuture(e);
      }
      return participants.joinIfRoom(p).compose(joined -> {
        if (joined.isEmpty()) {
          return Future.failedFuture(ApiError.conflict("dialogue_full", "this dialogue is full; ask the organisers for another session"));
        }
        TokenService.Issued token = tokens.issueChild(p.id(), d.id(), p.nickname(), d.closesAt());
        return Future.succeededFuture(new JsonObject()
            .put("token", token.token())
            .put("expiresAt", token.expiresAt().toString())
            .put("participant", new JsonObject()
                .put("id", p.id().toString())
                .put("nickname", p.nickname())
                .put("ageBand", p.ageBand())
                .put("country", p.country())
                .put("language", p.language()))
            .put("dialogue", d.publicJson()));
      });
    });
  }

  private ParticipantStore.Participant newParticipant(Dialogue d, JsonObject body) {
    if (!Boolean.TRUE.equals(body.getValue("consent"))) {
      throw ApiError.badRequest("consent_required", "you can only take part after saying yes to the consent question");
    }
    Object band = body.getValue("ageBand");
    if (!(band instanceof String s) || !ageBands.contains(s)) {
      throw ApiError.badRequest("invalid_field", "ageBand must be one of " + String.join(", ", ageBands));
    }
    Object country = body.getValue("country");
    String countryCode = country instanceof String c ? c.strip().toUpperCase(Locale.ROOT) : "";
    if (!COUNTRIES.contains(countryCode)) {
      throw ApiError.badRequest("invalid_field", "country must be a two-letter ISO 3166 code such as KE or BR");
    }
    Object language = body.getValue("language");
    String languageCode = language instanceof String l ? l.strip().toLowerCase(Locale.ROOT) : "";
    if (languageCode.length() != 2 || !LANGUAGES.contains(languageCode)) {
      throw ApiError.badRequest("invalid_field", "language must be a two-letter ISO 639-1 code such as en or sw");
    }
    Object chosen = body.getValue("nickname");
    String nickname;
    if (chosen == null || (chosen instanceof String s2 && s2.isBlank())) {
      nickname = Nicknames.generate();
    } else {
      nickname = chosen instanceof String s3 ? Nicknames.clean(s3) : null;
      if (nickname == null) {
        throw ApiError.badRequest("invalid_nickname", "a nickname is 2-24 letters or digits (at most 4 digits); leave it empty to get one");
      }
    }
    return new ParticipantStore.Participant(UUID.randomUUID(), d.id(), nickname, (String) band, countryCode, languageCode);
  }

  /** The open dialogue behind a code; wrong codes count towards the limits. */
  private Future<Dialogue> openDialogue(String typedCode, String clientKey) {
    long wait = Math.max(perClient.retryAfterSeconds(clientKey), global.retryAfterSeconds(GLOBAL));
    if (wait > 0) {
      return Future.failedFuture(ApiError.tooManyRequests("too many wrong codes; please wait and try again", wait));
    }
    if (typedCode == null) {
      return Future.failedFuture(ApiError.badRequest("missing_field", "code is required"));
    }
    String code = JoinCodes.normalize(typedCode);
    Future<java.util.Optional<Dialogue>> found = code == null ? Future.succeededFuture(java.util.Optional.empty())
        : dialogues.findByJoinCode(code);
    return found.compose(d -> {
      if (d.isEmpty()) {
        perClient.fail(clientKey);
        global.fail(GLOBAL);
        return Future.failedFuture(ApiError.notFound("unknown_code", "we don't know this code; check it with your organiser"));
      }
      Dialogue dialogue = d.get();
      Instant now = Instant.now();
      if (dialogue.status() == Dialogue.Status.CLOSED || (dialogue.closesAt() != null && !now.isBefore(dialogue.closesAt()))) {
        return Future.failedFuture(ApiError.conflict("dialogue_closed", "this dialogue has ended"));
      }
      if (dialogue.status() != Dialogue.Status.OPEN || (dialogue.opensAt() != null && now.isBefore(dialogue.opensAt()))) {
        return Future.failedFuture(ApiError.conflict("dialogue_not_open", "this dialogue has not started yet"));
      }
      return Future.succeededFuture(dialogue);
    });
  }
}
