package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonObject;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keyboard-only use, a label on every control, a visible focus ring, WCAG 2.2 AA text contrast and polite
 * announcements of live updates, checked in the real pages.
 */
class AccessibilityBrowserTest extends BrowserTest {
  /** Every visible control has an accessible name; every visible text meets AA contrast on what is behind it. */
  static final String AUDIT = """
      () => {
        const problems = [];
        const shown = (el) => {
          if (el.closest('.visually-hidden')) return false;
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
        };
        const describe = (el) => el.outerHTML.slice(0, 140);
        for (const el of document.querySelectorAll('input, select, textarea, button, a[href], [tabindex]:not([tabindex="-1"])')) {
          if (!shown(el) || el.type === 'hidden') continue;
          let name = el.getAttribute('aria-label') || '';
          if (!name && el.getAttribute('aria-labelledby')) {
            name = el.getAttribute('aria-labelledby').split(/\\s+/).map((id) => (document.getElementById(id) || {}).textContent || '').join(' ');
          }
          if (!name && el.labels && el.labels.length) name = [...el.labels].map((l) => l.textContent).join(' ');
          if (!name && el.matches('button, a')) name = el.textContent;
          if (!name) name = el.title || '';
          if (!name.trim()) problems.push('no accessible name: ' + describe(el));
        }
        const rgba = (css) => {
          const m = css.match(/rgba?\\(([^)]+)\\)/);
          if (!m) return [0, 0, 0, 0];
          const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
          return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
        };
        const over = (top, bottom) => {
          const a = top[3] + bottom[3] * (1 - top[3]);
          if (a === 0) return [0, 0, 0, 0];
          return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
        };
        const background = (el) => {
          const layers = [];
          for (let n = el; n; n = n.parentElement) layers.push(rgba(getComputedStyle(n).backgroundColor));
          let colour = [255, 255, 255, 1];
          for (const layer of layers.reverse()) colour = over(layer, colour);
          return colour;
        };
        const luminance = (c) => {
          const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
          return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
        };
        for (const el of document.querySelectorAll('body *')) {
          if (['SCRIPT', 'STYLE', 'OPTION', 'SELECT'].includes(el.tagName)) continue;
          const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
          if (!text || !shown(el) || el.closest('[disabled], :disabled')) continue;
          const s = getComputedStyle(el);
          const bg = background(el);
          const fg = over(rgba(s.color), bg);
          const l1 = luminance(fg);
          const l2 = luminance(bg);
          const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
          const size = parseFloat(s.fontSize);
          const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
          if (ratio < (large ? 3 : 4.5)) problems.push('contrast ' + ratio.toFixed(2) + ' for "' + text.slice(0, 40) + '" in ' + describe(el));
        }
        return problems;
      }
      """;

  @SuppressWarnings("unchecked")
  static void audit(Page page, String where) {
    List<String> problems = (List<String>) page.evaluate(AUDIT);
    assertEquals(List.of(), problems, where);
  }

