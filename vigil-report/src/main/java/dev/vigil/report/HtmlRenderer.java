package dev.vigil.report;

import java.util.Base64;
import java.util.List;

/**
 * A report as one self-contained HTML file: inline CSS, each chart a PNG in a data URI inside a
 * {@code <figure>} with its caption, no script and no outside resource, so it can be mailed or
 * archived and opens the same offline.
 */
final class HtmlRenderer {
  private static final String CSS =
      "body{font-family:DejaVu Sans,Liberation Sans,Arial,sans-serif;max-width:1040px;margin:2em"
          + " auto;color:#222;padding:0 1em}h1{margin-bottom:.2em}.range{color:#666}"
          + " .tiles{display:flex;flex-wrap:wrap;gap:12px}.tile{border:1px solid #ddd;"
          + "border-radius:6px;padding:10px 14px;min-width:140px}.tile .v{font-size:1.5em;"
          + "font-weight:bold}.tile .t{color:#666;font-size:.9em}table{border-collapse:collapse;"
          + "margin:.5em 0}th,td{border:1px solid #ddd;padding:4px 10px;text-align:left}"
          + " td.n{text-align:right}figure{margin:1em 0}figure img{width:960px;max-width:100%;height:auto;"
          + "border:1px solid #eee}figcaption{color:#444;font-style:italic}";

  private HtmlRenderer() {}

  static String render(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(esc(r.title()))
        .append("</title><style>")
        .append(CSS)
        .append("</style></head><body>\n<h1>")
        .append(esc(r.title()))
        .append("</h1>\n<p class=\"range\">")
        .append(esc(MarkdownRenderer.range(r)))
        .append("</p>\n");
    for (Report.Part p : r.parts()) {
      sb.append("<section><h2>").append(esc(p.title())).append("</h2>\n");
      if (p.text() != null) {
        for (String para : p.text().strip().split("\n\\s*\n")) {
          sb.append("<p>").append(esc(para)).append("</p>\n");
        }
      }
      if (!p.tiles().isEmpty()) {
        sb.append("<div class=\"tiles\">");
        for (Report.Tile t : p.tiles()) {
          sb.append("<div class=\"tile\"><div class=\"v\">")
              .append(esc(t.formatted()))
              .append("</div><div class=\"t\">")
              .append(esc(t.title()))
              .append("</div></div>");
        }
        sb.append("</div>\n");
      }
      if (p.table() != null) {
        table(
            sb,
            p.table().header(),
            p.table().rows(),
            p.table().header().size()
                - p.table().values().stream().findFirst().map(List::size).orElse(0));
      }
      if (p.chart() != null) {
        Report.ChartData c = p.chart();
        String caption = "Figure " + c.figure() + ": " + c.caption();
        sb.append("<figure class=\"chart\"><img alt=\"")
            .append(esc(caption))
            .append("\" width=\"")
            .append(Charts.WIDTH)
            .append("\" height=\"")
            .append(Charts.HEIGHT)
            .append("\" src=\"data:image/png;base64,")
            .append(Base64.getEncoder().encodeToString(Charts.png(c)))
            .append("\"><figcaption>")
            .append(esc(caption));
        if (c.dropped() > 0) {
          sb.append(" (").append(c.dropped()).append(" more series not shown)");
        }
        sb.append("</figcaption></figure>\n");
      }
      sb.append("</section>\n");
    }
    sb.append("</body></html>\n");
    return sb.toString();
  }

  private static void table(
      StringBuilder sb, List<String> header, List<List<String>> rows, int labelColumns) {
    if (rows.isEmpty()) {
      sb.append("<p>No data in this range.</p>\n");
      return;
    }
    sb.append("<table><thead><tr>");
    header.forEach(h -> sb.append("<th>").append(esc(h)).append("</th>"));
    sb.append("</tr></thead><tbody>");
    for (List<String> row : rows) {
      sb.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        sb.append(i < labelColumns ? "<td>" : "<td class=\"n\">")
            .append(esc(row.get(i)))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>\n");
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(ch);
      }
    }
    return sb.toString();
  }
}
