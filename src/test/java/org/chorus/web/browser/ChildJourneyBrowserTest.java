package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The main journey in real browsers: children on phones, a facilitator on a laptop, all live. */
class ChildJourneyBrowserTest extends BrowserTest {
  static final String MARKUP = "<img src=x onerror=alert(1)>";

  @Test
  void aChildJoinsInSpanishContributesAndASecondChildSeesItLiveOnceTheFacilitatorApproves() {
    Room room = room("pre", List.of("es", "en"), "¿Qué hace buena a una escuela?", "¿Qué cambiarías?");

    Page luna = phone();
    luna.navigate(server.baseUrl() + "/");
    assertThat(luna.locator("#code-heading")).hasText(child("en", "code.heading"));
    luna.fill("#join-code", room.code().toLowerCase());
    luna.click("#join-lookup");
    // The consent screen says, in a child's words, what happens, that it is anonymous, that one can stop, who to talk to.
    assertThat(luna.locator("#step-consent")).isVisible();
    assertThat(luna.locator("#step-consent")).containsText(child("en", "consent.anonymous.title"));
    assertThat(luna.locator("#step-consent")).containsText(child("en", "consent.stop.title"));
    assertThat(luna.locator("#consent-helplines")).containsText("116 111");
    luna.click("#consent-yes");
    // Choosing Spanish switches the whole page at once, before joining.
    luna.selectOption("#language", "es");
    assertThat(luna.locator("html")).hasAttribute("lang", "es");
    assertThat(luna.locator("#join-heading")).hasText(child("es", "join.heading"));
    assertThat(luna.locator("label[for=age-band]")).hasText(child("es", "join.age"));
    assertThat(luna.locator("#ui-language")).hasValue("es");
    assertThat(luna.locator("#nickname")).not().isEmpty(); // a generated nickname to accept or change
    luna.fill("#nickname", "Luna");
    luna.selectOption("#age-band", "12-14");
    luna.selectOption("#country", "ES");
    luna.click("#join-submit");
    assertThat(luna.locator("#connection-status")).hasText(child("es", "conn.open"));
    assertThat(luna.locator("#prompt-text")).hasText("¿Qué hace buena a una escuela?");
    assertThat(luna.locator("#send")).hasText(child("es", "room.send"));

    Page tomas = phone();
    joinAsChild(tomas, room.code(), "Tomas", "en", "GB");

    String words = "Los profesores que escuchan a los alumnos " + MARKUP;
    write(luna, words);
    Locator mine = luna.locator("#mine li[data-contribution-id]");
    assertThat(mine).hasAttribute("data-status", "pending");
    assertThat(mine.locator("[data-testid=mine-status]")).hasText(child("es", "status.pending"));

    Page fac = facilitatorConsole(room);
    Locator waiting = fac.locator("#queue li[data-contribution-id]");
    assertThat(waiting).hasCount(1);
    assertThat(waiting.locator(".text")).hasText(words);
    assertThat(waiting.locator("[data-testid=languages]")).hasAttribute("data-chosen", "es");
    assertThat(waiting).containsText("12-14");
    waiting.locator("[data-action=approve]").click();
    assertThat(waiting).hasCount(0);
    assertThat(fac.locator("#feed li[data-contribution-id] .text")).hasText(words);

    // The other child sees it arrive live, as text.
    Locator seen = tomas.locator("#feed li[data-contribution-id]");
    assertThat(seen.locator(".text")).hasText(words);
    assertThat(seen).containsText("Luna");
    assertThat(mine).hasAttribute("data-status", "published");
    assertThat(mine.locator("[data-testid=mine-status]")).hasText(child("es", "status.published"));

    seen.locator("button[data-action=me-too]").click();
    assertThat(seen.locator("button[data-action=me-too]")).hasAttribute("aria-pressed", "true");
    assertThat(seen.locator("button[data-action=me-too]")).hasText(fill(child("en", "feed.meToo"), "n", "1"));
    assertThat(mine.locator("[data-testid=mine-status]")).containsText("1");

    fac.click("#next-prompt");
    assertThat(luna.locator("#prompt-text")).hasText("¿Qué cambiarías?");
    assertThat(tomas.locator("#prompt-text")).hasText("¿Qué cambiarías?");
    for (Page page : List.of(luna, tomas, fac)) {
      assertEquals(0, page.locator("img").count(), "no element was made from a child's text");
    }
  }

