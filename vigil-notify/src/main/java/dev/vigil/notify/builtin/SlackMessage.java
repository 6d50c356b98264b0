package dev.vigil.notify.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a Slack incoming webhook with one attachment, as Alertmanager's Slack integration
 * sends it: {@code channel}, {@code username}, {@code icon_emoji}/{@code icon_url} and {@code
 * attachments[]} with {@code title}, {@code title_link}, {@code pretext}, {@code text}, {@code
 * fallback}, {@code color}, {@code footer}, {@code mrkdwn_in}; empty fields are left out.
 */
final class SlackMessage {
  private SlackMessage() {}

  static Map<String, Object> of(NotifyConfig.Slack s, NotificationData d) {
    String title = or(s.title(), DefaultTexts.subject(d));
    String link = or(s.titleLink(), DefaultTexts.alertmanagerURL(d));
    Map<String, Object> att = new LinkedHashMap<>();
    put(att, "title", title);
    put(att, "title_link", link);
    put(att, "pretext", or(s.pretext(), ""));
    put(att, "text", or(s.text(), DefaultTexts.slackText(d)));
    put(att, "fallback", or(s.fallback(), title + " | " + link));
    put(att, "color", or(s.color(), d.status().equals("firing") ? "danger" : "good"));
    put(att, "footer", or(s.footer(), ""));
    att.put("mrkdwn_in", List.of("fallback", "pretext", "text"));
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "channel", or(s.channel(), ""));
    put(m, "username", or(s.username(), "Vigil"));
    put(m, "icon_emoji", or(s.iconEmoji(), ""));
    put(m, "icon_url", or(s.iconUrl(), ""));
    m.put("attachments", List.of(att));
    return m;
  }

  private static String or(String v, String def) {
    return v == null ? def : v;
  }

  private static void put(Map<String, Object> m, String k, String v) {
    if (!v.isEmpty()) {
      m.put(k, v);
    }
  }
}
