package dev.vigil.report;

import java.util.List;
import java.util.Locale;

/**
 * A report as Markdown: the title, its range, then each section's heading, text, tiles (a
 * two-column table), table, and for a chart its caption and a table of each series' last, lowest,
 * average and highest value (Markdown has no charts; the HTML and PDF formats draw them).
 */
final class MarkdownRenderer {
  private MarkdownRenderer() {}

  static String render(Report r) {
    StringBuilder sb = new StringBuilder();
    sb.append("# ").append(escape(r.title())).append("\n\n");
    sb.append(range(r)).append("\n");
    for (Report.Part p : r.parts()) {
      sb.append("\n## ").append(escape(p.title())).append("\n\n");
      if (p.text() != null) {
        sb.append(p.text().strip()).append("\n\n");
      }
      if (!p.tiles().isEmpty()) {
        sb.append("| Figure | Value |\n|---|---:|\n");
        for (Report.Tile t : p.tiles()) {
          sb.append("| ")
              .append(escape(t.title()))
              .append(" | ")
              .append(t.formatted())
              .append(" |\n");
        }
        sb.append('\n');
      }
      if (p.table() != null) {
        table(sb, p.table().header(), p.table().rows());
      }
      if (p.chart() != null) {
        Report.ChartData c = p.chart();
        sb.append("**Figure ")
            .append(c.figure())
            .append(": ")
            .append(escape(c.caption()))
            .append("**");
        if (!c.unit().axisLabel().isEmpty()) {
          sb.append(" (").append(c.unit().axisLabel()).append(')');
        }
        sb.append("\n\n");
        if (c.lines().isEmpty()) {
          sb.append("No data in this range.\n\n");
        } else {
          List<List<String>> rows =
              c.lines().stream()
                  .map(
                      l -> {
                        double[] s = l.stats();
                        return List.of(
                            l.name(),
                            c.unit().format(s[0]),
                            c.unit().format(s[1]),
                            c.unit().format(s[2]),
                            c.unit().format(s[3]));
                      })
                  .toList();
          table(sb, List.of("Series", "Last", "Min", "Avg", "Max"), rows);
          if (c.dropped() > 0) {
            sb.append(c.dropped()).append(" more series not shown.\n\n");
          }
        }
      }
    }
    return sb.toString();
  }

  static String range(Report r) {
    return String.format(
        Locale.ROOT, "From %s to %s (step %ds).", r.start(), r.end(), r.stepMs() / 1000);
  }

  private static void table(StringBuilder sb, List<String> header, List<List<String>> rows) {
    if (rows.isEmpty()) {
      sb.append("No data in this range.\n\n");
      return;
    }
    sb.append('|');
    header.forEach(h -> sb.append(' ').append(escape(h)).append(" |"));
    sb.append("\n|");
    header.forEach(h -> sb.append("---|"));
    sb.append('\n');
    for (List<String> row : rows) {
      sb.append('|');
      row.forEach(c -> sb.append(' ').append(escape(c.isEmpty() ? "–" : c)).append(" |"));
      sb.append('\n');
    }
    sb.append('\n');
  }

  private static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
