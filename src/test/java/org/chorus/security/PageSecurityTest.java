package org.chorus.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages work under the Content-Security-Policy ({@code web.SecurityHeaders}): no inline script, style
 * or event handler, nothing loaded from another origin, and the scripts use no API that the policy blocks
 * or that turns text into markup.
 */
class PageSecurityTest {
  static final Path WEBROOT = Path.of("webroot");
  static final Pattern TAG = Pattern.compile("<([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=>/]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s>]+))?)*)\\s*/?>");
  static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=]+)(?:\\s*=\\s*(\"[^\"]*\"|'[^']*'|[^\\s>]+))?");
  static final Pattern SCRIPT_BODY = Pattern.compile("<script\\b[^>]*>(.*?)</script>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  static final Pattern BLOCKED_IN_SCRIPTS = Pattern.compile(
      "\\.innerHTML\\b|\\.outerHTML\\b|insertAdjacentHTML|document\\.write|\\beval\\s*\\(|new\\s+Function\\s*\\(|cssText"
          + "|setAttribute\\(\\s*['\"](style|on[a-z]+)['\"]|set(Timeout|Interval)\\(\\s*['\"`]");

  @Test
  void noPageHasInlineScriptStyleOrHandlers() throws IOException {
    List<Path> pages;
    try (Stream<Path> files = Files.list(WEBROOT)) {
      pages = files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
    assertTrue(pages.size() >= 4, "the child, facilitator, staff and report pages: " + pages);
    List<String> problems = new ArrayList<>();
    for (Path page : pages) {
      problems.addAll(problems(page.getFileName().toString(), Files.readString(page, StandardCharsets.UTF_8)));
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void noScriptUsesWhatThePolicyBlocksOrMarkupFromText() throws IOException {
    List<String> problems = new ArrayList<>();
    List<Path> scripts;
    try (Stream<Path> files = Files.walk(WEBROOT)) {
      scripts = files.filter(p -> p.toString().endsWith(".js")).sorted().toList();
    }
    assertTrue(scripts.size() >= 5, scripts.toString());
    for (Path script : scripts) {
      List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        String code = lines.get(i).replaceAll("//.*$|^\\s*\\*.*$", ""); // comments may name what is avoided
        Matcher m = BLOCKED_IN_SCRIPTS.matcher(code);
        if (m.find()) {
          problems.add(WEBROOT.relativize(script) + ":" + (i + 1) + ": " + m.group());
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  /** The scanner itself finds each kind of problem (so a clean result means something). */
  @Test
  void theScannerCatchesWhatThePolicyWouldBlock() {
    String bad = """
        <html><head><script>alert(1)</script><style>p{}</style>
        <script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn.example/x.css"></head>
        <body><p style="color:red">x</p><button onclick="go()">go</button><a href="javascript:go()">go</a>
        <iframe src="/x"></iframe></body></html>""";
    List<String> found = problems("bad.html", bad);
    assertEquals(8, found.size(), String.join("\n", found));
    assertTrue(problems("good.html", "<html><head><script type=\"module\" src=\"js/child.js\"></script></head><body><p class=\"x\">hi</p></body></html>").isEmpty());
  }

  static List<String> problems(String name, String html) {
    List<String> out = new ArrayList<>();
    Matcher body = SCRIPT_BODY.matcher(html);
    while (body.find()) {
      if (!body.group(1).isBlank()) {
        out.add(name + ": inline script");
      }
    }
    Matcher tag = TAG.matcher(html);
    while (tag.find()) {
      String element = tag.group(1).toLowerCase(Locale.ROOT);
      if (element.equals("style")) {
        out.add(name + ": <style> element");
      }
      if (List.of("iframe", "object", "embed", "frame").contains(element)) {
        out.add(name + ": <" + element + ">");
      }
      Matcher attr = ATTRIBUTE.matcher(tag.group(2));
      while (attr.find()) {
        String key = attr.group(1).toLowerCase(Locale.ROOT);
        String value = attr.group(2) == null ? "" : attr.group(2).replaceAll("^[\"']|[\"']$", "").trim();
        if (key.startsWith("on")) {
          out.add(name + ": event handler attribute " + key + " on <" + element + ">");
        } else if (key.equals("style")) {
          out.add(name + ": style attribute on <" + element + ">");
        } else if ((key.equals("src") || key.equals("href") || key.equals("action")) && !sameOrigin(value)) {
          out.add(name + ": " + key + "=\"" + value + "\" on <" + element + "> leaves this origin");
        }
      }
    }
    return out;
  }

  /** Relative paths, fragments and the empty data: icon stay on this origin; anything with a scheme or // does not. */
  static boolean sameOrigin(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return u.equals("data:,") || !(u.startsWith("//") || u.matches("^[a-z][a-z0-9+.-]*:.*"));
  }
}
