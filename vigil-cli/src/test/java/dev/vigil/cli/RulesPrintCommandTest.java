package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code vigil rules print}: the rule packs and thresholds {@code vigil.yml} enables, as a rule
 * file the real {@code promtool} accepts; the thresholds' rules behave as their unit tests say
 * under promtool and Vigil; bad {@code rule_packs} and {@code alerts} values are refused with their
 * line.
 */
class RulesPrintCommandTest {
  static final Path THRESHOLDS = Path.of("src/test/resources/rules-thresholds");

  @TempDir Path dir;

  private static String[] print(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new RulesCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    String[] all = new String[args.length + 1];
    all[0] = "print";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = cl.execute(all);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void packsAndThresholds_printAsOneRuleFileThatPromtoolAndVigilAccept() throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(
        cfg,
        "rule_packs: [host, vigil, seeds]\n" + Files.readString(THRESHOLDS.resolve("vigil.yml")));
    String[] r = print("--config", cfg.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    Path rules = dir.resolve("printed.yml");
    Files.writeString(rules, r[1]);

    Promtool.Run check = Promtool.run(dir, List.of("check", "rules", "printed.yml"));
    // host 12 (3 forecasts), vigil 6, seeds 7, thresholds 3 + 4 + 4.
    assertThat(check.stdout()).as(check.stderr()).contains("SUCCESS: 36 rules found");
    assertThat(RulesCorpusCheckTest.vigilCheck(rules)[1]).contains("SUCCESS: 36 rules found");
    assertThat(r[1])
        .contains("# pack:host", "# pack:vigil", "# pack:seeds", "# vigil.yml#thresholds")
        .contains("- name: \"thresholds\"", "- alert: \"SuccessRateLow\"");
  }

  @Test
  void thresholdRules_passTheirUnitTestsUnderPromtoolAndVigil() throws Exception {
    String[] r = print("--config", THRESHOLDS.resolve("vigil.yml").toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    Files.writeString(dir.resolve("thresholds.yml"), r[1]);
    Path test = dir.resolve("thresholds_test.yml");
    Files.copy(THRESHOLDS.resolve("thresholds_test.yml"), test);

    Promtool.Run promtool = Promtool.run(dir, List.of("test", "rules", "thresholds_test.yml"));
    assertThat(promtool.exitCode()).as(promtool.stderr()).isZero();
    String[] vigil = RulesCorpusUnitTest.vigilTest(test);
    assertThat(vigil[0]).as(vigil[2]).isEqualTo("0");
  }

  @Test
  void noConfig_printsAnEmptyRuleFile() throws Exception {
    String[] r = print();
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).isEqualTo("groups: []\n");
    Files.writeString(dir.resolve("empty.yml"), r[1]);
    assertThat(Promtool.run(dir, List.of("check", "rules", "empty.yml")).exitCode()).isZero();
  }

  @Test
  void pack_isPrintedWithTheConfiguredNamespace() throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "collect:\n  namespace: dinoair_\nrule_packs: [seeds]\n");
    String[] r = print("--config", cfg.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1])
        .contains("dinoair_api_request_duration_seconds_bucket", "dinoair_agent_runs_total")
        .doesNotContain("app_");
  }

  @Test
  void unknownPack_isRefusedWithItsLine() throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "global:\n  scrape_interval: 15s\nrule_packs: [host, hots]\n");
    String[] r = print("--config", cfg.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(cfg + ":3")
        .contains("unknown rule pack \"hots\" (known: host, vigil, seeds)");
  }

  @Test
  void badThresholds_areRefusedWithKeyAndLine() throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(cfg, "alerts:\n  error_rate_threshold: 5\n");
    String[] r = print("--config", cfg.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(cfg + ":2")
        .contains("alerts.error_rate_threshold")
        .contains("between 0 and 1");

    Files.writeString(cfg, "alerts:\n  critical:\n    p95_latency_ms: 100\n");
    r = print("--config", cfg.toString());
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2])
        .contains(cfg + ":3")
        .contains("alerts.critical.p95_latency_ms")
        .contains("unknown key");
  }

  @Test
  void anomalyMarksAskingForAnAlert_printTheirRule_whichPromtoolAndVigilCheckAndUnitTest()
      throws Exception {
    Path cfg = dir.resolve("vigil.yml");
    Files.writeString(
        cfg,
        """
        anomaly:
          marks:
            - name: shop
              expr: sum(rate(requests_total[5m]))
              alert: true
              for: 2m
            - name: quiet
              expr: up
        """);
    String[] r = print("--config", cfg.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("# vigil.yml#anomaly", "- alert: \"AnomalyDetected\"");
    Files.writeString(dir.resolve("anomaly.yml"), r[1]);
    Promtool.Run check = Promtool.run(dir, List.of("check", "rules", "anomaly.yml"));
    assertThat(check.stdout()).as(check.stderr()).contains("SUCCESS: 1 rules found");
    Files.writeString(
        dir.resolve("anomaly_test.yml"),
        """
        rule_files: [anomaly.yml]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'vigil:anomaly:score{anomaly="shop",anomaly_metric="requests_total",job="a"}'
                values: '0 1 -5 -5 -5 -5 0'
            alert_rule_test:
              - eval_time: 3m
                alertname: AnomalyDetected
                exp_alerts: []
              - eval_time: 4m
                alertname: AnomalyDetected
                exp_alerts:
                  - exp_labels:
                      {anomaly: shop, anomaly_metric: requests_total, job: a, severity: warning}
                    exp_annotations:
                      summary: 'Anomaly in shop: a series is outside its band'
                      description: >-
                        requests_total is 5.0 scales from its baseline (threshold 3.5); the band:
                        vigil:anomaly:lower and vigil:anomaly:upper with the same labels.
        """);
    Promtool.Run test = Promtool.run(dir, List.of("test", "rules", "anomaly_test.yml"));
    assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isZero();
    String[] vigil = RulesCorpusUnitTest.vigilTest(dir.resolve("anomaly_test.yml"));
    assertThat(vigil[0]).as(vigil[1] + vigil[2]).isEqualTo("0");
  }

  @Test
  void unknownPackOption_isRefused() {
    String[] r = print("--pack", "nope");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("unknown rule pack \"nope\"");
  }
}
