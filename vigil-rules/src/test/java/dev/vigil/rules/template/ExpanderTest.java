package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ExpanderTest {
  private static final Labels LABELS = Labels.of("instance", "host:9090", "job", "api");

  @Test
  void expandAlert_rendersLabelsAndValueAsPrometheus() {
    Expander x = Expander.builder().build();
    assertThat(
            x.expandAlert(
                "HighLatency", "{{ $labels.job }} at {{ humanize $value }}", LABELS, 1234.5, 0))
        .isEqualTo("api at 1.234k");
    assertThat(x.expandAlert("A", "{{ .Labels.instance }} {{ .Value }}", LABELS, 0.5, 0))
        .isEqualTo("host:9090 0.5");
  }

  @Test
  void tryExpand_parseError_isWrappedAsPrometheusWrapsIt() {
    Expander.Alert a = Expander.builder().build().alert("X", LABELS, 1, 0);
    assertThatThrownBy(() -> a.tryExpand("{{ nosuch }}"))
        .isInstanceOf(TemplateException.class)
        .hasMessage(
            "error parsing template __alert_X: template: __alert_X:1: function \"nosuch\" not"
                + " defined");
    assertThat(a.expand("{{ nosuch }}"))
        .isEqualTo(
            "<error expanding template: error parsing template __alert_X: template: __alert_X:1:"
                + " function \"nosuch\" not defined>");
  }

  @Test
  void expand_executionError_isReportedInTheTextWithPosition() {
    String prefix = Templates.ALERT_DEFS.length() + "{{ ".length() + "";
    assertThat(Expander.builder().build().expandAlert("X", "{{ humanize \"a\" }}", LABELS, 1, 0))
        .isEqualTo(
            "<error expanding template: error executing template __alert_X: template: __alert_X:1:"
                + prefix
                + ": executing \"__alert_X\" at <humanize \"a\">: error calling humanize:"
                + " strconv.ParseFloat: parsing \"a\": invalid syntax>");
  }

  @Test
  void query_runsOnTheEngineAtTheEvaluationTime() {
    MemoryStorage db = new MemoryStorage();
    Labels m = Labels.of("__name__", "m", "instance", "b");
    Labels m2 = Labels.of("__name__", "m", "instance", "a");
    db.add(m, 60_000, 1);
    db.add(m, 120_000, 2);
    db.add(m2, 120_000, 3);
    Expander x =
        Expander.builder()
            .queryFunction(EngineQueryFunction.of(Engine.builder(db).build()))
            .build();
    String t =
        "{{ range query \"m\" | sortByLabel \"instance\" }}"
            + "{{ label \"instance\" . }}={{ value . }} {{ end }}";
    assertThat(x.expandAlert("A", t, LABELS, 0, 60_000)).isEqualTo("b=1 ");
    assertThat(x.expandAlert("A", t, LABELS, 0, 120_000)).isEqualTo("a=3 b=2 ");
    assertThat(x.expandAlert("A", "{{ query \"2 * 21\" | first | value }}", LABELS, 0, 0))
        .isEqualTo("42");
  }

  @Test
  void exponentialOutput_isStoppedAtTheLimitWithAClearError() {
    StringBuilder t = new StringBuilder("{{ define \"l0\" }}0123456789{{ end }}");
    for (int i = 1; i <= 24; i++) {
      t.append("{{ define \"l")
          .append(i)
          .append("\" }}{{ template \"l")
          .append(i - 1)
          .append("\" }}{{ template \"l")
          .append(i - 1)
          .append("\" }}{{ end }}");
    }
    t.append("{{ template \"l24\" }}"); // 10 * 2^24 characters
    assertThat(Expander.builder().build().expandAlert("Big", t.toString(), LABELS, 0, 0))
        .startsWith("<error expanding template: error executing template __alert_Big: template:")
        .endsWith(": output exceeds " + Exec.MAX_OUTPUT + " characters (a Vigil limit)>");
  }

  @Test
  void query_withoutQueryFunction_failsWithAClearError() {
    assertThat(Expander.builder().build().expandAlert("A", "{{ query \"up\" }}", LABELS, 0, 0))
        .endsWith("error calling query: no query function>");
  }

  @Test
  void externalUrl_losesTrailingSlashesAndGivesPathPrefix() {
    Expander x =
        Expander.builder()
            .externalUrl("https://mon.example.com/vigil/")
            .externalLabels(Labels.of("dc", "eu1"))
            .build();
    assertThat(
            x.expandAlert(
                "A", "{{ $externalURL }} {{ pathPrefix }} {{ $externalLabels.dc }}", LABELS, 0, 0))
        .isEqualTo("https://mon.example.com/vigil /vigil eu1");
  }

  @Test
  void expandAll_expandsEveryTemplateAndKeepsKeys() {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", "{{ $labels.instance }} down");
    annotations.put("value", "{{ printf \"%.2f\" $value }}");
    assertThat(Expander.builder().build().expandAll("A", annotations, LABELS, 0.123, 0))
        .containsExactly(Map.entry("summary", "host:9090 down"), Map.entry("value", "0.12"));
  }

  @Test
  void templates_areParsedOnceAndShared() throws TemplateException {
    String text = "{{ $labels.job }} shared " + System.nanoTime();
    assertThat(Templates.alert("Shared", text)).isSameAs(Templates.alert("Shared", text));
  }

  @Test
  void check_acceptsValidTemplatesAndNamesTheProblemOfInvalidOnes() {
    assertThat(Templates.check("A", "{{ if gt $value 1.0 }}{{ humanize $value }}{{ end }}"))
        .isEmpty();
    assertThat(Templates.check("A", "{{ if gt $value 1.0 }}x"))
        .contains("template: __alert_A:1: unexpected EOF");
    assertThat(Templates.check("{{ $nosuch }}"))
        .contains("template: __alert_:1: undefined variable \"$nosuch\"");
  }

  @Test
  void concurrentExpansions_shareTemplatesButNotState() throws Exception {
    Expander x = Expander.builder().build();
    String t =
        "{{ $n := 0 }}{{ range $k, $v := $labels }}{{ $n = $v }}{{ end }}{{ $n }}"
            + " {{ humanize $value }}";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int id = thread;
        results.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 2_000; i++) {
                    String v = id + "-" + i;
                    String out = x.expandAlert("C", t, Labels.of("z", v), i * 1000.0, 0);
                    if (!out.equals(v + " " + Humanize.humanize(i * 1000.0))) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
