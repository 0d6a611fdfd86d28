package org.chorus.app;

import io.vertx.core.Future;
import org.chorus.auth.AccountService;
import org.chorus.auth.AccountStore;
import org.chorus.auth.Role;
import org.chorus.dialogue.Dialogue;
import org.chorus.dialogue.DialogueRequest;
import org.chorus.dialogue.DialogueService;
import org.chorus.dialogue.DialogueStore;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * First-start set-up: the first staff account (password from configuration, or generated and shown
 * once) and, when {@code sampleData} is on and there are no dialogues yet, a finished sample
 * consultation for the report ({@link SampleConsultation}) and an open sample dialogue with a sample facilitator.
 */
final class Bootstrap {
  static final String SAMPLE_FACILITATOR = "facilitator";

  /** Credentials created now, shown once; what to print about sample dialogues on every start. */
  record Result(String staffUser, String generatedStaffPassword, String generatedFacilitatorPassword, List<String> joinCodes,
                String sampleReportDialogueId) {}

  private final ChorusConfig config;
  private final AccountService accounts;
  private final AccountStore accountStore;
  private final DialogueStore dialogueStore;
  private final DialogueService dialogues;
  private final SampleConsultation consultation;

  Bootstrap(ChorusConfig config, AccountService accounts, AccountStore accountStore, DialogueStore dialogueStore,
            DialogueService dialogues, SampleConsultation consultation) {
    this.consultation = consultation;
    this.config = config;
    this.accounts = accounts;
    this.accountStore = accountStore;
    this.dialogueStore = dialogueStore;
    this.dialogues = dialogues;
  }

  Future<Result> run() {
    String staffUser = config.string("auth.initialStaffUser");
    return accountStore.countStaff().compose(staffCount -> {
      if (staffCount > 0) {
        return Future.succeededFuture((String) null);
      }
      String configured = config.string("auth.initialStaffPassword");
      return accounts.createAccount(staffUser, configured.isEmpty() ? null : configured, Role.STAFF, null)
          .map(created -> created.map(AccountService.Created::generatedPassword).orElse(null));
    }).compose(staffPassword -> sample(staffUser).compose(facilitatorPassword -> dialogueStore.listAll()
        .map(all -> new Result(staffUser, staffPassword, facilitatorPassword, openJoinCodes(all), sampleReport(all)))));
  }

  /** Returns the sample facilitator's generated password when it was created now. */
  private Future<String> sample(String staffUser) {
    if (!config.bool("sampleData")) {
      return Future.succeededFuture();
    }
    return dialogueStore.count().compose(n -> {
      if (n > 0) {
        return Future.succeededFuture();
      }
      return accountStore.findByUsername(staffUser).compose(staff -> {
        UUID staffId = staff.orElseThrow().id();
        DialogueStore.NewDialogue sample = new DialogueStore.NewDialogue(
            "Sample dialogue: feeling safe",
            "A practice dialogue. Children answer three questions about feeling safe at home, at school and online.",
            List.of("en", "fr", "es", "ar", "zh", "ru"),
            Dialogue.ModerationMode.PRE, 1000, null, null,
            List.of("What makes you feel safe at school?",
                "What would you like adults to do when a child is being hurt?",
                "What should governments do to keep children safe online?"),
            DialogueRequest.DEFAULT_HELPLINES.copy(), false);
        return consultation.create(staffId, SampleConsultation.rows())
            .compose(v -> dialogueStore.create(sample, staffId))
            .compose(d -> dialogues.open(d.id()).map(d))
            .compose(d -> accounts.createAccount(SAMPLE_FACILITATOR, null, Role.FACILITATOR, staffId)
                .compose(created -> created
                    .map(c -> dialogueStore.assign(d.id(), c.account().id()).map(c.generatedPassword()))
                    .orElseGet(() -> Future.succeededFuture())));
      });
    });
  }

  private static List<String> openJoinCodes(List<Dialogue> all) {
    List<String> codes = new ArrayList<>();
    for (Dialogue d : all) {
      if (d.status() == Dialogue.Status.OPEN && codes.size() < 5) {
        codes.add(d.joinCode() + "  (" + d.title() + ")");
      }
    }
    return codes;
  }

  /** The finished sample consultation, if this installation has one, for the banner's report link. */
  private static String sampleReport(List<Dialogue> all) {
    return all.stream().filter(d -> SampleConsultation.TITLE.equals(d.title())).map(d -> d.id().toString()).findFirst().orElse(null);
  }
}
