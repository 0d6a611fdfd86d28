package org.chorus.web.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.vertx.core.json.JsonObject;
import org.chorus.support.Api;
import org.chorus.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Base of the browser tests: one headless Chromium (Debian's /usr/bin/chromium, nothing downloaded) for the
 * whole test JVM, a fresh browser context per simulated person, and after each test a check that no page
 * had a script error, a CSP violation, a failed request or a browser dialog (an injected alert() would be one).
 */
abstract class BrowserTest {
  /** Generous but bounded: the CI box has two shared cores. */
  static final double WAIT_MS = 20_000;
  private static final AtomicInteger UNIQUE = new AtomicInteger();
  private static final Map<String, JsonObject> CATALOGUES = new ConcurrentHashMap<>();
  private static Playwright playwright;
  private static Browser browser;

  static TestServer server;
  final List<String> problems = new ArrayList<>();
  final List<Pattern> tolerated = new ArrayList<>();
  private final List<BrowserContext> contexts = new ArrayList<>();

  @BeforeAll
  static void startBrowserAndServer() {
    server = TestServer.shared();
    browser();
  }

  static synchronized Browser browser() {
    if (browser == null) {
      playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
      browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true));
      PlaywrightAssertions.setDefaultAssertionTimeout(WAIT_MS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> playwright.close()));
    }
    return browser;
  }

  /** Console errors matching this are expected in the current test (e.g. a server that is down on purpose). */
  void tolerate(String regex) {
    tolerated.add(Pattern.compile(regex));
  }

  Page page(int width, int height, String locale) {
    Browser.NewContextOptions options = new Browser.NewContextOptions().setViewportSize(width, height);
    if (locale != null) {
      options.setLocale(locale);
    }
    BrowserContext context = browser().newContext(options);
    context.setDefaultTimeout(WAIT_MS);
    contexts.add(context);
    Page page = context.newPage();
    watch(page);
    return page;
  }

  /**
   * Script errors, CSP reports, failed requests and dialogs of this page fail the test; for pages a test did not
   * open with {@link #page} itself (a popup such as the report's tab).
   */
  void watch(Page page) {
    page.onConsoleMessage(m -> {
      if ("error".equals(m.type()) && tolerated.stream().noneMatch(p -> p.matcher(m.text()).find())) {
        problems.add(m.text());
      }
    });
    page.onPageError(problems::add);
    page.onDialog(d -> {
      problems.add("browser dialog: " + d.message());
      d.dismiss();
    });
  }

  /** A phone: 360 px wide. */
  Page phone() {
    return page(360, 740, "en-US");
  }

  Page desktop() {
    return page(1280, 900, "en-US");
  }

  @AfterEach
  void closeContextsAndCheckPages() {
    for (BrowserContext context : contexts) {
      try {
        context.close();
      } catch (RuntimeException alreadyClosed) {
        // a test may close a context itself
      }
    }
    contexts.clear();
    assertEquals(List.of(), problems, "no script errors, CSP violations, failed requests or dialogs in the pages");
  }

  static String unique(String prefix) {
    return prefix + "-" + UNIQUE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 1_000_000, 36);
  }

  /** A message from a catalogue in webroot/i18n (so the tests follow wording changes). */
  static String text(String bundle, String language, String key) {
    JsonObject catalogue = CATALOGUES.computeIfAbsent(bundle + "." + language, name -> {
      try {
        return new JsonObject(Files.readString(Path.of("webroot", "i18n", name + ".json")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    String value = catalogue.getString(key);
    if (value == null) {
      throw new AssertionError("no key " + key + " in " + bundle + "." + language);
    }
    return value;
  }

  static String child(String language, String key) {
    return text("child", language, key);
  }

  static String console(String language, String key) {
    return text("console", language, key);
  }

  /** A catalogue message with its {placeholders} filled (no plurals). */
  static String fill(String message, String... pairs) {
    String out = message;
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      out = out.replace("{" + pairs[i] + "}", pairs[i + 1]);
    }
    return out;
  }

  // ---- the server side of a scenario -----------------------------------------------------------------

  record Room(String id, String code, String facilitator, String password) {}

  /** An open dialogue with an assigned facilitator. */
  static Room room(String mode, List<String> languages, String... prompts) {
    return room(unique("Room"), "test dialogue", mode, languages, prompts);
  }

  static Room room(String title, String description, String mode, List<String> languages, String... prompts) {
    Api api = server.api();
    String staff = api.staffToken();
    JsonObject body = Api.dialogueBody(title, mode, 100, prompts).put("description", description)
        .put("languages", new io.vertx.core.json.JsonArray(languages));
    JsonObject d = api.openDialogue(staff, body);
    String username = unique("fac");
    JsonObject facilitator = api.createFacilitator(staff, username);
    api.assign(staff, d.getString("id"), facilitator.getString("id"));
    return new Room(d.getString("id"), d.getString("joinCode"), username, facilitator.getString("password"));
  }

  // ---- what people do in the pages ---------------------------------------------------------------------

  /**
   * A child joins through the real pages: code, consent, then language (switching the page to it), nickname,
   * age band and country; returns once the room is connected.
   */
  static void joinAsChild(Page page, String code, String nickname, String language, String country) {
    page.navigate(server.baseUrl() + "/");
    page.fill("#join-code", code.toLowerCase());
    page.click("#join-lookup");
    assertThat(page.locator("#step-consent")).isVisible();
    page.click("#consent-yes");
    assertThat(page.locator("#step-join")).isVisible();
    page.selectOption("#language", language);
    assertThat(page.locator("html")).hasAttribute("lang", language);
    page.fill("#nickname", nickname);
    page.selectOption("#age-band", "12-14");
    page.selectOption("#country", country);
    page.click("#join-submit");
    assertThat(page.locator("#step-room")).isVisible();
    assertThat(page.locator("#connection-dot")).hasAttribute("data-state", "open");
    assertThat(page.locator("#my-nickname")).hasText(nickname);
  }

  static void write(Page child, String text) {
    child.fill("#contribution-text", text);
    child.click("#send");
  }

  /** The sign-in form of the facilitator and staff pages. */
  static void signIn(Page page, String path, String username, String password) {
    page.navigate(server.baseUrl() + path);
    page.fill("#username", username);
    page.fill("#password", password);
    page.click("#login-submit");
  }

  /** A facilitator signed in and inside the room's live console. */
  Page facilitatorConsole(Room room) {
    Page fac = desktop();
    signIn(fac, "/facilitator.html?dialogue=" + room.id(), room.facilitator(), room.password());
    assertThat(fac.locator("#room")).isVisible();
    assertThat(fac.locator("#connection-status")).hasText(console("en", "conn.open"));
    return fac;
  }

  /** The page is usable at its width: nothing sticks out sideways. */
  static void assertNoSidewaysScroll(Page page) {
    Object overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertEquals(0, ((Number) overflow).intValue(), "no horizontal scrolling at " + page.viewportSize().width + " px on " + page.url());
  }
}
