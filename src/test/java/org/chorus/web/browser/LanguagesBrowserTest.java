package org.chorus.web.browser;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interface in every language: right-to-left Arabic, switching and remembering, 360 px phones. */
class LanguagesBrowserTest extends BrowserTest {
  static final List<String> CHILD_LANGUAGES = List.of("en", "fr", "es", "ar", "ru", "zh", "pt", "sw");
  static final List<String> CONSOLE_LANGUAGES = List.of("en", "fr", "es", "ar", "ru", "zh");

  @Test
  void theArabicInterfaceIsRightToLeftFromTheFirstStepToTheRoom() {
    Room room = room("post", List.of("ar", "en"), "ما الذي يجعلك تشعر بالأمان؟");
    Page page = phone();
    page.navigate(server.baseUrl() + "/");
    assertThat(page.locator("html")).hasAttribute("dir", "ltr");
    page.selectOption("#ui-language", "ar");
    assertThat(page.locator("html")).hasAttribute("dir", "rtl");
    assertThat(page.locator("html")).hasAttribute("lang", "ar");
    assertThat(page.locator("#code-heading")).hasText(child("ar", "code.heading"));
    assertEquals("rtl", page.evaluate("() => getComputedStyle(document.body).direction"));
    // The layout mirrors: the brand, first in the top bar, sits on the right.
    double brandX = page.locator(".brand").boundingBox().x;
    double pickerX = page.locator("#ui-language").boundingBox().x;
    assertTrue(brandX > pickerX, "the first item of the bar is on the right (" + brandX + " > " + pickerX + ")");
    // The join code itself stays left-to-right.
    assertThat(page.locator("#join-code")).hasAttribute("dir", "ltr");

    page.fill("#join-code", room.code());
    page.click("#join-lookup");
    assertThat(page.locator("#consent-heading")).hasText(child("ar", "consent.heading"));
    page.click("#consent-yes");
    assertThat(page.locator("#language")).hasValue("ar");
    page.fill("#nickname", "نور");
    page.selectOption("#age-band", "9-11");
    page.selectOption("#country", "EG");
    page.click("#join-submit");
    assertThat(page.locator("#connection-status")).hasText(child("ar", "conn.open"));
    assertThat(page.locator("html")).hasAttribute("dir", "rtl");
    write(page, "أشعر بالأمان عندما يستمع إليّ الكبار");
    assertThat(page.locator("#mine li[data-contribution-id] .text")).hasText("أشعر بالأمان عندما يستمع إليّ الكبار");
    assertThat(page.locator("#mine li[data-contribution-id] [data-testid=mine-status]")).hasText(child("ar", "status.published"));
    assertNoSidewaysScroll(page);

    // Remembered for the tab: a reload stays in Arabic, right-to-left, in the room.
    page.reload();
    assertThat(page.locator("html")).hasAttribute("dir", "rtl");
    assertThat(page.locator("#step-room")).isVisible();
    assertThat(page.locator("#room-title")).not().isEmpty();
  }

  @Test
  void theConsolePagesSwitchLanguageAndTurnRightToLeftInArabic() {
    Room room = room("pre", List.of("en"), "Anything?");
    Page fac = desktop();
    fac.navigate(server.baseUrl() + "/facilitator.html");
    for (String language : CONSOLE_LANGUAGES) {
      fac.selectOption("#ui-language", language);
      assertThat(fac.locator("html")).hasAttribute("lang", language);
      assertThat(fac.locator("#login-heading")).hasText(console(language, "signin.heading"));
      assertThat(fac.locator("html")).hasAttribute("dir", "ar".equals(language) ? "rtl" : "ltr");
    }
    fac.selectOption("#ui-language", "ar");
    fac.fill("#username", room.facilitator());
    fac.fill("#password", room.password());
    fac.click("#login-submit");
    fac.locator("button[data-action=moderate]").first().click();
    assertThat(fac.locator("#alerts-heading")).hasText(console("ar", "alerts.heading"));
    assertThat(fac.locator("#next-prompt")).hasText(console("ar", "fac.nextPrompt"));
    assertThat(fac.locator("html")).hasAttribute("dir", "rtl");

    Page staff = desktop();
    staff.navigate(server.baseUrl() + "/staff.html");
    staff.selectOption("#ui-language", "zh");
    staff.fill("#username", org.chorus.support.TestServer.STAFF_USER);
    staff.fill("#password", org.chorus.support.TestServer.STAFF_PASSWORD);
    staff.click("#login-submit");
    assertThat(staff.locator("#dialogues-heading")).hasText(console("zh", "staff.dialogues"));
    assertThat(staff.locator("#dlg-save")).hasText(console("zh", "staff.form.create"));
  }

  @Test
  void theChildPageFitsA360PixelPhoneInEveryLanguage() {
    Room room = room("post", List.of("en"), "What would make your school better for everyone who learns there?");
    for (String language : CHILD_LANGUAGES) {
      Page page = phone();
      page.navigate(server.baseUrl() + "/");
      page.selectOption("#ui-language", language);
      assertThat(page.locator("#code-heading")).hasText(child(language, "code.heading"));
      assertNoSidewaysScroll(page);
      page.fill("#join-code", room.code());
      page.click("#join-lookup");
      assertThat(page.locator("#step-consent")).isVisible();
      assertNoSidewaysScroll(page);
      page.click("#consent-yes");
      assertThat(page.locator("#step-join")).isVisible();
      assertThat(page.locator("#language")).hasValue(language);
      assertNoSidewaysScroll(page);
      page.selectOption("#age-band", "15-17");
      page.selectOption("#country", "KE");
      page.click("#join-submit");
      assertThat(page.locator("#connection-status")).hasText(child(language, "conn.open"));
      // A long word without spaces must wrap, not widen the page.
      write(page, "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherung is a long word");
      assertThat(page.locator("#mine li[data-contribution-id]")).hasCount(1);
      assertNoSidewaysScroll(page);
      page.context().close();
    }
  }

  @Test
  void aBrowserInFrenchGetsTheFrenchPageFirst() {
    Page page = page(360, 740, "fr-FR");
    page.navigate(server.baseUrl() + "/");
    assertThat(page.locator("html")).hasAttribute("lang", "fr");
    assertThat(page.locator("#code-heading")).hasText(child("fr", "code.heading"));
    assertThat(page.locator("#ui-language")).hasValue("fr");
  }
}