  @Test
  void aContributionWithMarkupShowsAsTextForEveryone() {
    Room room = room("post", List.of("en"), "Say anything");
    Page author = phone();
    joinAsChild(author, room.code(), "Ada", "en", "KE");
    Page reader = phone();
    joinAsChild(reader, room.code(), "Bo", "en", "KE");
    Page fac = facilitatorConsole(room);

    write(author, MARKUP);
    assertThat(author.locator("#mine li[data-contribution-id] .text")).hasText(MARKUP);
    assertThat(reader.locator("#feed li[data-contribution-id] .text")).hasText(MARKUP);
    assertThat(fac.locator("#feed li[data-contribution-id] .text")).hasText(MARKUP);
    for (Page page : List.of(author, reader, fac)) {
      assertEquals(0, page.locator("img").count(), "the markup stayed text");
    }
    // A dialog from alert(1) would be recorded as a problem by the base class (checked after the test).
  }

  @Test
  void theFacilitatorFiltersByLanguageRejectsKindlyAndEditsBeforeApproving() {
    Room room = room("pre", List.of("fr", "es"), "Qu'est-ce qui rend une école agréable ?");
    Page amelie = phone();
    joinAsChild(amelie, room.code(), "Amelie", "fr", "FR");
    Page diego = phone();
    joinAsChild(diego, room.code(), "Diego", "es", "MX");

    String french = "Je pense que les professeurs devraient écouter davantage les élèves pendant les cours et les récréations.";
    String spanish = "Creo que los profesores deberían escuchar más a los alumnos durante las clases y los recreos.";
    write(amelie, french);
    assertThat(amelie.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "pending");
    write(diego, spanish);
    assertThat(diego.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "pending");

    Page fac = facilitatorConsole(room);
    Locator queue = fac.locator("#queue li[data-contribution-id]");
    assertThat(queue).hasCount(2);
    // Oldest first, each with the child's chosen language, the detected one and the age band.
    assertThat(queue.nth(0).locator(".text")).hasText(french);
    assertThat(queue.nth(1).locator(".text")).hasText(spanish);
    assertThat(queue.nth(0).locator("[data-testid=languages]")).hasAttribute("data-chosen", "fr");
    assertThat(queue.nth(0).locator("[data-testid=languages]")).hasAttribute("data-detected", "fr");
    assertThat(queue.nth(1).locator("[data-testid=languages]")).hasAttribute("data-detected", "es");
    assertThat(queue.nth(1)).containsText("12-14");

    fac.selectOption("#queue-language", "fr");
    assertThat(queue).hasCount(1);
    assertThat(queue.locator(".text")).hasText(french);
    // Not published, with a reason from the list: the child reads kind words in French.
    queue.locator("[data-action=reject]").click();
    queue.locator("select[data-field=reason]").selectOption("off_topic");
    queue.locator("button[data-action=submit]").click();
    assertThat(queue).hasCount(0);
    Locator rejected = amelie.locator("#mine li[data-contribution-id]");
    assertThat(rejected).hasAttribute("data-status", "rejected");
    assertThat(rejected.locator("[data-testid=mine-status]")).hasText(child("fr", "status.rejected"));
    assertThat(rejected.locator("[data-testid=mine-reason]")).hasText(child("fr", "reason.off_topic"));

    fac.selectOption("#queue-language", "");
    assertThat(queue).hasCount(1);
    queue.locator("[data-action=approve_edit]").click();
    Locator edit = queue.locator("textarea[data-field=text]");
    assertThat(edit).isFocused();
    assertThat(edit).hasValue(spanish);
    edit.fill("Creo que los profesores deberían escuchar más.");
    queue.locator("button[data-action=submit]").click();
    assertThat(queue).hasCount(0);
    Locator published = diego.locator("#mine li[data-contribution-id]");
    assertThat(published).hasAttribute("data-status", "published");
    assertThat(published.locator(".text")).hasText("Creo que los profesores deberían escuchar más.");
    assertThat(amelie.locator("#feed li[data-contribution-id] .text")).hasText("Creo que los profesores deberían escuchar más.");
  }

