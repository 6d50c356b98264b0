package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.QueryLimitException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Rule evaluation against the real store, driven evaluation by evaluation (no schedule). */
class RuleEvaluationTest extends RulesFixture {
  @Test
  void recordingRules_runInOrder_andTheNextRuleSeesTheOutputOfThisEvaluation() throws Exception {
    add("up{job=\"a\",instance=\"1\"}", T0, 1);
    add("up{job=\"a\",instance=\"2\"}", T0, 1);
    RuleManager m =
        manager(
            """
            groups:
            - name: g
              rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels: {team: infra}
              - record: job:up:sum_doubled
                expr: job:up:sum * 2
            """);
    m.evaluateAt(T0 + 1000);
    assertThat(raw("job:up:sum{job=\"a\",team=\"infra\"}")).containsExactly("1s=2.0");
    assertThat(raw("job:up:sum_doubled{job=\"a\",team=\"infra\"}")).containsExactly("1s=4.0");
    GroupStatus g = m.groups().get(0);
    assertThat(g.rules()).extracting(RuleStatus::health).containsExactly("ok", "ok");
    assertThat(g.rules().get(0).query()).isEqualTo("sum by (job) (up)");
    assertThat(g.lastEvaluation()).isEqualTo(clock.instant());
  }

  @Test
  void recordingSeriesThatDisappear_getStaleMarkers() throws Exception {
    add("up{instance=\"1\"}", T0, 1);
    add("up{instance=\"2\"}", T0, 1);
    RuleManager m = manager("groups: [{name: g, rules: [{record: inst:up, expr: up == 1}]}]\n");
    m.evaluateAt(T0 + 1000);
    add("up{instance=\"2\"}", T0 + 30_000, 0);
    m.evaluateAt(T0 + 61_000);
    assertThat(raw("inst:up{instance=\"1\"}")).containsExactly("1s=1.0", "61s=1.0");
    assertThat(raw("inst:up{instance=\"2\"}")).containsExactly("1s=1.0", "61s=stale");
  }

  @Test
  void limit_failsTheRuleWithPrometheusMessage_andTheNextRuleStillRuns() throws Exception {
    add("up{instance=\"1\"}", T0, 1);
    add("up{instance=\"2\"}", T0, 1);
    RuleManager m =
        manager(
            """
            groups:
            - name: g
              limit: 1
              rules:
              - record: many
                expr: up
              - record: one
                expr: count(up)
              - alert: TwoAlerts
                expr: up
            """);
    m.evaluateAt(T0 + 1000);
    List<RuleStatus> rs = m.groups().get(0).rules();
    assertThat(rs.get(0).health()).isEqualTo("err");
    assertThat(rs.get(0).lastError()).isEqualTo("exceeded limit of 1 with 2 series");
    assertThat(rs.get(1).health()).isEqualTo("ok");
    assertThat(rs.get(2).lastError()).isEqualTo("exceeded limit of 1 with 2 alerts");
    assertThat(rs.get(2).alerts()).isEmpty();
    assertThat(events)
        .extracting(e -> e.labels().get("instance") + ":" + e.from() + "->" + e.to())
        .containsExactlyInAnyOrder(
            "1:INACTIVE->PENDING", "2:INACTIVE->PENDING",
            "1:PENDING->FIRING", "2:PENDING->FIRING",
            "1:FIRING->INACTIVE", "2:FIRING->INACTIVE");
    assertThat(raw("many{instance=\"1\"}")).isEmpty();
    assertThat(raw("one")).containsExactly("1s=2.0");
  }

  @Test
  void failingOrTimedOutQuery_isReportedInHealth_andOtherRulesKeepRunning() throws Exception {
    add("up{instance=\"1\"}", T0, 1);
    QueryFunction real = QueryFunction.of(dev.vigil.promql.Engine.builder(db).build());
    QueryFunction q =
        (expr, t) -> {
          if (expr.equals("slow")) {
            throw new QueryLimitException(
                QueryLimitException.Kind.TIMEOUT, "query timed out in query execution");
          }
          return real.query(expr, t);
        };
    RuleManager m =
        manager(
            """
            groups:
            - name: g
              rules:
              - record: a
                expr: slow
              - record: b
                expr: up + on() group_left up{instance="nope"} or on() (up + on(instance) group_right vector(1))
              - record: c
                expr: up
            """,
            db,
            q);
    m.evaluateAt(T0 + 1000);
    List<RuleStatus> rs = m.groups().get(0).rules();
    assertThat(rs.get(0).health()).isEqualTo("err");
    assertThat(rs.get(0).lastError()).isEqualTo("query timed out in query execution");
    assertThat(rs.get(2).health()).isEqualTo("ok");
    assertThat(raw("c{instance=\"1\"}")).containsExactly("1s=1.0");
    assertThat(m.metrics().collect())
        .filteredOn(f -> f.name().equals("vigil_rule_evaluation_failures"))
        .first()
        .satisfies(f -> assertThat(f.points().get(0).value()).isGreaterThanOrEqualTo(1));
  }

