package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** "Remove what I wrote" in a real browser: the child confirms in its language, and the words leave the other child's and the facilitator's screens. */
class WithdrawBrowserTest extends BrowserTest {
  @Test
  void aChildRemovesWhatItWroteAndItDisappearsFromEveryScreen() {
    Room room = room("post", List.of("fr", "en"), "Qu’est-ce qui rend une école agréable ?");
    Page ines = phone();
    joinAsChild(ines, room.code(), "Ines", "fr", "FR");
    Page theo = phone();
    joinAsChild(theo, room.code(), "Theo", "en", "GB");
    Page fac = facilitatorConsole(room);

    String words = "Des bancs dans la cour " + unique("w");
    write(ines, words);
    assertThat(theo.locator("#feed li[data-contribution-id] .text")).hasText(words);
    assertThat(fac.locator("#feed li[data-contribution-id] .text")).hasText(words);

    // Asked first, in the child's language; "keep" changes nothing.
    ines.click("#withdraw");
    assertThat(ines.locator("#confirm-withdraw")).isVisible();
    assertThat(ines.locator("#confirm-withdraw-text")).hasText(child("fr", "room.withdrawQuestion"));
    ines.click("#withdraw-cancel");
    assertThat(ines.locator("#confirm-withdraw")).isHidden();
    assertThat(ines.locator("#mine li[data-contribution-id]")).hasCount(1);

    ines.click("#withdraw");
    ines.click("#withdraw-confirm");
    assertThat(ines.locator("#step-code")).isVisible();
    assertThat(ines.locator("#message")).hasText(child("fr", "room.withdrawn"));
    Locator theosFeed = theo.locator("#feed li[data-contribution-id]");
    assertThat(theosFeed).hasCount(0);
    assertThat(fac.locator("#feed li[data-contribution-id]")).hasCount(0);
  }
}
