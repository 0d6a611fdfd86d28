package org.chorus.app;

import io.vertx.core.Future;
import org.chorus.contribution.Contribution;
import org.chorus.contribution.ContributionService;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.DialogueRequest;
import org.chorus.dialogue.DialogueService;
import org.chorus.dialogue.DialogueStore;
import org.chorus.dialogue.Nicknames;
import org.chorus.dialogue.ParticipantStore;
import org.chorus.report.ThemeStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A finished sample consultation for a fresh install, so that staff can try the report at once: the
 * children and answers of {@code sample/consultation.tsv} go through the real path (join, safeguarding
 * filter, language detection, facilitator approval), then themes and quotes are added and the dialogue
 * is closed. Whatever the filter holds stays in the queue, as it would.
 */
final class SampleConsultation {
  static final String RESOURCE = "/sample/consultation.tsv";
  static final String TITLE = "Sample consultation (closed): staying safe";

  record Row(String child, String country, String ageBand, String language, int prompt, String text, List<String> themes,
             String rendering) {}

  private final DialogueStore dialogueStore;
  private final DialogueService dialogues;
  private final ParticipantStore participants;
  private final ContributionService contributions;
  private final ThemeStore themes;

  SampleConsultation(DialogueStore dialogueStore, DialogueService dialogues, ParticipantStore participants,
                     ContributionService contributions, ThemeStore themes) {
    this.dialogueStore = dialogueStore;
    this.dialogues = dialogues;
    this.participants = participants;
    this.contributions = contributions;
    this.themes = themes;
  }

  static List<Row> rows() {
    try (InputStream in = SampleConsultation.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " missing from the classpath");
      }
      List<Row> out = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] f = lines[i].split("\t", -1);
        List<String> themeNames = f[6].isBlank() ? List.of() : List.of(f[6].split(";")).stream().map(String::strip).toList();
        out.add(new Row(f[0], f[1], f[2], f[3], Integer.parseInt(f[4]), f[5], themeNames, f.length > 7 && !f[7].isBlank() ? f[7] : null));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Future<Void> create(UUID staffId, List<Row> rows) {
    DialogueStore.NewDialogue sample = new DialogueStore.NewDialogue(TITLE,
        "A finished practice consultation with invented answers, so that the report has something to show.",
        List.of("en", "fr", "es", "ar", "zh", "ru", "pt", "sw", "hi"), Dialogue.ModerationMode.PRE, 1000, null, null,
        List.of("What makes you feel safe at school?",
            "What would you like adults to do when a child is being hurt?",
            "What should governments do to keep children safe online?"),
        DialogueRequest.DEFAULT_HELPLINES.copy(), false);
    return dialogueStore.create(sample, staffId)
        .compose(d -> dialogues.open(d.id()).map(v -> d))
        .compose(d -> dialogues.setCurrentPrompt(d, d.prompts().get(d.prompts().size() - 1).id())
            .compose(p -> dialogueStore.find(d.id())).map(found -> found.orElseThrow()))
        .compose(d -> themeIds(staffId, rows).compose(themeIds -> answer(d, staffId, rows, themeIds))
            .compose(v -> dialogues.close(d.id())))
        .mapEmpty();
  }

  private Future<Map<String, Long>> themeIds(UUID staffId, List<Row> rows) {
    Map<String, Long> ids = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (String name : rows.stream().flatMap(r -> r.themes().stream()).distinct().toList()) {
      chain = chain.compose(v -> themes.create(name, staffId).map(created -> {
        created.ifPresent(t -> ids.put(name, t.getLong("id")));
        return null;
      }));
    }
    return chain.map(v -> ids);
  }

  /** One child after the other (a first start, not a hot path): join, write, be approved, be tagged. */
  private Future<Void> answer(Dialogue d, UUID staffId, List<Row> rows, Map<String, Long> themeIds) {
    Map<String, ParticipantStore.Participant> children = new HashMap<>();
    Future<Void> chain = Future.succeededFuture();
    int n = 0;
    for (Row row : rows) {
      String clientId = "sample-" + (++n);
      chain = chain.compose(v -> child(d, row, children))
          .compose(child -> contributions.submit(d, child, clientId, d.prompts().get(row.prompt() - 1).id(), row.text()))
          .compose(submitted -> submitted.verdict().needsFacilitator()
              ? Future.succeededFuture()
              : contributions.approve(d.id(), submitted.contribution().id(), staffId).compose(c -> decorate(c, row, staffId, themeIds)));
    }
    return chain;
  }

  private Future<ParticipantStore.Participant> child(Dialogue d, Row row, Map<String, ParticipantStore.Participant> children) {
    ParticipantStore.Participant known = children.get(row.child());
    if (known != null) {
      return Future.succeededFuture(known);
    }
    ParticipantStore.Participant p = new ParticipantStore.Participant(UUID.randomUUID(), d.id(), Nicknames.generate(),
        row.ageBand(), row.country(), row.language());
    return participants.joinIfRoom(p).map(joined -> {
      children.put(row.child(), joined.orElseThrow());
      return joined.orElseThrow();
    });
  }

  private Future<Void> decorate(Contribution c, Row row, UUID staffId, Map<String, Long> themeIds) {
    Future<Void> chain = Future.succeededFuture();
    for (String theme : row.themes()) {
      Long id = themeIds.get(theme);
      if (id != null) {
        chain = chain.compose(v -> themes.tag(List.of(c.id()), id, null, staffId).mapEmpty());
      }
    }
    if (row.rendering() != null) {
      chain = chain.compose(v -> themes.quote(c.id(), row.rendering(), "en", staffId).mapEmpty());
    }
    return chain;
  }
}
