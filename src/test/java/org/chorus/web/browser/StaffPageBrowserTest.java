package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Staff: create and edit a dialogue, open it, assign a facilitator, watch its live counts by language. */
class StaffPageBrowserTest extends BrowserTest {

  @Test
  void staffCreatesEditsOpensAssignsAndSeesLiveCountsByLanguage() {
    Api api = server.api();
    String staffToken = api.staffToken();
    String facilitator = unique("staff-fac");
    api.createFacilitator(staffToken, facilitator);
    String title = unique("Playtime");

    tolerate("status of 409"); // the refused prompt edit below, shown to the user as a message
    Page staff = desktop();
    signIn(staff, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    assertThat(staff.locator("#staff-area")).isVisible();
    staff.fill("#dlg-title", title);
    staff.fill("#dlg-description", "About breaks and games");
    staff.fill("#dlg-prompts", "What do you play?\nWith whom?\nWhere?");
    staff.fill("#dlg-languages", "es, fr");
    staff.selectOption("#dlg-mode", "post");
    staff.fill("#dlg-capacity", "50");
    // The tests' browser runs in the server's time zone, so local input time and the server's instant agree.
    String closes = LocalDateTime.now().plusDays(2).truncatedTo(ChronoUnit.MINUTES).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    staff.fill("#dlg-closes", closes);
    staff.click("#dlg-save");
    Locator row = staff.locator("#dialogues li[data-dialogue-id]").filter(new Locator.FilterOptions().setHasText(title));
    assertThat(row).hasCount(1);
    String id = row.getAttribute("data-dialogue-id");

    // Edit: a later prompt changes, the title too.
    row.locator("[data-action=edit]").click();
    assertThat(staff.locator("#dialogue-form-heading")).isFocused();
    assertThat(staff.locator("#dlg-prompts")).hasValue("What do you play?\nWith whom?\nWhere?");
    assertThat(staff.locator("#dlg-closes")).hasValue(closes);
    staff.fill("#dlg-title", title + " (edited)");
    staff.fill("#dlg-prompts", "What do you play?\nWith whom?\nWhere do you play?\nWhen?");
    staff.click("#dlg-save");
    assertThat(staff.locator("#message")).hasText(fill(console("en", "staff.saved"), "title", title + " (edited)"));
    JsonObject saved = Api.expect(200, api.get("/api/dialogues/" + id, staffToken));
    assertEquals(title + " (edited)", saved.getString("title"));
    assertEquals(4, saved.getJsonArray("prompts").size());
    assertEquals("Where do you play?", saved.getJsonArray("prompts").getJsonObject(2).getString("text"));
    assertEquals(new JsonArray().add("es").add("fr"), saved.getJsonArray("languages"));
    assertEquals(50, saved.getInteger("capacity"));
    assertNotNull(saved.getString("closesAt"));

    row.locator("[data-action=open]").click();
    assertThat(row).hasAttribute("data-status", "open");
    assertThat(row.locator("[data-testid=join-code]")).hasText(java.util.regex.Pattern.compile("^[2-9A-Z]{4}-[2-9A-Z]{4}$"));
    String code = row.locator("[data-testid=join-code]").textContent();

    staff.click("#refresh");
    assertThat(staff.locator("#refresh")).isEnabled(); // the list was drawn again (and stays so while we pick)
    assertThat(row.locator("select[data-role=facilitator-select] option").filter(new Locator.FilterOptions().setHasText(facilitator))).hasCount(1);
    row.locator("select[data-role=facilitator-select]").selectOption(new com.microsoft.playwright.options.SelectOption().setLabel(facilitator));
    row.locator("[data-action=assign]").click();
    assertThat(row.locator("[data-role=facilitators]")).containsText(facilitator);

    // A child writes in Spanish: the counts follow without reloading the page.
    Page child = phone();
    joinAsChild(child, code, "Vale", "es", "ES");
    assertThat(child.locator("#prompt-position")).hasText(fill(child("es", "room.question"), "position", "1", "total", "4"));
    write(child, "Jugamos al fútbol en el patio con mis amigos todos los días");
    assertThat(child.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "published");
    Locator stats = row.locator("[data-testid=stats]");
    assertThat(stats.locator("[data-count=participants] strong")).hasText("1");
    assertThat(stats.locator("[data-count=published] strong")).hasText("1");
    assertThat(stats.locator("[data-count=total] strong")).hasText("1");
    assertThat(stats.locator("[data-language=es]")).containsText("1");

    // Later prompts can still change while the room is open; the child's page follows.
    row.locator("[data-action=edit]").click();
    assertThat(staff.locator("#dlg-prompts-hint")).hasAttribute("data-locked", "1");
    staff.fill("#dlg-prompts", "What do you play?\nWith whom?\nWhere do you play?\nWhen?\nWhy?");
    staff.click("#dlg-save");
    assertThat(staff.locator("#message")).hasText(fill(console("en", "staff.saved"), "title", title + " (edited)"));
    assertThat(child.locator("#prompt-position")).hasText(fill(child("es", "room.question"), "position", "1", "total", "5"));

    // Prompts already asked cannot change: the page says so in words.
    row.locator("[data-action=edit]").click();
    assertThat(staff.locator("#dlg-prompts-hint")).hasAttribute("data-locked", "1"); // the form is filled in
    staff.fill("#dlg-prompts", "What games do you play?\nWith whom?\nWhere do you play?\nWhen?\nWhy?");
    staff.click("#dlg-save");
    assertThat(staff.locator("#message")).hasText(console("en", "error.prompts_in_use"));
    staff.click("#dlg-cancel");
    assertThat(row.locator("[data-action=edit]")).isFocused();

    // Closing asks first, inline.
    row.locator("[data-action=close]").click();
    row.locator("[data-action=close-now]").click();
    assertThat(row).hasAttribute("data-status", "closed");
  }
}
