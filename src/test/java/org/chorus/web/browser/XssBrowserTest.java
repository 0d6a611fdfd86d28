package org.chorus.web.browser;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-site scripting: classic payloads enter through every place user text enters Chorus (a child's
 * contributions, a facilitator's edit and rejection reason, a dialogue's title, description, prompts and
 * helplines, theme names, a quote's rendering, the rule tester) and are then shown on the child's page, the
 * facilitator console, the staff page and the printable report. Nothing may run and nothing may become markup:
 * no {@code __xss()} call, no dialog, no request for a probe URL, no element carrying the payloads' marker
 * attribute or an event handler, no {@code javascript:} link, no CSP report (the base class fails on any console
 * error) — and every payload must be readable on the page exactly as it was written.
 */
class XssBrowserTest extends BrowserTest {
  /** Called by every payload that manages to run; installed before any page script. */
  private static final String TRAP = "window.__xss = (n) => { (window.__xssFired = window.__xssFired || []).push(String(n)); };";
  /** What would be there if a payload had become markup. */
  private static final String INJECTED = """
      () => ({
        fired: window.__xssFired || [],
        injected: [...document.querySelectorAll('[data-xss], [onerror], [onload], [onfocus], [onmouseover], [srcdoc], iframe, object, embed, base, script:not([src])')]
          .map((e) => e.outerHTML.slice(0, 120)),
        javascriptLinks: [...document.querySelectorAll('[href], [src], [action], [formaction]')]
          .map((e) => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction') || '')
          .filter((u) => /^\\s*(javascript|vbscript|data:text\\/html)/i.test(u)),
        bodyShown: getComputedStyle(document.body).display !== 'none',
      })""";

  /**
   * Each payload starts with a tag of its own ([x01]…) so it can be found, carries the marker attribute data-xss,
   * calls __xss() and asks for /xss-probe-N if it ever becomes markup or code.
   */
  static final List<String> PAYLOADS = List.of(
      "[x01] <img src=/xss-probe-1 onerror=__xss(1) data-xss>",
      "[x02] <script data-xss>__xss(2)</script>",
      "[x03] \"><svg onload=__xss(3) data-xss><circle r=9></svg>",
      "[x04] '><iframe srcdoc=\"<script>parent.__xss(4)</script>\" data-xss></iframe>",
      "[x05] <a href=\"javascript:__xss(5)\" data-xss>tap me</a> javascript:__xss(5)",
      "[x06] </textarea></title></p><img src=/xss-probe-6 onerror=__xss(6) data-xss>",
      "[x07] `${__xss(7)}` {{constructor.constructor('__xss(7)')()}} {nickname} {reason} #{7}",
      "[x08] \" autofocus onfocus=\"__xss(8)\" data-xss=\" ' onmouseover='__xss(8)' x='",
      "[x09] \u202Egnp.exe\u202C \u2067isolate\u2069 <b data-xss>bold</b>",
      "[x10] <style data-xss>body{display:none}</style>",
      "[x11] &lt;img src=/xss-probe-11 onerror=__xss(11) data-xss&gt; &amp; &#60;b&#62;",
      "[x12] <math><mtext><table><mglyph><style><img src=/xss-probe-12 onerror=__xss(12) data-xss>",
      "[x13] <object data=\"javascript:__xss(13)\" data-xss></object><embed src=/xss-probe-13 data-xss>",
      "[x14] --><!-- <base href=\"/xss-probe-14/\" data-xss> ]]><![CDATA[ <img src=/xss-probe-14b data-xss>");

  static final String TITLE = "Recess [t] <img src=/xss-probe-t onerror=__xss('title') data-xss> \"'`${__xss('t')}` \u202Eevil\u202C";
  static final String DESCRIPTION = String.join("\n", PAYLOADS);
  static final String HELPLINE_NAME = "Help [h] <svg onload=__xss('helpline') data-xss> \"><b data-xss>x</b>";
  static final String HELPLINE_URL = "https://example.org/help?a=\"><img/src=/xss-probe-u/onerror=__xss('url')/data-xss>&b='";
  static final String EDIT = "[e] <svg><script data-xss>__xss('edit')</script></svg> \"><img src=/xss-probe-e onerror=__xss('e') data-xss>";
  static final String REASON = "[r] <img src=/xss-probe-r onerror=__xss('reason') data-xss> {reason} </p><b data-xss>";
  static final String DISCLOSURE = "my uncle hurts me when mum is away <img src=/xss-probe-d onerror=__xss('d') data-xss>";
  static final String RENDERING = "[q] <img src=/xss-probe-q onerror=__xss('quote') data-xss> '\"><script data-xss>__xss('q')</script>";
  static final String TESTER = "[rt] <img src=/xss-probe-rt onerror=__xss('tester') data-xss> call 0712 345 678";
  /** Each chart of the report (an img with a data: URL) parsed as SVG. */
  private static final String CHARTS = """
      () => [...document.querySelectorAll('img[data-chart]')].map((img) => {
        const svg = decodeURIComponent(img.getAttribute('src').replace(/^data:image\\/svg\\+xml;charset=utf-8,/, ''));
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return { chart: img.dataset.chart, broken: !!doc.querySelector('parsererror'),
                 injected: doc.querySelectorAll('[data-xss], [onerror], [onload], script, foreignObject').length,
                 text: doc.documentElement.textContent };
      })""";
  /** Payload indexes the facilitator rejects with REASON and approves with the EDIT. */
  static final int REJECTED = 3;
  static final int EDITED = 4;

  private final List<String> probes = new CopyOnWriteArrayList<>();
  private final List<Page> pages = new ArrayList<>();

  /** A page whose context traps __xss and records any request for a probe URL (popups included). */
  private Page watched(Page page) {
    BrowserContext context = page.context();
    context.addInitScript(TRAP);
    context.onRequest(r -> {
      if (r.url().contains("xss-probe") || r.url().startsWith("javascript:")) {
        probes.add(r.url());
      }
    });
    pages.add(page);
    return page;
  }

  /** The report's tab: opened by the staff page, watched like the others. */
  private void watchPopup(Page page) {
    watch(page);
    pages.add(page);
  }

  private static String payload(int i) {
    return PAYLOADS.get(i - 1);
  }

  private static String tag(int i) {
    return String.format("[x%02d]", i);
  }

  @Test
  void everyUserTextIsShownAsTextOnTheChildFacilitatorStaffAndReportPages() {
    Api api = server.api();
    String staffToken = api.staffToken();

    // ---- staff's text: title, description, prompts (one per payload) and a helpline ----------------------
    JsonObject body = new JsonObject().put("title", TITLE).put("description", DESCRIPTION)
        .put("prompts", new JsonArray(PAYLOADS)).put("languages", new JsonArray().add("en"))
        .put("moderationMode", "pre").put("capacity", 50)
        .put("helplines", new JsonArray().add(new JsonObject().put("name", HELPLINE_NAME).put("phone", "116 111").put("url", HELPLINE_URL)));
    // A link that is not https:// (javascript:, data:) never becomes a helpline.
    for (String bad : List.of("javascript:__xss('helpline')", "data:text/html,<script>__xss(1)</script>", "JavaScript://example.org/%0a__xss(1)")) {
      JsonObject refused = body.copy().put("helplines", new JsonArray().add(new JsonObject().put("name", "Help").put("url", bad)));
      assertEquals(400, api.post("/api/dialogues", staffToken, refused).status(), bad);
    }
    JsonObject dialogue = api.openDialogue(staffToken, body);
    String dialogueId = dialogue.getString("id");
    String code = dialogue.getString("joinCode");
    String username = unique("xss-fac");
    JsonObject facilitator = api.createFacilitator(staffToken, username);
    api.assign(staffToken, dialogueId, facilitator.getString("id"));
    // Nicknames are letters, digits, spaces, - and _ only: markup is refused, not stored.
    for (String nickname : List.of("<img src=x>", "\"><b>", "Ali\u202Ex", "{{x}}")) {
      assertEquals("invalid_nickname", api.post("/api/join", null, Api.joinBody(code, nickname, "12-14", "KE", "en")).errorCode(), nickname);
    }

    // Account names are a-z 0-9 . _ - only.
    assertEquals("invalid_username", api.post("/api/accounts", staffToken,
        new JsonObject().put("username", "<img src=/xss-probe-a onerror=__xss('account')>").put("role", "facilitator")).errorCode());

    // ---- the child: the consent screen shows the dialogue as written -------------------------------------
    Page child = watched(phone());
    child.navigate(server.baseUrl() + "/");
    child.fill("#join-code", code);
    child.click("#join-lookup");
    assertThat(child.locator("#step-consent")).isVisible();
    assertThat(child.locator("#dialogue-title")).isVisible();
    exact(child.locator("#dialogue-title"), TITLE);
    exact(child.locator("#dialogue-description"), DESCRIPTION);
    Locator helpline = child.locator("#consent-helplines li");
    assertThat(helpline).hasCount(1);
    exact(helpline.locator("strong"), HELPLINE_NAME);
    assertEquals(HELPLINE_URL, helpline.locator("a[target=_blank]").getAttribute("href"));
    exact(helpline.locator("a[target=_blank]"), HELPLINE_URL);
    assertClean(child, "child consent screen");
    child.click("#consent-yes");
    child.selectOption("#language", "en");
    child.fill("#nickname", "Zed Fox");
    child.selectOption("#age-band", "12-14");
    child.selectOption("#country", "KE");
    child.click("#join-submit");
    assertThat(child.locator("#connection-dot")).hasAttribute("data-state", "open");
    exact(child.locator("#room-title"), TITLE);
    exact(child.locator("#prompt-text"), payload(1));

    // ---- the child writes every payload, then a disclosure -----------------------------------------------
    Locator mine = child.locator("#mine li[data-contribution-id]");
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      write(child, payload(i));
      assertThat(mine).hasCount(i); // acknowledged: stored
    }
    write(child, DISCLOSURE);
    assertThat(mine).hasCount(PAYLOADS.size() + 1);
    assertThat(child.locator("#help")).isVisible(); // the helplines, offered after a disclosure
    assertThat(child.locator("#help")).containsText(HELPLINE_NAME);
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      assertEquals(payload(i), mineText(child, tag(i)), "the child's own copy of " + tag(i));
    }

    // ---- the facilitator reads the queue, approves, edits one and rejects one with their own words --------
    Page fac = watched(desktop());
    signIn(fac, "/facilitator.html?dialogue=" + dialogueId, username, facilitator.getString("password"));
    assertThat(fac.locator("#room")).isVisible();
    exact(fac.locator("#room-title"), TITLE);
    exact(fac.locator("#prompt-text"), payload(1));
    Locator queue = fac.locator("#queue li[data-contribution-id]");
    assertThat(queue).hasCount(PAYLOADS.size() + 1);
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      exact(queueItem(fac, "#queue", tag(i)).locator("p.text"), payload(i));
    }
    assertThat(fac.locator("#alerts li")).hasCount(1); // the disclosure, left unacknowledged for the staff banner
    assertClean(fac, "facilitator queue");

    Locator edited = queueItem(fac, "#queue", tag(EDITED));
    edited.locator("[data-action=approve_edit]").click();
    edited.locator("textarea[data-field=text]").fill(EDIT);
    edited.locator("button[data-action=submit]").click();
    Locator rejected = queueItem(fac, "#queue", tag(REJECTED));
    rejected.locator("[data-action=reject]").click();
    rejected.locator("select[data-field=reason]").selectOption("other");
    rejected.locator("input[data-field=text]").fill(REASON);
    rejected.locator("button[data-action=submit]").click();
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      if (i != REJECTED && i != EDITED) {
        queueItem(fac, "#queue", tag(i)).locator("[data-action=approve]").click();
      }
    }
    assertThat(queue).hasCount(1); // only the disclosure is still waiting
    Locator feed = fac.locator("#feed li[data-contribution-id]");
    assertThat(feed).hasCount(PAYLOADS.size() - 1);
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      if (i != REJECTED && i != EDITED) {
        exact(queueItem(fac, "#feed", tag(i)).locator("p.text"), payload(i));
      }
    }
    exact(queueItem(fac, "#feed", "[e]").locator("p.text"), EDIT);
    assertClean(fac, "facilitator feed");

    // ---- the children's pages: another child reads the published ones; the author sees the reason as written
    Page reader = watched(phone());
    joinAsChild(reader, code, "Amy Owl", "en", "KE");
    Locator readerFeed = reader.locator("#feed li[data-contribution-id]");
    assertThat(readerFeed).hasCount(PAYLOADS.size() - 1);
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      if (i != REJECTED && i != EDITED) {
        exact(readerFeed.filter(new Locator.FilterOptions().setHasText(tag(i))).locator("p.text"), payload(i));
      }
    }
    exact(readerFeed.filter(new Locator.FilterOptions().setHasText("[e]")).locator("p.text"), EDIT);
    assertClean(reader, "another child's room");
    Locator rejectedMine = mine.filter(new Locator.FilterOptions().setHasText(tag(REJECTED)));
    assertThat(rejectedMine).hasAttribute("data-status", "rejected");
    exact(rejectedMine.locator("[data-testid=mine-reason]"), fill(child("en", "reason.said"), "reason", REASON));
    exact(mine.filter(new Locator.FilterOptions().setHasText("[e]")).locator("p.text"), EDIT);
    assertThat(mine.filter(new Locator.FilterOptions().setHasText("[e]"))).hasAttribute("data-status", "published");
    assertClean(child, "child room");

    // ---- staff: dialogue list, alert banner, themes typed into the page, the rule tester ------------------
    Page staff = watched(desktop());
    signIn(staff, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    assertThat(staff.locator("#staff-area")).isVisible();
    Locator row = staff.locator("#dialogues li[data-dialogue-id=\"" + dialogueId + "\"]");
    assertThat(row).containsText(TITLE);
    assertThat(staff.locator("#alerts")).containsText(TITLE);
    assertTrue(staff.locator("#rep-dialogues").textContent().contains(TITLE), "the report's dialogue picker shows the title");
    String suffix = unique("").replace("-", "");
    List<String> themes = List.of(
        "[th1" + suffix + "] <img src=/xss-probe-th onerror=__xss('theme') data-xss>",
        "[th2" + suffix + "] \"><svg onload=__xss('th2') data-xss>",
        "[th3" + suffix + "] </option></select><b data-xss>${__xss('th3')}</b>");
    for (String theme : themes) {
      staff.fill("#theme-name", theme);
      staff.click("#theme-add");
      assertThat(staff.locator("#rep-status")).hasText(fill(console("en", "rep.themeCreated"), "name", theme));
    }
    for (String theme : themes) {
      assertThat(staff.locator("#themes li").filter(new Locator.FilterOptions().setHasText(theme.substring(0, 10)))).hasCount(1);
      assertTrue(staff.locator("#themes").textContent().contains(theme), "theme list shows " + theme);
    }
    staff.fill("#tester-text", TESTER);
    staff.click("#tester-check");
    assertThat(staff.locator("#tester-result")).isVisible();
    assertTrue(staff.locator("#tester-redacted").textContent().startsWith("[rt] <img src=/xss-probe-rt onerror=__xss('tester') data-xss>"),
        staff.locator("#tester-redacted").textContent());

    // Tag every published payload with the themes and quote one with a rendering (the report's inputs).
    Map<String, Long> themeIds = new java.util.HashMap<>();
    for (Object o : Api.expect(200, api.get("/api/themes", staffToken)).getJsonArray("themes")) {
      JsonObject th = (JsonObject) o;
      if (themes.contains(th.getString("name"))) {
        themeIds.put(th.getString("name"), th.getLong("id"));
      }
    }
    assertEquals(themes.size(), themeIds.size(), "the themes typed on the staff page were stored as written");
    JsonArray published = new JsonArray();
    long quoted = -1;
    for (Object o : Api.expect(200, api.get("/api/report/contributions?dialogues=" + dialogueId, staffToken)).getJsonArray("contributions")) {
      JsonObject c = (JsonObject) o;
      published.add(c.getLong("id"));
      if (c.getString("text").startsWith(tag(1))) {
        quoted = c.getLong("id");
      }
    }
    assertEquals(PAYLOADS.size() - 1, published.size());
    for (String theme : themes) {
      Api.expect(200, api.post("/api/themes/" + themeIds.get(theme) + "/contributions", staffToken,
          new JsonObject().put("contributionIds", published).put("action", "add")));
    }
    Api.expect(200, api.call(io.vertx.core.http.HttpMethod.PUT, "/api/contributions/" + quoted + "/quote", staffToken,
        new JsonObject().put("rendering", RENDERING).put("renderingLanguage", "en")));

    staff.locator("#rep-dialogues input[value=\"" + dialogueId + "\"]").check();
    Locator browse = staff.locator("#browse li[data-contribution-id]");
    assertThat(browse).hasCount(PAYLOADS.size() - 1);
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      if (i != REJECTED && i != EDITED) {
        assertTrue(staff.locator("#browse").textContent().contains(payload(i)), "staff browse list: " + tag(i));
      }
    }
    assertThat(staff.locator("#browse [data-testid=rendering]")).hasCount(1);
    exact(staff.locator("#browse [data-testid=rendering]"), RENDERING);
    for (String theme : themes) {
      assertTrue(staff.locator("#bulk-theme").textContent().contains(theme), "theme picker: " + theme);
    }
    assertClean(staff, "staff page");

    // ---- the printable report -----------------------------------------------------------------------------
    Page report = staff.waitForPopup(() -> staff.click("#rep-open"));
    watchPopup(report);
    assertThat(report.locator("#report")).isVisible();
    exact(report.locator("#report-title"), TITLE);
    String reportText = report.locator("#report").textContent();
    for (int i = 1; i <= PAYLOADS.size(); i++) {
      assertTrue(reportText.contains(payload(i)), "report prompt " + tag(i));
    }
    for (String theme : themes) {
      assertTrue(reportText.contains(theme), "report theme " + theme);
    }
    Locator quote = report.locator("figure.quote[data-contribution-id=\"" + quoted + "\"]").first();
    exact(quote.locator("[data-testid=quote-text]"), payload(1));
    exact(quote.locator("[data-testid=quote-rendering]"), RENDERING);
    // The server's SVG charts carry the prompts as labels: escaped, so each chart is well-formed and the payloads are text in it.
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> charts = (List<Map<String, Object>>) report.evaluate(CHARTS);
    assertEquals(5, charts.size(), "charts drawn");
    for (Map<String, Object> chart : charts) {
      assertEquals(false, chart.get("broken"), "chart " + chart.get("chart") + " is well-formed SVG");
      assertEquals(0, ((Number) chart.get("injected")).intValue(), "chart " + chart.get("chart") + " has no injected element");
    }
    String promptChart = charts.stream().filter(c -> "prompts".equals(c.get("chart"))).findFirst().orElseThrow().get("text").toString();
    for (String start : List.of("[x01] <img src=/xss-probe-1", "[x02] <script data-xss>", "[x03] \"><svg onload=", "[x12] <math><mtext><table>")) {
      assertTrue(promptChart.contains(start), "prompt chart shows " + start + " as text: " + promptChart);
    }
    assertClean(report, "report");

    for (Page page : pages) {
      assertClean(page, page.url());
    }
    assertEquals(List.of(), probes, "no payload made the browser fetch anything");
  }

  /** Waits for the text (whitespace-normalised), then requires it exactly, character for character. */
  private static void exact(Locator locator, String expected) {
    assertThat(locator).hasText(expected);
    assertEquals(expected, locator.textContent());
  }

  /** The child's own copy of a contribution: the text of the item tagged {@code tag}. */
  private static String mineText(Page child, String tag) {
    return child.locator("#mine li[data-contribution-id]").filter(new Locator.FilterOptions().setHasText(tag)).locator("p.text").textContent();
  }

  private static Locator queueItem(Page page, String list, String tag) {
    Locator item = page.locator(list + " li[data-contribution-id]").filter(new Locator.FilterOptions().setHasText(tag));
    assertThat(item).hasCount(1);
    return item;
  }

  /** Nothing ran and nothing became markup on this page (so far). */
  private void assertClean(Page page, String where) {
    @SuppressWarnings("unchecked")
    Map<String, Object> state = (Map<String, Object>) page.evaluate(INJECTED);
    assertEquals(List.of(), state.get("fired"), where + ": a payload ran");
    assertEquals(List.of(), state.get("injected"), where + ": a payload became markup");
    assertEquals(List.of(), state.get("javascriptLinks"), where + ": a script link");
    assertEquals(true, state.get("bodyShown"), where + ": an injected style hid the page");
    assertEquals(List.of(), probes, where + ": a payload made the browser fetch a probe URL");
    assertEquals(List.of(), problems, where + ": script errors, CSP reports or dialogs");
  }
}