  @Test
  void aQueryPastTheRulesTimeout_isReportedByTheRealEngine_andTheNextRuleRuns() throws Exception {
    // A storage that is slow for one metric: selecting `slow` returns only once the query's own
    // deadline has passed, so the first rule times out whatever the machine's speed (a heavy
    // query finished within the timeout on a quiet machine).
    dev.vigil.model.Queryable slowForOne =
        (mint, maxt) -> {
          dev.vigil.model.Querier q = db.querier(mint, maxt);
          return new dev.vigil.model.Querier() {
            @Override
            public dev.vigil.model.SeriesSet select(
                dev.vigil.model.SelectHints hints, List<dev.vigil.model.LabelMatcher> matchers) {
              if (matchers.stream()
                  .anyMatch(x -> x.name().equals("__name__") && x.matches("slow"))) {
                long bound = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < bound) {
                  dev.vigil.model.QueryDeadline.current().check(); // throws once past it
                  java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
                throw new AssertionError("the rule's query had no deadline");
              }
              return q.select(hints, matchers);
            }

            @Override
            public List<String> labelNames(List<dev.vigil.model.LabelMatcher> matchers) {
              return q.labelNames(matchers);
            }

            @Override
            public List<String> labelValues(
                String name, List<dev.vigil.model.LabelMatcher> matchers) {
              return q.labelValues(name, matchers);
            }

            @Override
            public void close() {
              q.close();
            }
          };
        };
    RuleManager m =
        RuleManager.builder(slowForOne, db)
            .clock(clock)
            .queryTimeout(java.time.Duration.ofMillis(200))
            .build();
    m.update(
        List.of(
            RuleFiles.parse(
                "r.yml",
                """
                groups:
                - name: g
                  rules:
                  - record: heavy
                    expr: count_over_time(slow[5m])
                  - record: light
                    expr: vector(1)
                """)));
    m.evaluateAt(T0);
    List<RuleStatus> rs = m.groups().get(0).rules();
    assertThat(rs.get(0).health()).isEqualTo("err");
    assertThat(rs.get(0).lastError()).isEqualTo("query timed out in query execution");
    assertThat(rs.get(1).health()).isEqualTo("ok");
    assertThat(raw("light")).containsExactly("0s=1.0");
  }

  @Test
  void queryOffset_queriesAndWritesAtTheOffsetTime() throws Exception {
    add("x", T0, 1);
    add("x", T0 + 60_000, 2);
    RuleManager m =
        manager("groups: [{name: g, query_offset: 1m, rules: [{record: y, expr: x}]}]\n");
    m.evaluateAt(T0 + 90_000);
    assertThat(raw("y")).containsExactly("30s=1.0");
  }

