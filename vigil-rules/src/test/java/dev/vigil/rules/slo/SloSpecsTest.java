package dev.vigil.rules.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rules.AlertingRuleSpec;
import dev.vigil.rules.RecordingRuleSpec;
import dev.vigil.rules.RuleFileException;
import dev.vigil.rules.RuleFiles;
import dev.vigil.rules.RuleGroupSpec;
import dev.vigil.rules.RuleSpec;
import dev.vigil.rules.packs.RuleFileWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloSpecsTest {

  static final String PYRRA_RATIO =
      """
      apiVersion: pyrra.dev/v1alpha1
      kind: ServiceLevelObjective
      metadata:
        name: api-errors
        namespace: monitoring
        labels:
          prometheus: k8s
          pyrra.dev/team: platform
      spec:
        target: "99"
        window: 4w
        description: API requests succeed.
        indicator:
          ratio:
            errors:
              metric: http_requests_total{job="api",code=~"5.."}
            total:
              metric: http_requests_total{job="api"}
            grouping: [route]
      """;

  static final String PYRRA_LATENCY =
      """
      apiVersion: pyrra.dev/v1alpha1
      kind: ServiceLevelObjective
      metadata:
        name: api-latency
      spec:
        target: "99.5"
        window: 4w
        indicator:
          latency:
            success:
              metric: http_request_duration_seconds_bucket{job="api",le="0.5"}
            total:
              metric: http_request_duration_seconds_count{job="api"}
      """;

  @Test
  void pyrraRatio_givesPyrrasAlerts_windowsFactorsForAndLabels() throws Exception {
    Slo s = SloSpecs.parse("api.yml", PYRRA_RATIO).getFirst();
    assertThat(s.kind()).isEqualTo(Slo.Kind.RATIO);
    assertThat(s.id()).isEqualTo("monitoring-api-errors");
    assertThat(s.period()).isEqualTo(Duration.ofDays(28));
    assertThat(s.labels())
        .containsEntry("team", "platform")
        .containsEntry("slo", "api-errors")
        .doesNotContainKey("prometheus");
    assertThat(s.errorRatioOver("5m"))
        .isEqualTo(
            "sum by (route) (rate(http_requests_total{job=\"api\",code=~\"5..\"}[5m]))\n/\n"
                + "sum by (route) (rate(http_requests_total{job=\"api\"}[5m]))");
    List<AlertingRuleSpec> alerts = alerts(s);
    // Pyrra's documented alerts for a 4w window (slo/rules.go Windows, rules_test.go).
    assertThat(alerts).extracting(AlertingRuleSpec::alert).containsOnly("ErrorBudgetBurn");
    assertThat(alerts)
        .extracting(a -> a.labels().get("short"))
        .containsExactly("5m", "30m", "2h", "6h");
    assertThat(alerts)
        .extracting(a -> a.labels().get("long"))
        .containsExactly("1h", "6h", "1d", "4d");
    assertThat(alerts)
        .extracting(a -> a.labels().get("severity"))
        .containsExactly("critical", "critical", "warning", "warning");
    assertThat(alerts)
        .extracting(a -> a.labels().get("exhaustion"))
        .containsExactly("2d", "4d", "2w", "4w");
    assertThat(alerts)
        .extracting(AlertingRuleSpec::forDuration)
        .containsExactly(
            Duration.ofMinutes(2),
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            Duration.ofHours(3));
    assertThat(alerts.getFirst().expr())
        .contains("slo:sli_error:ratio_rate5m{sloth_id=\"monitoring-api-errors\"")
        .contains("> (14 * (1-0.99))")
        .contains("and ignoring (sloth_window)");
    assertThat(alerts.get(3).expr()).contains("slo:sli_error:ratio_rate4d{");
    // The rules print and read back as a valid Prometheus rule file.
    RuleFiles.parse("x", RuleFileWriter.write(List.of(SloRules.ruleFile("x", List.of(s)))));
  }

  @Test
  void pyrraLatency_isBucketOverCount() throws Exception {
    Slo s = SloSpecs.parse("lat.yml", PYRRA_LATENCY).getFirst();
    assertThat(s.kind()).isEqualTo(Slo.Kind.LATENCY);
    assertThat(s.objective()).isEqualTo(99.5);
    assertThat(s.errorRatioOver("1h"))
        .contains("rate(http_request_duration_seconds_count{job=\"api\"}[1h])")
        .contains(
            "-\n  sum (rate(http_request_duration_seconds_bucket{job=\"api\",le=\"0.5\"}[1h]))");
  }

  @Test
  void slothRaw_and_disabledTicket_giveOnlyThePageAlert() throws Exception {
    Slo s =
        SloSpecs.parse(
                "raw.yml",
                """
                version: prometheus/v1
                service: wifi
                slos:
                  - name: availability
                    objective: 95
                    sli:
                      raw:
                        error_ratio_query: 1 - avg_over_time(wifi_up[{{.window}}])
                    alerting:
                      name: WifiDown
                      ticket_alert:
                        disable: true
                """)
            .getFirst();
    assertThat(s.kind()).isEqualTo(Slo.Kind.RAW);
    assertThat(s.pageAlert()).isEqualTo("WifiDown");
    assertThat(s.ticketAlert()).isNull();
    List<AlertingRuleSpec> alerts = alerts(s);
    assertThat(alerts).hasSize(1);
    assertThat(alerts.getFirst().labels())
        .containsEntry("severity", "page")
        .containsEntry("sloth_severity", "page");
    assertThat(recordings(s))
        .extracting(RecordingRuleSpec::record)
        .contains(
            "slo:sli_error:ratio_rate5m",
            "slo:sli_error:ratio_rate3d",
            "slo:sli_error:ratio_rate30d");
  }

  static final String GOOD_SLOTH =
      """
      version: prometheus/v1
      service: api
      slos:
        - name: ok
          objective: 99.9
          sli:
            events:
              error_query: sum(rate(errors_total[{{.window}}]))
              total_query: sum(rate(requests_total[{{.window}}]))
          alerting:
            name: ApiBurn
      """;

  private static String problems(String yaml) {
    try {
      SloSpecs.parse("bad.yml", yaml);
    } catch (RuleFileException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted:\n" + yaml);
  }

  @Test
  void objectiveOutsideZeroToHundred_isRefusedNamingFileSloAndField() {
    assertThat(problems(GOOD_SLOTH.replace("99.9", "100")))
        .isEqualTo(
            "bad.yml:5: slo \"ok\": objective: must be a percentage in (0, 100) (e.g. 99.9),"
                + " got 100");
    assertThat(problems(GOOD_SLOTH.replace("99.9", "0"))).contains("slo \"ok\": objective:");
    assertThat(problems(GOOD_SLOTH.replace("99.9", "-3"))).contains("slo \"ok\": objective:");
    assertThat(problems(PYRRA_RATIO.replace("\"99\"", "\"120\"")))
        .startsWith("bad.yml:")
        .contains("slo \"api-errors\": spec.target: must be a percentage");
  }

  @Test
  void missingQuery_isRefusedNamingTheField() {
    assertThat(problems(GOOD_SLOTH.replaceAll("\n *total_query:.*", "")))
        .contains("bad.yml:")
        .contains("slo \"ok\": sli.events.total_query: required");
    assertThat(problems(PYRRA_RATIO.replaceAll("\n *total:\n.*", "")))
        .contains("slo \"api-errors\": spec.indicator.ratio.total.metric: required");
  }

  @Test
  void unknownWindow_isRefused() {
    assertThat(problems(PYRRA_RATIO.replace("window: 4w", "window: 4x")))
        .contains("slo \"api-errors\": spec.window: unknown window \"4x\"");
    assertThat(problems(PYRRA_RATIO.replace("window: 4w", "window: 1h")))
        .contains("spec.window: unknown window 1h");
    assertThat(
            problems(
                GOOD_SLOTH.replace("objective: 99.9", "objective: 99.9\n    time_window: 14d")))
        .contains("slo \"ok\": time_window: unknown SLO period 14d");
    assertThat(
            problems(GOOD_SLOTH.replace("errors_total[{{.window}}]", "errors_total[{{.windows}}]")))
        .contains("slo \"ok\": sli.events.error_query: must use {{.window}}");
    assertThat(
            problems(
                GOOD_SLOTH.replace(
                    "errors_total[{{.window}}]", "errors_total{{.service}}[{{.window}}]")))
        .contains("sli.events.error_query: unknown template variable {{.service}}");
  }

  @Test
  void queryThatDoesNotParse_isRefusedNamingTheField() {
    assertThat(problems(GOOD_SLOTH.replace("sum(rate(errors_total", "sum(rate(errors_total{")))
        .contains("bad.yml:8: slo \"ok\": sli.events.error_query: could not parse query:");
    assertThat(problems(PYRRA_LATENCY.replace("le=\"0.5\"}", "le=}")))
        .contains("slo \"api-latency\": spec.indicator.latency.success.metric: could not parse");
    assertThat(problems(PYRRA_LATENCY.replace(",le=\"0.5\"", "")))
        .contains(
            "spec.indicator.latency.success.metric: a latency SLO's success metric is a"
                + " histogram bucket with an le matcher");
  }

  @Test
  void unknownKeys_andEveryProblem_areListed() {
    String msg =
        problems(
            GOOD_SLOTH.replace("name: ok", "name: ok\n    objectiv: 99").replace("99.9", "101"));
    assertThat(msg)
        .contains("slo \"ok\": objectiv: unknown field in SLO")
        .contains("slo \"ok\": objective: must be a percentage");
  }

  private static List<AlertingRuleSpec> alerts(Slo s) {
    return SloRules.groups(s).stream()
        .map(RuleGroupSpec::rules)
        .flatMap(List::stream)
        .filter(r -> r instanceof AlertingRuleSpec)
        .map(r -> (AlertingRuleSpec) r)
        .toList();
  }

  private static List<RecordingRuleSpec> recordings(Slo s) {
    return SloRules.groups(s).stream()
        .map(RuleGroupSpec::rules)
        .flatMap(List::stream)
        .filter(r -> r instanceof RecordingRuleSpec)
        .map(r -> (RecordingRuleSpec) r)
        .toList();
  }

  @SuppressWarnings("unused")
  private static List<String> names(List<RuleSpec> rs) {
    return rs.stream().map(RuleSpec::name).toList();
  }
}
