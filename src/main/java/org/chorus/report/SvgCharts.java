package org.chorus.report;

import java.util.List;
import java.util.Locale;

/**
 * Horizontal bar charts as SVG, drawn on the server (no chart library, nothing from a CDN). Labels are
 * escaped: they are theme names and countries, never HTML. Suppressed cells get no bar, only their label.
 */
public final class SvgCharts {
  static final int WIDTH = 640;
  static final int LABEL_WIDTH = 230;
  static final int ROW = 24;

  private SvgCharts() {}

  public record Bar(String label, Long value) {}

  public static String bars(String title, List<Bar> bars, String suppressedLabel) {
    long max = Math.max(1, bars.stream().filter(b -> b.value() != null).mapToLong(Bar::value).max().orElse(1));
    int height = 30 + ROW * Math.max(1, bars.size());
    StringBuilder svg = new StringBuilder()
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
        .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"")
        .append(escape(title)).append("\" font-family=\"sans-serif\" font-size=\"13\">")
        .append("<title>").append(escape(title)).append("</title>");
    int barSpace = WIDTH - LABEL_WIDTH - 70;
    for (int i = 0; i < bars.size(); i++) {
      Bar b = bars.get(i);
      int y = 20 + i * ROW;
      svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 13)
          .append("\" text-anchor=\"end\" fill=\"#1a1a1a\">").append(escape(shorten(b.label()))).append("</text>");
      if (b.value() == null) {
        svg.append("<text x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 13).append("\" fill=\"#555\" font-style=\"italic\">")
            .append(escape(suppressedLabel)).append("</text>");
        continue;
      }
      int w = (int) Math.max(2, Math.round((double) b.value() / max * barSpace));
      svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"").append(w)
          .append("\" height=\"").append(ROW - 6).append("\" fill=\"#1f5fa8\"/>")
          .append("<text x=\"").append(LABEL_WIDTH + w + 6).append("\" y=\"").append(y + 13).append("\" fill=\"#1a1a1a\">")
          .append(String.format(Locale.ROOT, "%,d", b.value())).append("</text>");
    }
    if (bars.isEmpty()) {
      svg.append("<text x=\"10\" y=\"34\" fill=\"#555\">—</text>");
    }
    return svg.append("</svg>").toString();
  }

  private static String shorten(String label) {
    return label.length() <= 34 ? label : label.substring(0, 33) + "…";
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