  @Test
  void alert_goesPendingThenFiring_writesAlertsSeries_thenResolves() throws Exception {
    String yaml =
        """
        groups:
        - name: g
          rules:
          - alert: Down
            expr: up == 0
            for: 2m
            labels: {severity: page}
            annotations: {summary: down}
        """;
    RuleManager m = manager(yaml);
    m.group("rules.yml", "g").rules.forEach(r -> restored((AlertingRule) r));
    add("up{instance=\"1\"}", T0, 0);
    m.evaluateAt(T0);
    Alert a = m.alerts().get(0);
    assertThat(a.state()).isEqualTo(AlertState.PENDING);
    assertThat(a.activeAt()).isEqualTo(T0);
    assertThat(sorted(a.labels()))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("alertname", "Down", "instance", "1", "severity", "page")));
    add("up{instance=\"1\"}", T0 + MIN, 0);
    m.evaluateAt(T0 + MIN);
    assertThat(m.alerts().get(0).state()).isEqualTo(AlertState.PENDING);
    add("up{instance=\"1\"}", T0 + 2 * MIN, 0);
    m.evaluateAt(T0 + 2 * MIN);
    assertThat(m.alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    assertThat(m.firingAlerts()).isEqualTo(1);
    add("up{instance=\"1\"}", T0 + 3 * MIN, 1);
    m.evaluateAt(T0 + 3 * MIN);
    assertThat(m.alerts()).isEmpty();

    String pending =
        "ALERTS{alertname=\"Down\",alertstate=\"pending\",instance=\"1\",severity=\"page\"}";
    String firing =
        "ALERTS{alertname=\"Down\",alertstate=\"firing\",instance=\"1\",severity=\"page\"}";
    assertThat(raw(pending)).containsExactly("0s=1.0", "60s=1.0", "120s=stale");
    assertThat(raw(firing)).containsExactly("120s=1.0", "180s=stale");
    assertThat(raw("ALERTS_FOR_STATE{alertname=\"Down\",instance=\"1\",severity=\"page\"}"))
        .containsExactly(
            "0s=" + (double) (T0 / 1000),
            "60s=" + (double) (T0 / 1000),
            "120s=" + (double) (T0 / 1000),
            "180s=stale");
    assertThat(events)
        .extracting(e -> e.from() + "->" + e.to() + "@" + (e.timestampMs() - T0) / 1000)
        .containsExactly("INACTIVE->PENDING@0", "PENDING->FIRING@120", "FIRING->INACTIVE@180");
    assertThat(events.get(0).annotations()).containsEntry("summary", "down");
  }

  private static void restored(AlertingRule r) {
    r.restoreForState(
        (mint, maxt) -> {
          throw new AssertionError("a rule with for below the grace period is not restored");
        },
        0,
        0,
        Long.MAX_VALUE);
  }

  @Test
  void keepFiringFor_keepsAResolvedAlertFiring_thenResolves() throws Exception {
    RuleManager m =
        manager("groups: [{name: g, rules: [{alert: X, expr: up == 0, keep_firing_for: 2m}]}]\n");
    add("up", T0, 0);
    m.evaluateAt(T0);
    assertThat(m.alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    add("up", T0 + MIN, 1);
    m.evaluateAt(T0 + MIN);
    Alert a = m.alerts().get(0);
    assertThat(a.state()).isEqualTo(AlertState.FIRING);
    assertThat(a.keepFiringSince()).isEqualTo(T0 + MIN);
    m.evaluateAt(T0 + 2 * MIN);
    assertThat(m.alerts()).hasSize(1);
    m.evaluateAt(T0 + 3 * MIN);
    assertThat(m.alerts()).isEmpty();
  }

  @Test
  void resolvedAlerts_areKept15Minutes_thenForgotten_andAReturningAlertIsNew() throws Exception {
    RuleManager m = manager("groups: [{name: g, rules: [{alert: X, expr: up == 0}]}]\n");
    AlertingRule rule = (AlertingRule) m.group("rules.yml", "g").rules.get(0);
    add("up", T0, 0);
    m.evaluateAt(T0);
    add("up", T0 + MIN, 1);
    m.evaluateAt(T0 + MIN);
    assertThat(rule.activeAlerts()).isEmpty();
    assertThat(countAll(rule)).isEqualTo(1); // resolved, kept
    m.evaluateAt(T0 + MIN + 15 * MIN);
    assertThat(countAll(rule)).isEqualTo(1); // exactly 15 minutes: still kept
    m.evaluateAt(T0 + MIN + 16 * MIN);
    assertThat(countAll(rule)).isZero();
  }

  private static int countAll(AlertingRule r) {
    return r.activeCount();
  }

  @Test
  void goTemplates_expandAsPrometheus_byDefault() throws Exception {
    add("up{instance=\"i1\",job=\"api\"}", T0, 0.000123456);
    RuleManager m =
        RuleManager.builder(db, db).clock(clock).externalUrl("http://vigil:9090/x").build();
    m.update(
        List.of(
            RuleFiles.parse(
                "r.yml",
                """
                groups:
                - name: g
                  rules:
                  - alert: Low
                    expr: up < 1
                    labels: {job_was: "{{ $labels.job }}"}
                    annotations:
                      summary: "{{ $labels.instance }} at {{ $value }} ({{ humanize $value }})"
                      url: "{{ $externalURL }}"
                      broken: '{{ humanize "x" }}'
                """)));
    m.evaluateAt(T0);
    Alert a = m.alerts().get(0);
    assertThat(a.labels().get("job_was")).isEqualTo("api");
    assertThat(a.annotations())
        .containsEntry("summary", "i1 at 0.000123456 (123.5u)")
        .containsEntry("url", "http://vigil:9090/x");
    assertThat(a.annotations().get("broken")).startsWith("<error expanding template: ");
  }

  @Test
  void templatesExpandLabelsAndAnnotations_withValueAndLabels() throws Exception {
    AnnotationExpander fake =
        new AnnotationExpander() {
          @Override
          public void check(String name, String text) {}

          @Override
          public String expand(String name, String text, Data data) {
            if (text.equals("boom")) {
              throw new IllegalArgumentException("template: " + name + ":1: boom");
            }
            return text.replace("$value", Double.toString(data.value()))
                .replace("$instance", data.labels().get("instance"));
          }
        };
    add("up{instance=\"i1\"}", T0, 0);
    RuleManager m = RuleManager.builder(db, db).clock(clock).templates(fake).build();
    m.update(
        List.of(
            RuleFiles.parse(
                "r.yml",
                """
                groups:
                - name: g
                  rules:
                  - alert: X
                    expr: up == 0
                    labels: {who: "$instance"}
                    annotations: {s: "v=$value", e: boom}
                """)));
    m.evaluateAt(T0);
    Alert a = m.alerts().get(0);
    assertThat(a.labels().get("who")).isEqualTo("i1");
    assertThat(a.annotations())
        .containsEntry("s", "v=0.0")
        .containsEntry("e", "<error expanding template: template: __alert_X:1: boom>");
  }
}
