package dev.vigil.notify.builtin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The built-in notification texts, as Alertmanager's default templates ({@code __subject}, {@code
 * __text_alert_list}) render them, for the log and the mail bodies; receivers' texts use the
 * templates of {@code default.tmpl} (see {@link NotifyTemplates}).
 */
final class DefaultTexts {
  private DefaultTexts() {}

  /** {@code [FIRING:2] <group label values> (<other common label values>)}. */
  static String subject(NotificationData d) {
    StringBuilder b = new StringBuilder("[").append(d.status().toUpperCase(Locale.ROOT));
    if (d.status().equals("firing")) {
      b.append(':').append(d.firing().size());
    }
    b.append("] ").append(String.join(" ", sortedValues(d.groupLabels()))).append(' ');
    SortedMap<String, String> common = d.commonLabels();
    if (common.size() > d.groupLabels().size()) {
      TreeMap<String, String> rest = new TreeMap<>(common);
      rest.keySet().removeAll(d.groupLabels().keySet());
      b.append('(').append(String.join(" ", sortedValues(rest))).append(')');
    }
    return b.toString();
  }

  /** Values in Alertmanager's SortedPairs order: alertname first, then by name. */
  static List<String> sortedValues(SortedMap<String, String> m) {
    List<String> out = new ArrayList<>();
    if (m.containsKey("alertname")) {
      out.add(m.get("alertname"));
    }
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (!e.getKey().equals("alertname")) {
        out.add(e.getValue());
      }
    }
    return out;
  }

  static String alertmanagerURL(NotificationData d) {
    return d.externalURL()
        + "/#/alerts?receiver="
        + URLEncoder.encode(d.receiver(), StandardCharsets.UTF_8);
  }

  /** Alertmanager's {@code __text_alert_list} for some alerts. */
  static String alertList(List<Alert> alerts) {
    StringBuilder b = new StringBuilder();
    for (Alert a : alerts) {
      b.append("Labels:\n");
      pairs(b, a.labels());
      b.append("Annotations:\n");
      pairs(b, a.annotations());
      b.append("Source: ").append(a.generatorURL() == null ? "" : a.generatorURL()).append('\n');
    }
    return b.toString();
  }

  private static void pairs(StringBuilder b, SortedMap<String, String> m) {
    if (m.containsKey("alertname")) {
      b.append(" - alertname = ").append(m.get("alertname")).append('\n');
    }
    for (Map.Entry<String, String> e : m.entrySet()) {
      if (!e.getKey().equals("alertname")) {
        b.append(" - ").append(e.getKey()).append(" = ").append(e.getValue()).append('\n');
      }
    }
  }

  /** The plain-text mail body: subject line, then the firing and resolved alert lists. */
  static String emailText(NotificationData d) {
    StringBuilder b = new StringBuilder(subject(d)).append("\n\n");
    if (!d.firing().isEmpty()) {
      b.append("Alerts Firing:\n").append(alertList(d.firing()));
    }
    if (!d.resolved().isEmpty()) {
      b.append("\nAlerts Resolved:\n").append(alertList(d.resolved()));
    }
    return b.append("\nView in ").append(alertmanagerURL(d)).append('\n').toString();
  }

  /** The HTML mail body: the same content, escaped, as a simple table per alert. */
  static String emailHtml(NotificationData d) {
    StringBuilder b =
        new StringBuilder("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">");
    b.append("<h2>").append(esc(subject(d))).append("</h2>");
    section(b, "Firing", d.firing());
    section(b, "Resolved", d.resolved());
    b.append("<p><a href=\"")
        .append(esc(alertmanagerURL(d)))
        .append("\">View in Vigil</a></p></body></html>");
    return b.toString();
  }

  private static void section(StringBuilder b, String title, List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    b.append("<h3>").append(alerts.size()).append(' ').append(title).append("</h3>");
    for (Alert a : alerts) {
      b.append(
          "<table border=\"1\" cellpadding=\"4\" style=\"border-collapse:collapse;margin-bottom:8px\">");
      b.append("<tr><th colspan=\"2\" align=\"left\">Labels</th></tr>");
      a.labels()
          .forEach(
              (k, v) ->
                  b.append("<tr><td>")
                      .append(esc(k))
                      .append("</td><td>")
                      .append(esc(v))
                      .append("</td></tr>"));
      if (!a.annotations().isEmpty()) {
        b.append("<tr><th colspan=\"2\" align=\"left\">Annotations</th></tr>");
        a.annotations()
            .forEach(
                (k, v) ->
                    b.append("<tr><td>")
                        .append(esc(k))
                        .append("</td><td>")
                        .append(esc(v))
                        .append("</td></tr>"));
      }
      if (a.generatorURL() != null && !a.generatorURL().isEmpty()) {
        b.append("<tr><td colspan=\"2\"><a href=\"")
            .append(esc(a.generatorURL()))
            .append("\">Source</a></td></tr>");
      }
      b.append("</table>");
    }
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
