package dev.vigil.notify.builtin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a Slack incoming webhook with one attachment, as Alertmanager's Slack integration
 * sends it: {@code channel}, {@code username}, {@code icon_emoji}/{@code icon_url} and {@code
 * attachments[]} with {@code title}, {@code title_link}, {@code pretext}, {@code text}, {@code
 * fallback}, {@code color}, {@code footer}, {@code mrkdwn_in}; empty fields but {@code text} are
 * left out. Texts are Go templates; absent ones default to Alertmanager's {@code slack.default.*}
 * templates.
 */
final class SlackMessage {
  private SlackMessage() {}

  static Map<String, Object> of(NotifyConfig.Slack s, NotificationData d, NotifyTemplates t) {
    Map<String, Object> att = new LinkedHashMap<>();
    put(att, "title", t.render(s.title(), "{{ template \"slack.default.title\" . }}", d));
    put(
        att,
        "title_link",
        t.render(s.titleLink(), "{{ template \"slack.default.titlelink\" . }}", d));
    put(att, "pretext", t.render(s.pretext(), "{{ template \"slack.default.pretext\" . }}", d));
    // Alertmanager always sends text, empty or not (its default is empty).
    att.put("text", t.render(s.text(), "{{ template \"slack.default.text\" . }}", d));
    put(att, "fallback", t.render(s.fallback(), "{{ template \"slack.default.fallback\" . }}", d));
    put(
        att,
        "color",
        t.render(s.color(), "{{ if eq .Status \"firing\" }}danger{{ else }}good{{ end }}", d));
    put(att, "footer", t.render(s.footer(), "{{ template \"slack.default.footer\" . }}", d));
    att.put("mrkdwn_in", List.of("fallback", "pretext", "text"));
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "channel", t.render(s.channel(), "", d));
    put(m, "username", t.render(s.username(), "{{ template \"slack.default.username\" . }}", d));
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