  @Test
  void theFacilitatorPausesAndRemovesChildrenFromTheParticipantList() {
    Room room = room("post", List.of("en", "pt"), "What do you like?");
    Page kofi = phone();
    joinAsChild(kofi, room.code(), "Kofi", "en", "GH");
    Page bia = phone();
    joinAsChild(bia, room.code(), "Bia", "pt", "BR");

    Page fac = facilitatorConsole(room);
    Locator people = fac.locator("#participants li[data-participant-id]");
    assertThat(fac.locator("#participants-panel")).isVisible();
    assertThat(people).hasCount(2);
    Locator kofiRow = people.filter(new Locator.FilterOptions().setHasText("Kofi"));
    assertThat(kofiRow).containsText("12-14");

    kofiRow.locator("[data-action=mute]").click();
    kofiRow.locator("select[data-field=minutes]").selectOption("30");
    kofiRow.locator("button[data-action=submit]").click();
    assertThat(kofiRow).hasAttribute("data-state", "muted");
    assertThat(kofi.locator("#room-message")).isVisible();
    assertThat(kofi.locator("#room-message")).containsText(child("en", "room.muted").split("\\{")[0].trim());
    write(kofi, "can I still write?");
    assertThat(kofi.locator("#mine li[data-status=failed] [data-testid=mine-reason]")).hasText(child("en", "error.muted"));

    Locator biaRow = people.filter(new Locator.FilterOptions().setHasText("Bia"));
    biaRow.locator("[data-action=kick]").click();
    biaRow.locator("button[data-action=submit]").click();
    assertThat(biaRow).hasAttribute("data-state", "removed");
    // The removed child is back at the start, told kindly, in Portuguese.
    assertThat(bia.locator("#step-code")).isVisible();
    assertThat(bia.locator("#message")).hasText(child("pt", "room.removed"));
  }

  @Test
  void aDisclosureShowsHelpToTheChildAndAnAlertInItsOwnPanelUntilAcknowledged() {
    Room room = room("post", List.of("en"), "How do you feel at home?");
    Page fac = facilitatorConsole(room);
    Locator panel = fac.locator("#alerts-panel");
    assertThat(panel).hasAttribute("data-count", "0");
    assertThat(fac.locator("#alerts-count")).hasText(console("en", "alerts.none"));

    Page nia = phone();
    joinAsChild(nia, room.code(), "Nia", "en", "KE");
    write(nia, "my uncle hurts me when mum is away, my number is 0712 345 678");
    assertThat(nia.locator("#help")).isVisible();
    assertThat(nia.locator("#help h2")).hasText(child("en", "help.title"));
    assertThat(nia.locator("#help")).containsText("116 111");
    assertThat(nia.locator("#room-message")).containsText(child("en", "redacted.phone"));

    assertThat(panel).hasAttribute("data-count", "1");
    assertThat(fac.locator("#alert-live")).containsText("Nia");
    Locator alert = fac.locator("#alerts li[data-contribution-id]");
    assertThat(alert).containsText("Nia");
    assertThat(alert.locator(".text")).containsText("[phone]");
    assertThat(fac.locator("#queue li[data-moderation=alert]")).hasCount(1);
    assertThat(fac).hasTitle(Pattern.compile("1"));
    alert.locator("[data-action=show]").click();
    assertThat(fac.locator("#queue li[data-moderation=alert] [data-action=approve]")).isFocused();
    alert.locator("[data-action=ack_alert]").click();
    assertThat(panel).hasAttribute("data-count", "0");
    assertThat(alert).hasCount(0);
    assertThat(fac).hasTitle(console("en", "fac.pageTitle"));
  }
}
