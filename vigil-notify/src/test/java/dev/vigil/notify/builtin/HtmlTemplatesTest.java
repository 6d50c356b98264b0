package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * An email's {@code html} escapes what its actions print as Go's html/template does in text and
 * quoted attributes (Alertmanager renders it with html/template): label values in element content
 * and a URL in {@code href}; {@code safeHtml} values and pipelines ending in {@code html} are not
 * escaped twice; other receivers' texts are not escaped. Expected strings follow Go 1.19's
 * html/template (escape.go, html.go).
 */
class HtmlTemplatesTest {
  private static NotificationData data() {
    Instant t = Instant.parse("2026-01-02T03:04:05Z");
    Alert a =
        new Alert(
            new TreeMap<>(Map.of("alertname", "<x>&\"'+")),
            new TreeMap<>(),
            t,
            t.plusSeconds(600),
            "",
            t,
            false);
    return new NotificationData("r", "{}", new TreeMap<>(), List.of(a), t, "http://ext/?a=1&b=2");
  }

  @Test
  void html_escapesPrintedValues_asGosHtmlTemplate() {
    String tpl =
        "<p>{{ .CommonLabels.alertname }}</p><a href=\"{{ .ExternalURL }}\">v</a>"
            + "{{ \"<b>ok</b>\" | safeHtml }} {{ .Status | html }} {{ .CommonLabels.alertname | toUpper }}";
    assertThat(NotifyTemplates.DEFAULT.renderHtml(tpl, "", data()))
        .isEqualTo(
            "<p>&lt;x&gt;&amp;&#34;&#39;&#43;</p><a href=\"http://ext/?a=1&amp;b=2\">v</a>"
                + "<b>ok</b> firing &lt;X&gt;&amp;&#34;&#39;&#43;");
  }

  @Test
  void html_valueAlreadyEscapedByHtml_isNotEscapedTwice_andTextTemplatesStayRaw() {
    assertThat(
            NotifyTemplates.DEFAULT.renderHtml(
                "{{ .CommonLabels.alertname | html }} {{ .CommonLabels.alertname | urlquery }}",
                "",
                data()))
        // html/template keeps a final html (text/template's, which leaves '+') and escapes
        // urlquery's output ('+' for a space there: none here, so %2B stays)
        .isEqualTo("&lt;x&gt;&amp;&#34;&#39;+ %3Cx%3E%26%22%27%2B");
    assertThat(NotifyTemplates.DEFAULT.render("{{ .CommonLabels.alertname }}", "", data()))
        .isEqualTo("<x>&\"'+");
  }
}
