package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .StartsAt} and {@code .EndsAt} are Go times in notification templates, as Alertmanager's:
 * {@code .Format} with Go's reference layout, {@code .Unix}, {@code .IsZero}, and printing as Go
 * prints a time.Time. The expected strings are what Go 1.19's time.Format gives for these layouts.
 */
class TemplateTimesTest {
  @TempDir Path dir;

  private String title(String template, Instant start, Instant end, Instant now) throws Exception {
    String yaml =
        """
        route: {receiver: r}
        receivers:
          - name: r
            slack_configs:
              - api_url: http://127.0.0.1:1/x
                title: 'TITLE'
        """
            .replace("TITLE", template.replace("'", "''"));
    Path f = dir.resolve("vigil.yml");
    Files.writeString(f, yaml);
    NotifyConfig c = NotifyConfig.parse(f.toString(), yaml);
    Alert a =
        new Alert(
            new TreeMap<>(Map.of("alertname", "Up")), new TreeMap<>(), start, end, "", now, false);
    NotificationData d =
        new NotificationData("r", "{}", new TreeMap<>(), List.of(a), now, "http://ext");
    Map<String, Object> msg =
        SlackMessage.of(c.receivers.get("r").slacks().get(0), d, c.notifyTemplates);
    @SuppressWarnings("unchecked")
    Map<String, Object> att = ((List<Map<String, Object>>) msg.get("attachments")).get(0);
    return (String) att.get("title");
  }

  @Test
  void startsAt_formatsWithGosReferenceLayout_andPrintsAsGo() throws Exception {
    Instant t = Instant.parse("2026-01-02T15:04:05.25Z");
    Instant later = t.plusSeconds(3600);
    assertThat(
            title(
                "{{ range .Alerts }}{{ .StartsAt.Format \"2006-01-02\" }}|{{ .StartsAt }}{{ end }}",
                t,
                later,
                t))
        .isEqualTo("2026-01-02|2026-01-02 15:04:05.25 +0000 UTC");
    assertThat(
            title(
                "{{ range .Alerts }}{{ .StartsAt.Format \"Mon Jan _2 03:04:05.000 PM MST 06\" }}{{ end }}",
                t,
                later,
                t))
        .isEqualTo("Fri Jan  2 03:04:05.250 PM UTC 26");
    assertThat(
            title(
                "{{ range .Alerts }}{{ .StartsAt.Format \"Monday, January 2 2006 15:04:05.999999999 -07:00 Z07:00 002\" }}{{ end }}",
                t,
                later,
                t))
        .isEqualTo("Friday, January 2 2026 15:04:05.25 +00:00 Z 002");
    assertThat(
            title(
                "{{ range .Alerts }}{{ .StartsAt.Unix }} {{ .StartsAt.UTC.Format \"15h04\" }}{{ end }}",
                t,
                later,
                t))
        .isEqualTo(t.getEpochSecond() + " 15h04");
  }

  @Test
  void endsAt_ofAFiringAlert_isGosZeroTime_andOfAResolvedOne_itsEnd() throws Exception {
    Instant t = Instant.parse("2026-03-04T05:06:07Z");
    String tpl =
        "{{ range .Alerts }}{{ .Status }} {{ .EndsAt.IsZero }} {{ .EndsAt }}"
            + " {{ .EndsAt.Format \"2006-01-02T15:04:05Z07:00\" }}{{ end }}";
    assertThat(title(tpl, t, t.plusSeconds(600), t.plusSeconds(60)))
        .isEqualTo("firing true 0001-01-01 00:00:00 +0000 UTC 0001-01-01T00:00:00Z");
    assertThat(title(tpl, t, t.plusSeconds(60), t.plusSeconds(120)))
        .isEqualTo("resolved false 2026-03-04 05:07:07 +0000 UTC 2026-03-04T05:07:07Z");
  }

  @Test
  void format_layoutElements_asGo() {
    var t = Instant.parse("2009-11-10T23:00:00Z").atZone(ZoneOffset.UTC);
    assertThat(GoTime.format(t, "3:04PM")).isEqualTo("11:00PM");
    assertThat(GoTime.format(t, "Jan 2, 2006 at 3:04pm (MST)"))
        .isEqualTo("Nov 10, 2009 at 11:00pm (UTC)");
    assertThat(GoTime.format(t, "2006-01-02T15:04:05.000Z07:00"))
        .isEqualTo("2009-11-10T23:00:00.000Z");
    assertThat(GoTime.format(t, "2006-01-02 15:04:05.999 -0700"))
        .isEqualTo("2009-11-10 23:00:00 +0000");
    assertThat(GoTime.format(t, "no layout here: x")).isEqualTo("no layout here: x");
  }
}
