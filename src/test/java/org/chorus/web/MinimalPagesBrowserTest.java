package org.chorus.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The minimal pages in a real headless Chromium on a phone-sized screen: join, contribute, approve, see it. */
class MinimalPagesBrowserTest {
  static Playwright playwright;
  static Browser browser;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.shared();
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true));
  }

  @AfterAll
  static void stop() {
    browser.close();
    playwright.close();
  }

  static Page phone(List<String> problems) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(360, 740));
    Page page = context.newPage();
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type())) {
        problems.add(m.text());
      }
    });
    page.onPageError(problems::add);
    return page;
  }

  /** The sign-in form of the facilitator and staff pages. */
  static void signIn(Page page, String path, String username, String password) {
    page.navigate(server.baseUrl() + path);
    page.fill("#username", username);
    page.fill("#password", password);
    page.click("#login-submit");
  }

  /** No script error or CSP violation happened in any page; then the pages go. */
  static void finish(List<String> problems, Page... pages) {
    assertEquals(List.of(), problems, "no script errors or CSP violations in the pages");
    for (Page page : pages) {
      page.context().close();
    }
  }

  static void joinAsChild(Page page, String code, String nickname) {
    page.navigate(server.baseUrl() + "/");
    page.fill("#join-code", code.toLowerCase());
    page.click("#join-lookup");
    page.waitForSelector("#join-form");
    page.fill("#nickname", nickname);
    page.selectOption("#age-band", "12-14");
    page.fill("#country", "br");
    page.fill("#language", "pt");
    page.check("#consent");
    page.click("#join-submit");
    assertThat(page.locator("#connection-status")).hasText("Connected");
    assertThat(page.locator("#my-nickname")).hasText(nickname);
  }

  @Test
  void childJoinsContributesAndSeesItApprovedByTheFacilitator() {
    Api api = server.api();
    String staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Browser dialogue", "pre", 20, "What makes a good school?", "What should change?"));
    JsonObject facilitator = api.createFacilitator(staff, "browser-fac");
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    List<String> problems = new ArrayList<>();

    Page child = phone(problems);
    joinAsChild(child, d.getString("joinCode"), "Luna");
    assertThat(child.locator("#prompt-text")).hasText("What makes a good school?");
    Page friend = phone(problems);
    joinAsChild(friend, d.getString("joinCode"), "Tomas");

    child.fill("#contribution-text", "Teachers who listen <b>to us</b>");
    child.click("#send");
    assertThat(child.locator("#mine li[data-status=pending]")).hasCount(1);

    Page fac = phone(problems);
    signIn(fac, "/facilitator.html?dialogue=" + d.getString("id"), "browser-fac", facilitator.getString("password"));
    assertThat(fac.locator("#queue li[data-contribution-id]")).hasCount(1);
    assertThat(fac.locator("#queue li[data-contribution-id]")).containsText("Teachers who listen <b>to us</b>");
    fac.locator("#queue li[data-contribution-id] [data-action=approve]").click();
    assertThat(fac.locator("#queue li[data-contribution-id]")).hasCount(0);

    assertThat(child.locator("#mine li[data-status=published]")).hasCount(1);
    // Markup typed by a child is shown as text, never interpreted.
    assertThat(friend.locator("#feed li[data-contribution-id]")).containsText("Teachers who listen <b>to us</b>");
    assertEquals(0, friend.locator("#feed b").count());
    friend.locator("#feed li[data-contribution-id] button[data-action=me-too]").click();
    assertThat(friend.locator("#feed li[data-contribution-id] button[data-action=me-too]")).hasText("Me too 1");

    fac.click("#next-prompt");
    assertThat(child.locator("#prompt-text")).hasText("What should change?");
    assertThat(friend.locator("#prompt-text")).hasText("What should change?");
    finish(problems, child, friend, fac);
  }

  @Test
  void aDisclosureShowsHelpToTheChildAndAnAlertToTheFacilitator() {
    Api api = server.api();
    String staff = api.staffToken();
    JsonObject d = api.openDialogue(staff, Api.dialogueBody("Browser alerts", "post", 20, "How do you feel at home?"));
    JsonObject facilitator = api.createFacilitator(staff, "browser-alert-fac");
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    List<String> problems = new ArrayList<>();

    Page fac = phone(problems);
    signIn(fac, "/facilitator.html?dialogue=" + d.getString("id"), "browser-alert-fac", facilitator.getString("password"));
    assertThat(fac.locator("#connection-status")).hasText("Connected");

    Page child = phone(problems);
    joinAsChild(child, d.getString("joinCode"), "Nia");
    child.fill("#contribution-text", "my uncle hurts me when mum is away, my number is 0712 345 678");
    child.click("#send");
    assertThat(child.locator("#help")).isVisible();
    assertThat(child.locator("#help")).containsText("116 111");
    assertThat(child.locator("#room-message")).containsText("a phone number");

    assertThat(fac.locator("#alert")).isVisible();
    assertThat(fac.locator("#queue li[data-moderation=alert]")).hasCount(1);
    assertThat(fac.locator("#queue li[data-moderation=alert] mark").first()).isVisible();
    assertThat(fac.locator("#queue li[data-moderation=alert]")).containsText("[phone]");
    fac.locator("#queue li[data-moderation=alert] [data-action=ack_alert]").click();
    assertThat(fac.locator("#alert")).isHidden();
    assertThat(fac.locator("#queue li[data-moderation=alert] [data-action=ack_alert]")).hasCount(0);

    Page staffPage = phone(problems);
    signIn(staffPage, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    staffPage.fill("#tester-text", "add me on snap, my insta is @nia_09");
    staffPage.fill("#tester-language", "en");
    staffPage.click("#tester-check");
    assertThat(staffPage.locator("#tester-action")).hasText("hold");
    assertThat(staffPage.locator("#tester-redacted")).containsText("[handle]");
    finish(problems, fac, child, staffPage);
  }
}