  /** Tabs through the whole page: every stop shows a focus ring of at least 2 px. */
  static void focusIsVisibleEverywhere(Page page, String where) {
    List<String> problems = new ArrayList<>();
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }");
    String first = null;
    for (int i = 0; i < 200; i++) {
      page.keyboard().press("Tab");
      String described = (String) page.evaluate("() => { const e = document.activeElement; return e && e !== document.body ? e.outerHTML.slice(0, 100) : null; }");
      if (described == null) {
        continue;
      }
      if (described.equals(first)) {
        break;
      }
      if (first == null) {
        first = described;
      }
      Object ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
          + "return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 || (s.boxShadow && s.boxShadow !== 'none'); }");
      if (!Boolean.TRUE.equals(ring)) {
        problems.add("no visible focus: " + described);
      }
    }
    assertEquals(List.of(), problems, where);
  }

  /** Presses Tab until the element has the focus (as a keyboard user would), within a bound. */
  static void tabTo(Page page, String selector) {
    for (int i = 0; i < 80; i++) {
      if (Boolean.TRUE.equals(page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector))) {
        return;
      }
      page.keyboard().press("Tab");
    }
    throw new AssertionError("Tab never reached " + selector);
  }

  /** Another child publishes through the live protocol (a post-mode room publishes at once). */
  static void anotherChildWrites(Room room, String nickname, String text) {
    String token = server.api().join(room.code(), nickname).getString("token");
    try (LiveClient other = server.live()) {
      other.hello(token, null);
      JsonObject ack = other.request(new JsonObject().put("type", "contribute").put("clientId", unique("k").replaceAll("[^A-Za-z0-9_-]", "")).put("text", text));
      assertEquals("ack", ack.getString("type"));
    }
  }

  @Test
  void aChildCanJoinWriteReactAndStopWithTheKeyboardOnly() {
    Room room = room("post", List.of("en"), "What is your favourite game?");
    Page page = phone();
    page.navigate(server.baseUrl() + "/");
    tabTo(page, "#join-code");
    page.keyboard().type(room.code());
    page.keyboard().press("Enter");
    assertThat(page.locator("#consent-heading")).isFocused();
    tabTo(page, "#consent-yes");
    page.keyboard().press("Enter");
    assertThat(page.locator("#join-heading")).isFocused();
    tabTo(page, "#nickname");
    page.keyboard().press("Control+A");
    page.keyboard().type("Keya");
    tabTo(page, "#age-band");
    page.keyboard().type("12");
    assertThat(page.locator("#age-band")).hasValue("12-14");
    tabTo(page, "#country");
    page.keyboard().type("Kenya");
    assertThat(page.locator("#country")).hasValue("KE");
    tabTo(page, "#join-submit");
    page.keyboard().press("Enter");
    assertThat(page.locator("#connection-dot")).hasAttribute("data-state", "open");

    tabTo(page, "#contribution-text");
    page.keyboard().type("Football with my friends");
    tabTo(page, "#send");
    page.keyboard().press("Enter");
    assertThat(page.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "published");

    anotherChildWrites(room, "Juma", "Hide and seek");
    Locator meToo = page.locator("#feed li[data-contribution-id] button[data-action=me-too]");
    assertThat(meToo).hasCount(1);
    tabTo(page, "#feed button[data-action=me-too]");
    page.keyboard().press("Space");
    assertThat(meToo).hasAttribute("aria-pressed", "true");
    assertThat(meToo).hasText(fill(child("en", "feed.meToo"), "n", "1"));
    assertThat(meToo).isFocused(); // the redrawn item gives the focus back

    tabTo(page, "#leave");
    page.keyboard().press("Enter");
    assertThat(page.locator("#leave-cancel")).isFocused();
    page.keyboard().press("Escape");
    assertThat(page.locator("#confirm-leave")).isHidden();
    assertThat(page.locator("#leave")).isFocused();
    page.keyboard().press("Enter");
    tabTo(page, "#leave-confirm");
    page.keyboard().press("Enter");
    assertThat(page.locator("#step-code")).isVisible();
  }

  @Test
  void aFacilitatorModeratesWithTheKeyboardOnly() {
    Room room = room("pre", List.of("en"), "What do you like about your town?");
    Page child = phone();
    joinAsChild(child, room.code(), "Ife", "en", "NG");
    write(child, "The big market on Saturdays");
    write(child, "The river where we swim");
    write(child, "The football pitch near the school");
    Page fac = facilitatorConsole(room);
    Locator queue = fac.locator("#queue li[data-contribution-id]");
    assertThat(queue).hasCount(3);

    tabTo(fac, "#queue li[data-contribution-id] [data-action=approve]");
    fac.keyboard().press("Enter");
    assertThat(queue).hasCount(2);
    // The focus moves on to the next message instead of getting lost.
    assertThat(queue.first().locator("[data-action=approve]")).isFocused();

    tabTo(fac, "#queue li[data-contribution-id] [data-action=reject]");
    fac.keyboard().press("Enter");
    Locator reason = queue.first().locator("select[data-field=reason]");
    assertThat(reason).isFocused();
    fac.keyboard().press("Escape"); // cancel: back to the Reject button
    assertThat(queue.first().locator("[data-action=reject]")).isFocused();
    fac.keyboard().press("Enter");
    assertThat(reason).isFocused();
    tabTo(fac, "#queue button[data-action=submit]");
    fac.keyboard().press("Enter");
    assertThat(queue).hasCount(1);
    assertThat(queue.first().locator("[data-action=approve]")).isFocused();
    assertThat(child.locator("#mine li[data-status=rejected]")).hasCount(1);
    assertThat(child.locator("#mine li[data-status=published]")).hasCount(1);
  }

  @Test
  void theChildPagesHaveNamesContrastAndVisibleFocus() {
    Room room = room("post", List.of("en"), "What helps you learn?");
    Page page = phone();
    page.navigate(server.baseUrl() + "/");
    assertThat(page.locator("#code-heading")).isVisible();
    audit(page, "join code step");
    focusIsVisibleEverywhere(page, "join code step");
    page.fill("#join-code", room.code());
    page.click("#join-lookup");
    assertThat(page.locator("#step-consent")).isVisible();
    audit(page, "consent step");
    page.click("#consent-yes");
    assertThat(page.locator("#step-join")).isVisible();
    audit(page, "about-you step");
    focusIsVisibleEverywhere(page, "about-you step");
    page.selectOption("#age-band", "9-11");
    page.selectOption("#country", "NG");
    page.click("#join-submit");
    assertThat(page.locator("#connection-dot")).hasAttribute("data-state", "open");
    write(page, "Quiet time and kind teachers");
    anotherChildWrites(room, "Ola", "Drawing pictures");
    assertThat(page.locator("#feed li[data-contribution-id]")).hasCount(1);
    assertThat(page.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "published");
    audit(page, "room");
    focusIsVisibleEverywhere(page, "room");
  }

  @Test
  void theConsolePagesHaveNamesContrastAndVisibleFocus() {
    Room room = room("pre", List.of("en", "fr"), "What would you change?");
    Page child = phone();
    joinAsChild(child, room.code(), "Lea", "fr", "FR");
    write(child, "Plus de temps pour jouer dehors avec les copains");
    write(child, "my uncle hurts me when mum is away");
    Page fac = facilitatorConsole(room);
    assertThat(fac.locator("#queue li[data-contribution-id]")).hasCount(2);
    assertThat(fac.locator("#alerts-panel")).hasAttribute("data-count", "1");
    fac.locator("#queue li[data-contribution-id]").first().locator("[data-action=reject]").click();
    assertThat(fac.locator("#participants li[data-participant-id]")).hasCount(1);
    audit(fac, "facilitator console");
    focusIsVisibleEverywhere(fac, "facilitator console");

    Page staff = desktop();
    staff.navigate(server.baseUrl() + "/staff.html");
    assertThat(staff.locator("#login-heading")).isVisible();
    audit(staff, "sign-in");
    focusIsVisibleEverywhere(staff, "sign-in");
    signIn(staff, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    assertThat(staff.locator("#dialogues li[data-dialogue-id]").first()).isVisible();
    assertThat(staff.locator("#dialogues li[data-dialogue-id=\"" + room.id() + "\"] [data-count=participants] strong")).hasText("1");
    audit(staff, "staff page");
    focusIsVisibleEverywhere(staff, "staff page");
  }

  @Test
  void liveUpdatesAreAnnouncedPolitely() {
    Room room = room("post", List.of("en"), "What makes a good friend?");
    Page page = phone();
    joinAsChild(page, room.code(), "Tariq", "en", "GB");
    Locator region = page.locator("#announcer");
    assertThat(region).hasAttribute("aria-live", "polite");
    assertThat(region).hasAttribute("role", "status");
    assertThat(page.locator("#connection-status")).hasAttribute("role", "status");
    anotherChildWrites(room, "Mina", "Someone who listens");
    assertThat(region).hasText(fill(child("en", "announce.new"), "nickname", "Mina", "text", "Someone who listens"));
    // The lists themselves are not live regions: a busy room is read as one short sentence, not as every redraw.
    assertTrue(page.locator("#feed[aria-live], #mine[aria-live]").count() == 0);
  }
}
