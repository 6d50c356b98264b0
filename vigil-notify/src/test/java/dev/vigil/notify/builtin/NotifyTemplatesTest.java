package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotifyTemplatesTest {
  @TempDir Path dir;

  static final String BASE =
      """
      route: {receiver: r}
      templates: ['tmpl/*.tmpl']
      receivers:
        - name: r
          slack_configs:
            - api_url: http://127.0.0.1:1/x
              title: TITLE
      """;

  private NotifyConfig parse(String yaml) throws Exception {
    Path f = dir.resolve("vigil.yml");
    Files.writeString(f, yaml);
    return NotifyConfig.parse(f.toString(), yaml);
  }

  @Test
  void templateFile_parseError_isRefusedAtLoad_withFileAndLine() throws Exception {
    Files.createDirectories(dir.resolve("tmpl"));
    Files.writeString(
        dir.resolve("tmpl/bad.tmpl"), "{{ define \"a\" }}ok{{ end }}\n{{ define \"b\" }}{{ .X ");
    assertThatThrownBy(() -> parse(BASE))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("templates:")
        .hasMessageContaining("template: " + dir.resolve("tmpl/bad.tmpl") + ":2:");
  }

  @Test
  void receiverText_withUndefinedFunction_isRefusedAtLoad_namingTheKey() {
    assertThatThrownBy(() -> parse(BASE.replace("TITLE", "'{{ .Status | humanize }}'")))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("receivers[0].slack_configs[0].title")
        .hasMessageContaining("function \"humanize\" not defined");
    String mail =
        """
        route: {receiver: m}
        receivers:
          - name: m
            email_configs:
              - {to: a@b, from: c@d, smarthost: 'h:25', headers: {Subject: '{{ .Status '}}
        """;
    assertThatThrownBy(() -> parse(mail))
        .isInstanceOf(NotifyConfigException.class)
        .hasMessageContaining("headers.Subject")
        .hasMessageContaining("template: :1:");
  }

  @Test
  void defineFromFile_rendersWithAlertmanagersDataModel_andOverridesDefaults() throws Exception {
    Files.createDirectories(dir.resolve("tmpl"));
    Files.writeString(
        dir.resolve("tmpl/my.tmpl"),
        """
        {{ define "my.title" }}{{ .Receiver }} {{ .Status }} {{ range .Alerts }}{{ .Labels.alertname }}@{{ .StartsAt }}/{{ .EndsAt }} {{ end }}{{ end }}
        {{ define "__alertmanager" }}Ops{{ end }}
        """);
    NotifyConfig c = parse(BASE.replace("TITLE", "'{{ template \"my.title\" . }}'"));
    Instant t = Instant.parse("2026-01-02T03:04:05.5Z");
    Alert a =
        new Alert(
            new TreeMap<>(Map.of("alertname", "Up")),
            new TreeMap<>(),
            t,
            t.plusSeconds(60),
            "",
            t,
            false);
    NotificationData d =
        new NotificationData("r.x", "{}", new TreeMap<>(), List.of(a), t, "http://ext");
    Map<String, Object> msg =
        SlackMessage.of(c.receivers.get("r").slacks().get(0), d, c.notifyTemplates);
    @SuppressWarnings("unchecked")
    Map<String, Object> att = ((List<Map<String, Object>>) msg.get("attachments")).get(0);
    assertThat(att.get("title"))
        .isEqualTo(
            "r\\.x firing Up@2026-01-02 03:04:05.5 +0000 UTC/0001-01-01 00:00:00 +0000 UTC ");
    assertThat(msg.get("username")).isEqualTo("Ops");
  }

  @Test
  void renderError_isAFailureNamingTheTemplate_notAStackTrace() throws Exception {
    NotifyConfig c = parse(BASE.replace("TITLE", "'{{ template \"nope\" . }}'"));
    NotificationData d =
        new NotificationData("r", "{}", new TreeMap<>(), List.of(), Instant.EPOCH, "http://ext");
    assertThatThrownBy(
            () -> SlackMessage.of(c.receivers.get("r").slacks().get(0), d, c.notifyTemplates))
        .isInstanceOf(NotifyTemplates.RenderException.class)
        .hasMessage(
            "template: :1:12: executing \"\" at <{{template \"nope\" .}}>: template \"nope\" not defined");
  }

  @Test
  void renderError_inAFileDefine_namesTheFileAndLine() throws Exception {
    Files.createDirectories(dir.resolve("tmpl"));
    Files.writeString(dir.resolve("tmpl/e.tmpl"), "{{ define \"e\" }}\nok {{ .Nope }}{{ end }}\n");
    NotifyConfig c = parse(BASE.replace("TITLE", "'{{ template \"e\" . }}'"));
    NotificationData d =
        new NotificationData("r", "{}", new TreeMap<>(), List.of(), Instant.EPOCH, "http://ext");
    assertThatThrownBy(
            () -> SlackMessage.of(c.receivers.get("r").slacks().get(0), d, c.notifyTemplates))
        .hasMessage(
            "template: "
                + dir.resolve("tmpl/e.tmpl")
                + ":2:6: executing \"e\" at <.Nope>: can't evaluate field Nope in type"
                + " *template.Data");
  }
}
