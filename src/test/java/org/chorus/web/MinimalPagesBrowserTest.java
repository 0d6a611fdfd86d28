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
    fac.navigate(server.baseUrl() + "/facilitator.html?dialogue=" + d.getString("id"));
    fac.fill("#username", "browser-fac");
    fac.fill("#password", facilitator.getString("password"));
    fac.click("#login-submit");
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
    assertEquals(List.of(), problems, "no script errors or CSP violations in the pages");
    child.context().close();
    friend.context().close();
    fac.context().close();
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
    fac.navigate(server.baseUrl() + "/facilitator.html?dialogue=" + d.getString("id"));
    fac.fill("#username", "browser-alert-fac");
    fac.fill("#password", facilitator.getString("password"));
    fac.click("#login-submit");
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
    staffPage.navigate(server.baseUrl() + "/staff.html");
    staffPage.fill("#username", TestServer.STAFF_USER);
    staffPage.fill("#password", TestServer.STAFF_PASSWORD);
    staffPage.click("#login-submit");
    staffPage.fill("#tester-text", "add me on snap, my insta is @nia_09");
    staffPage.fill("#tester-language", "en");
    staffPage.click("#tester-check");
    assertThat(staffPage.locator("#tester-action")).hasText("hold");
    assertThat(staffPage.locator("#tester-redacted")).containsText("[handle]");
    assertEquals(List.of(), problems, "no script errors or CSP violations in the pages");
    fac.context().close();
    child.context().close();
    staffPage.context().close();
  }
}
