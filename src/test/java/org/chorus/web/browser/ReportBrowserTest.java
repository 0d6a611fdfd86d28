package org.chorus.web.browser;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Media;
import com.microsoft.playwright.options.SelectOption;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summary report from the browser: a consultation is seeded through the real API and live room (children
 * in Kenya, Brazil and only two in Iceland, a facilitator's approvals, a disclosure the facilitator publishes by
 * mistake); a facilitator tags a message during the session; staff create a theme, tag a filtered list in bulk,
 * mark a quote with an English rendering, download the CSV and open the printable report, whose anonymity rules,
 * charts and print layout are checked; an empty dialogue's report says so. Saves docs' report screenshots.
 */
class ReportBrowserTest extends BrowserTest {
  static final String DISCLOSURE = "my uncle hurts me when mum is away";
  static final String RENDERING = "Schools need teachers who listen to the pupils calmly";

  /** A child joins over REST and writes over the live socket; returns the contribution id. */
  static long contribute(Room room, String country, String ageBand, String language, String text) {
    JsonObject joined = Api.expect(201, server.api().post("/api/join", null, Api.joinBody(room.code(), null, ageBand, country, language)));
    try (LiveClient child = server.live()) {
      child.hello(joined.getString("token"), null);
      JsonObject ack = child.request(new JsonObject().put("type", "contribute")
          .put("clientId", unique("rep").replaceAll("[^A-Za-z0-9_-]", "")).put("text", text));
      assertEquals("pending", ack.getString("status"), ack.encode());
      return ack.getLong("id");
    }
  }

  @Test
  void staffTagQuoteExportAndPrintTheReportAndAFacilitatorTagsDuringTheSession() throws IOException {
    String title = "Feeling safe at school";
    Room room = room(title, "report test", "pre", List.of("en", "pt"), "What makes you feel safe at school?", "What should change?");
    List<Long> ids = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      ids.add(contribute(room, "KE", "12-14", "en", "Teachers should listen to children at school every single day (k" + i + ")"));
    }
    for (int i = 1; i <= 5; i++) {
      ids.add(contribute(room, "BR", "15-17", "pt", "As escolas precisam de mais professores que escutam os alunos com calma (b" + i + ")"));
    }
    for (int i = 1; i <= 2; i++) {
      ids.add(contribute(room, "IS", "9-11", "en", "Adults should listen to us more and keep the playground safe (i" + i + ")"));
    }
    long disclosure = contribute(room, "KE", "12-14", "en", DISCLOSURE);
    String staffToken = server.api().staffToken();
    try (LiveClient fac = server.live()) {
      fac.hello(staffToken, room.id());
      for (long id : ids) {
        fac.request(new JsonObject().put("type", "approve").put("contributionId", id));
      }
      // Published by mistake: it must still never reach a report.
      fac.request(new JsonObject().put("type", "approve").put("contributionId", disclosure));
    }

