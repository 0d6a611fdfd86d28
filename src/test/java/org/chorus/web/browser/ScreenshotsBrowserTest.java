package org.chorus.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.vertx.core.json.JsonObject;
import org.chorus.support.LiveClient;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pictures of the three clients in use (the child on a phone). They go to target/screenshots; to refresh the
 * ones in the documentation: {@code mvn test -Dtest=ScreenshotsBrowserTest -Dchorus.screenshots=docs/screenshots}.
 */
class ScreenshotsBrowserTest extends BrowserTest {
  static Path folder() throws IOException {
    Path dir = Path.of(System.getProperty("chorus.screenshots", "target/screenshots"));
    Files.createDirectories(dir);
    return dir;
  }

  static Path shoot(Page page, String name, boolean fullPage) throws IOException {
    Path file = folder().resolve(name);
    page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(fullPage).setAnimations(
        com.microsoft.playwright.options.ScreenshotAnimations.DISABLED));
    assertTrue(Files.size(file) > 1000, name + " was written");
    return file;
  }

  static long say(Room room, String nickname, String country, String language, String text) {
    JsonObject joined = server.api().post("/api/join", null,
        org.chorus.support.Api.joinBody(room.code(), nickname, "12-14", country, language)).body();
    try (LiveClient child = server.live()) {
      child.hello(joined.getString("token"), null);
      return child.request(new JsonObject().put("type", "contribute").put("clientId", unique("shot").replaceAll("[^A-Za-z0-9_-]", "")).put("text", text)).getLong("id");
    }
  }

  @Test
  void theThreeClientsInUse() throws IOException {
    Room room = room("Feeling safe at school", "Tell us what makes school a safe place for you, and what should change.\n"
        + "Cuéntanos qué hace de la escuela un lugar seguro para ti.", "pre", List.of("es", "fr", "ar", "en", "sw"),
        "¿Qué te hace sentir seguro en la escuela?",
        "¿Qué cambiarías en tu escuela?", "¿A quién pides ayuda?");
    long first = say(room, "Zorro Veloz", "MX", "es", "Cuando los profesores nos escuchan y no gritan.");
    say(room, "Amani", "KE", "sw", "Ninajisikia salama walimu wanaponisikiliza na marafiki zangu wakiwa karibu.");
    say(room, "Léa", "FR", "fr", "Quand il y a des adultes dans la cour pendant la récréation.");
    say(room, "Nour", "EG", "ar", "عندما يكون هناك شخص بالغ أستطيع التحدث معه.");

    // The facilitator approves one; a disclosure arrives while the console is open.
    Page fac = facilitatorConsole(room);
    Locator queue = fac.locator("#queue li[data-contribution-id]");
    assertThat(queue).hasCount(4);
    fac.locator("#queue li[data-contribution-id=\"" + first + "\"] [data-action=approve]").click();
    assertThat(queue).hasCount(3);

    Page child = phone();
    joinAsChild(child, room.code(), "Luna", "es", "ES");
    write(child, "Me siento segura cuando puedo hablar con mi profesora.");
    assertThat(child.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "pending");
    child.locator("#feed li[data-contribution-id] button[data-action=me-too]").click();
    assertThat(child.locator("#feed li[data-contribution-id] button[data-action=me-too]")).hasAttribute("aria-pressed", "true");
    say(room, "Sam", "GB", "en", "my uncle hurts me when mum is away");
    assertThat(fac.locator("#alerts-panel")).hasAttribute("data-count", "1");
    assertThat(fac.locator("#participants li[data-participant-id]")).hasCount(6);
    fac.locator("#queue li[data-language=fr] [data-action=reject]").click();
    fac.locator("#queue li[data-language=fr] select[data-field=reason]").selectOption("off_topic");
    fac.evaluate("() => window.scrollTo(0, 0)");
    shoot(fac, "facilitator-console.png", true);
    shoot(child, "child-room-es-phone.png", true);

    Page consent = phone();
    consent.navigate(server.baseUrl() + "/");
    consent.selectOption("#ui-language", "sw");
    consent.fill("#join-code", room.code());
    consent.click("#join-lookup");
    assertThat(consent.locator("#step-consent")).isVisible();
    shoot(consent, "child-consent-sw-phone.png", true);

    Page arabic = phone();
    arabic.navigate(server.baseUrl() + "/");
    arabic.selectOption("#ui-language", "ar");
    joinAsChild(arabic, room.code(), "نور", "ar", "EG");
    write(arabic, "أشعر بالأمان عندما يستمع إليّ الكبار.");
    assertThat(arabic.locator("#mine li[data-contribution-id]")).hasAttribute("data-status", "pending");
    shoot(arabic, "child-room-ar-phone.png", true);

    Page staff = desktop();
    signIn(staff, "/staff.html", TestServer.STAFF_USER, TestServer.STAFF_PASSWORD);
    Locator row = staff.locator("#dialogues li[data-dialogue-id=\"" + room.id() + "\"]");
    assertThat(row.locator("[data-count=participants] strong")).hasText("7");
    row.locator("[data-action=details]").click();
    assertThat(row.locator("[data-role=facilitators]")).containsText(room.facilitator());
    row.scrollIntoViewIfNeeded();
    shoot(staff, "staff.png", false);
  }
}
