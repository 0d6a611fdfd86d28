package org.chorus.web.browser;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.LoadState;
import com.microsoft.playwright.options.Sizes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The child's page stays small: under 150 KB on the wire for the first load, whatever the language. */
class FirstLoadBrowserTest extends BrowserTest {
  static final long BUDGET = 150 * 1024;

  /** Loads the child's page in a fresh browser (empty cache) and adds up what came over the network. */
  long firstLoad(String locale, String expectedLanguage, List<String> report) {
    Page page = page(360, 740, locale);
    List<Request> requests = new ArrayList<>();
    page.onRequestFinished(requests::add);
    page.navigate(server.baseUrl() + "/");
    assertThat(page.locator("html")).hasAttribute("lang", expectedLanguage);
    assertThat(page.locator("#code-heading")).isVisible();
    page.waitForLoadState(LoadState.NETWORKIDLE);
    long total = 0;
    long body = 0;
    for (Request request : requests) {
      Sizes sizes = request.sizes();
      total += sizes.responseHeadersSize + sizes.responseBodySize;
      body += sizes.responseBodySize;
      report.add(String.format("  %-28s %6d bytes (body %6d)", request.url().replace(server.baseUrl(), ""),
          sizes.responseHeadersSize + sizes.responseBodySize, sizes.responseBodySize));
    }
    report.add(0, String.format("first load of / in %s: %d requests, %d bytes transferred (%d of them bodies)",
        locale, requests.size(), total, body));
    return total;
  }

  @Test
  void theChildPageLoadsInUnder150KilobytesInEnglishAndInArabic() throws IOException {
    List<String> english = new ArrayList<>();
    long en = firstLoad("en-US", "en", english);
    List<String> arabic = new ArrayList<>();
    long ar = firstLoad("ar-EG", "ar", arabic); // two catalogues: Arabic and the English fallback
    List<String> report = new ArrayList<>(english);
    report.addAll(arabic);
    Files.createDirectories(Path.of("target"));
    Files.write(Path.of("target", "first-load.txt"), report);
    System.out.println(String.join("\n", report));
    assertTrue(en < BUDGET, "English first load " + en + " bytes");
    assertTrue(ar < BUDGET, "Arabic first load " + ar + " bytes");
  }
}