    // Staff: the report area, one dialogue, a new theme.
    Page staff = desktop();
    signIn(staff, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    assertThat(staff.locator("#report-area")).isVisible();
    assertThat(staff.locator("#rep-open")).isDisabled();
    staff.locator("#rep-dialogues input[value=\"" + room.id() + "\"]").check();
    assertThat(staff.locator("#rep-open")).isEnabled();
    assertThat(staff.locator("#browse li[data-contribution-id]")).hasCount(13);
    assertThat(staff.locator("#browse")).not().containsText(DISCLOSURE);
    String theme = "Adults who listen"; // theme names are shared by all dialogues; no other test uses this one
    staff.fill("#theme-name", theme);
    staff.click("#theme-add");
    assertThat(staff.locator("#themes li").filter(new Locator.FilterOptions().setHasText(theme))).hasCount(1);
    assertThat(staff.locator("#rep-status")).hasText(fill(console("en", "rep.themeCreated"), "name", theme));

    // A facilitator tags a published message during the session.
    Page console = facilitatorConsole(room);
    Locator b2 = console.locator("#feed li[data-contribution-id]").filter(new Locator.FilterOptions().setHasText("(b2)"));
    b2.locator("select[data-field=theme]").selectOption(new SelectOption().setLabel(theme));
    b2.locator("[data-action=tag]").click();
    assertThat(b2.locator("[data-tagged]")).hasText(theme);
    assertThat(console.locator("#message")).containsText(theme);

    // Staff: suggested words for the prompt; one filters the list; select all shown, tag them in one request.
    staff.click("#sugg-load");
    Locator listen = staff.locator("#suggestions button[data-action=filter][data-term=listen]");
    assertThat(listen).hasCount(1);
    listen.click();
    assertThat(staff.locator("#browse-text")).hasValue("listen");
    Locator shown = staff.locator("#browse li[data-contribution-id]");
    assertThat(shown).hasCount(8);
    staff.check("#select-all");
    assertThat(staff.locator("#selected-count")).hasText(fill(console("en", "rep.selected"), "n", "8", "total", "8"));
    staff.locator("#bulk-theme").selectOption(new SelectOption().setLabel(theme));
    staff.click("#bulk-tag");
    assertThat(staff.locator("#rep-status")).hasText(fill(console("en", "rep.taggedResult"), "theme", theme, "n", "8", "already", "0", "refused", "0"));
    assertThat(shown.locator("[data-theme=\"" + theme + "\"]")).hasCount(8);
    assertThat(staff.locator("#themes li").filter(new Locator.FilterOptions().setHasText(theme)))
        .containsText(fill(console("en", "rep.tagged"), "n", "9"));
    staff.locator("#report-area").scrollIntoViewIfNeeded();
    staff.evaluate("() => document.querySelector('#report-area').scrollIntoView({ block: 'start' })");
    ScreenshotsBrowserTest.shoot(staff, "report-staff.png", false);

    // A quote with an English rendering beside the Portuguese original.
    staff.fill("#browse-text", "(b2)"); // the one the facilitator tagged
    staff.click("#browse-show");
    assertThat(shown).hasCount(1);
    shown.locator("[data-action=quote]").click();
    shown.locator("textarea[data-field=rendering]").fill(RENDERING);
    assertThat(shown.locator("input[data-field=language]")).hasValue("en");
    shown.locator("[data-action=quote-save]").click();
    assertThat(shown.locator("[data-testid=quote-mark]")).isVisible();
    assertThat(shown.locator("[data-testid=rendering]")).hasText(RENDERING);

    // The CSV, downloaded through the page: header and one row per approved contribution.
    Download csv = staff.waitForDownload(() -> staff.click("#rep-csv"));
    assertTrue(csv.suggestedFilename().matches("chorus-report-\\d{8}-\\d{4}\\.csv"), csv.suggestedFilename());
    String body = Files.readString(csv.path(), StandardCharsets.UTF_8);
    List<String> lines = Arrays.stream(body.split("\r\n")).filter(l -> !l.isEmpty()).toList();
    assertEquals("dialogue,prompt_number,prompt,region,age_band,language,themes,text,rendering", lines.get(0));
    assertEquals(1 + 13, lines.size(), body);
    assertFalse(body.contains(DISCLOSURE) || body.contains("Iceland"), body);
    assertTrue(body.contains(RENDERING));
    assertThat(staff.locator("#rep-status")).hasText(fill(console("en", "rep.downloaded"), "name", csv.suggestedFilename()));

    // The printable report, in a new tab that keeps the sign-in.
    Page report = staff.waitForPopup(() -> staff.click("#rep-open"));
    watch(report);
    assertThat(report.locator("#report")).isVisible();
    assertThat(report.locator("#report-title")).hasText(title);
    assertThat(report.locator("[data-total=children] dd")).hasText("14"); // the child who wrote the disclosure joined too
    assertThat(report.locator("[data-total=childrenWhoContributed] dd")).hasText("13");
    assertThat(report.locator("[data-total=countries] dd")).hasText("3");
    assertThat(report.locator("[data-total=regions] dd")).hasText("3");
    assertThat(report.locator("[data-total=contributions] dd")).hasText("13");
    Locator countries = report.locator("[data-testid=table-countries]");
    assertThat(countries.locator("tr").filter(new Locator.FilterOptions().setHasText("Kenya")).locator("td").first()).hasText("7");
    assertThat(countries.locator("tr").filter(new Locator.FilterOptions().setHasText("Other countries in Europe")).locator("td").first())
        .hasText("fewer than 5");
    assertThat(countries.locator("th")).hasCount(2 + 3); // country, children; one row each
    assertThat(report.locator("[data-testid=table-ageBands] tr").filter(new Locator.FilterOptions().setHasText("9-11")).locator("td").first())
        .hasText("fewer than 5");
    Locator chart = report.locator("img[data-chart=countries]");
    assertThat(chart).hasAttribute("src", Pattern.compile("^data:image/svg\\+xml;charset=utf-8,%3Csvg"));
    assertThat(chart).hasAttribute("alt", Pattern.compile("Children by country"));
    assertEquals(true, report.waitForFunction("() => [...document.querySelectorAll('img[data-chart]')].every((i) => i.complete && i.naturalWidth > 0)").jsonValue());
    assertEquals(5, report.locator("img[data-chart]").count());
    Locator themeRow = report.locator("[data-testid=table-themes] tr").filter(new Locator.FilterOptions().setHasText(theme));
    assertThat(themeRow.locator("td").first()).hasText("9");
    Locator quote = report.locator("figure.quote").filter(new Locator.FilterOptions().setHasText("(b2)"));
    assertThat(quote.locator("[data-testid=quote-attribution]")).hasText("— Child, 15-17, Americas");
    assertThat(quote.locator("[data-testid=quote-rendering]")).hasText(RENDERING);
    assertThat(quote.locator("[data-testid=quote-rendering]")).hasAttribute("lang", "en");
    assertThat(report.locator(".quote-group").filter(new Locator.FilterOptions().setHas(quote)).locator("h3")).hasText(theme);
    assertThat(report.locator("[data-moderation=alerts]")).hasText("1");
    assertThat(report.locator("#method")).containsText("UN M49");
    // Nothing names the small country or shows the disclosure, not even inside a chart or an attribute.
    String html = report.content();
    assertFalse(html.contains("Iceland"), "a country with 2 children is never named");
    assertFalse(html.contains("uncle") || html.contains(DISCLOSURE), "a safeguarding alert's text never appears");
    assertThat(report.locator("body")).not().containsText("Iceland");

    report.setViewportSize(1100, 900);
    ScreenshotsBrowserTest.shoot(report, "report.png", true);
    // Printed: no buttons, no navigation, black on white.
    report.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.PRINT));
    assertThat(report.locator("#print")).isHidden();
    assertThat(report.locator("header.bar")).isHidden();
    assertThat(report.locator(".report-tools")).isHidden();
    assertEquals("rgb(255, 255, 255)", report.evaluate("() => getComputedStyle(document.body).backgroundColor"));
    assertEquals("rgb(0, 0, 0)", report.evaluate("() => getComputedStyle(document.querySelector('.quote figcaption')).color"));
    ScreenshotsBrowserTest.shoot(report, "report-print.png", true);
    byte[] pdf = report.pdf(new Page.PdfOptions().setFormat("A4").setPrintBackground(false));
    assertTrue(pdf.length > 10_000, "a PDF of " + pdf.length + " bytes");
    report.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.SCREEN));
    assertThat(report.locator("#print")).isVisible();

    // A dialogue without contributions: the report says so instead of failing.
    Room empty = room("pre", List.of("en"), "Anything?");
    report.navigate(server.baseUrl() + "/report.html?dialogues=" + empty.id());
    assertThat(report.locator("[data-testid=report-empty]")).hasText(console("en", "report.empty"));
    assertThat(report.locator("[data-total=contributions] dd")).hasText("0");
    assertThat(report.locator("#message")).isHidden();
  }

  @Test
  void theReportPageAsksToSignInAndSpeaksArabicRightToLeft() {
    Room room = room("pre", List.of("en"), "Anything?");
    Page page = desktop();
    page.navigate(server.baseUrl() + "/report.html?dialogues=" + room.id());
    assertThat(page.locator("#login")).isVisible();
    page.selectOption("#ui-language", "ar");
    assertThat(page.locator("html")).hasAttribute("dir", "rtl");
    page.fill("#username", TestServer.STAFF_USER);
    page.fill("#password", TestServer.STAFF_PASSWORD);
    page.click("#login-submit");
    assertThat(page.locator("[data-testid=report-empty]")).hasText(console("ar", "report.empty"));
    assertThat(page.locator("#print")).hasText(console("ar", "report.print"));
  }
}
