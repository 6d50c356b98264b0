package dev.vigil.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleFilesTest {

  private static List<Problem> problems(String yaml) {
    try {
      RuleFiles.parse("r.yml", yaml);
    } catch (RuleFileException e) {
      return e.problems();
    }
    throw new AssertionError("expected problems in:\n" + yaml);
  }

  @Test
  void parse_fullFile_keepsEveryFieldAndLine() throws Exception {
    RuleFile f =
        RuleFiles.parse(
            "r.yml",
            """
            groups:
            - name: node
              interval: 30s
              limit: 10
              query_offset: 1m
              rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels:
                  team: infra
              - alert: InstanceDown
                expr: up == 0
                for: 5m
                keep_firing_for: 1h30m
                labels:
                  severity: page
                annotations:
                  summary: "{{ $labels.instance }} down"
            - name: other
              rules: []
            """);
    assertThat(f.groups()).hasSize(2);
    RuleGroupSpec g = f.groups().get(0);
    assertThat(g.name()).isEqualTo("node");
    assertThat(g.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(g.limit()).isEqualTo(10);
    assertThat(g.queryOffset()).isEqualTo(Duration.ofMinutes(1));
    assertThat(g.line()).isEqualTo(2);
    assertThat(g.rules().get(0))
        .isEqualTo(
            new RecordingRuleSpec(
                "job:up:sum", "sum by (job) (up)", java.util.Map.of("team", "infra"), 7));
    AlertingRuleSpec a = (AlertingRuleSpec) g.rules().get(1);
    assertThat(a.forDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(a.keepFiringFor()).isEqualTo(Duration.ofMinutes(90));
    assertThat(a.annotations()).containsEntry("summary", "{{ $labels.instance }} down");
    assertThat(a.line()).isEqualTo(11);
    assertThat(f.groups().get(1).interval()).isNull();
    assertThat(f.groups().get(1).queryOffset()).isNull();
  }

  @Test
  void parse_prometheusRuleResource_readsSpecGroups() throws Exception {
    RuleFile f =
        RuleFiles.parse(
            "slo.yml",
            """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: slo
              labels: {release: x}
            spec:
              groups:
              - name: slo
                rules:
                - record: slo:errors:ratio5m
                  expr: sum(rate(errors_total[5m])) / sum(rate(requests_total[5m]))
            """);
    assertThat(f.groups().get(0).rules().get(0).name()).isEqualTo("slo:errors:ratio5m");
  }

  @Test
  void parse_emptyFile_hasNoGroups() throws Exception {
    assertThat(RuleFiles.parse("e.yml", "").groups()).isEmpty();
    assertThat(RuleFiles.parse("e.yml", "groups: []\n").groups()).isEmpty();
  }

  @Test
  void parse_everyPromtoolProblem_isReportedWithLineGroupAndRule() {
    List<Problem> ps =
        problems(
            """
            groups:
            - name: g
              rules:
              - record: job:up:sum
                expr: sum(up)
                labels:
                  __name__: x
              - record: 1bad
                expr: up
              - alert: BadExpr
                expr: up ==
              - alert: A
                record: b
                expr: up
              - expr: up
              - record: r
                expr: up
                for: 1m
                annotations:
                  a: b
              - alert: T
                expr: up
                labels:
                  "0bad": x
                annotations:
                  "1x": y
                unknown: 1
              - alert: D
                expr: up
                for: 1.5m
              - alert: NoExpr
            - name: g
              rules: []
            - name: ""
            """);
    assertThat(ps)
        .extracting(Problem::toString)
        .containsExactly(
            "r.yml:7: group \"g\", rule 1, \"job:up:sum\": invalid label name: __name__",
            "r.yml:8: group \"g\", rule 2, \"1bad\": invalid recording rule name: 1bad",
            "r.yml:11: group \"g\", rule 3, \"BadExpr\": could not parse expression: 1:6: parse"
                + " error: unexpected end of input",
            "r.yml:13: group \"g\", rule 4, \"b\": only one of 'record' and 'alert' must be set",
            "r.yml:15: group \"g\", rule 5, \"\": one of 'record' or 'alert' must be set",
            "r.yml:19: group \"g\", rule 6, \"r\": invalid field 'annotations' in recording rule",
            "r.yml:18: group \"g\", rule 6, \"r\": invalid field 'for' in recording rule",
            "r.yml:27: group \"g\", rule 7, \"T\": field unknown not found in rule (known:"
                + " alert, annotations, expr, for, keep_firing_for, labels, record)",
            "r.yml:24: group \"g\", rule 7, \"T\": invalid label name: 0bad",
            "r.yml:26: group \"g\", rule 7, \"T\": invalid annotation name: 1x",
            "r.yml:30: group \"g\", rule 8, \"D\": for: not a valid duration string: \"1.5m\"",
            "r.yml:31: group \"g\", rule 9, \"NoExpr\": field 'expr' must be set in rule",
            "r.yml:32: groupname: \"g\" is repeated in the same file (first at line 2)",
            "r.yml:34: Groupname must not be empty");
  }

  @Test
  void parse_anchorsAndAliases_areResolvedAsPromtoolDoes() throws Exception {
    RuleFile f =
        RuleFiles.parse(
            "r.yml",
            """
            groups:
            - name: g
              interval: &i 30s
              rules:
              - alert: A
                expr: &e up == 0
                labels: &common
                  severity: warning
                annotations:
                  summary: &notDuration "1.5m"
              - alert: B
                expr: *e
                for: *i
                labels: *common
            """);
    AlertingRuleSpec b = (AlertingRuleSpec) f.groups().get(0).rules().get(1);
    assertThat(b.expr()).isEqualTo("up == 0");
    assertThat(b.forDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.labels()).containsExactly(java.util.Map.entry("severity", "warning"));
  }

  @Test
  void parse_mergeKeys_mergeUnderTheExplicitKeys() throws Exception {
    RuleFile f =
        RuleFiles.parse(
            "r.yml",
            """
            groups:
            - name: g
              rules:
              - alert: A
                expr: up == 0
                labels: &common
                  severity: warning
                  team: a
              - alert: B
                expr: up == 2
                labels:
                  team: b
                  <<: [*common, {owner: ops, team: c}]
            """);
    AlertingRuleSpec b = (AlertingRuleSpec) f.groups().get(0).rules().get(1);
    assertThat(b.labels())
        .containsOnly(
            java.util.Map.entry("severity", "warning"),
            java.util.Map.entry("team", "b"),
            java.util.Map.entry("owner", "ops"));
  }

  @Test
  void parse_aliasErrors_nameTheAliasSite() {
    assertThat(
            problems(
                    """
                    groups:
                    - name: g
                      rules:
                      - alert: A
                        expr: up
                        annotations:
                          summary: &notDuration "1.5m"
                      - alert: B
                        expr: up
                        for: *notDuration
                    """)
                .get(0)
                .toString())
        .isEqualTo(
            "r.yml:10: group \"g\", rule 2, \"B\": for: not a valid duration string: \"1.5m\"");
    assertThat(problems("groups:\n- name: g\n  rules: *nowhere\n").get(0).toString())
        .isEqualTo("r.yml:3: unknown anchor 'nowhere' referenced");
  }

  @Test
  void parse_billionLaughs_isRefusedQuicklyAsExcessiveAliasing() {
    StringBuilder y = new StringBuilder("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      y.append("x").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        y.append(j > 0 ? ", " : "").append("*a").append(i - 1);
      }
      y.append("]\n");
    }
    y.append("groups: []\n");
    List<Problem> ps = problems(y.toString());
    assertThat(ps).extracting(Problem::message).contains("document contains excessive aliasing");
  }

  @Test
  void parse_badYaml_namesTheLine() {
    List<Problem> ps = problems("groups:\n- name: a\n  rules: [\n");
    assertThat(ps).hasSize(1);
    assertThat(ps.get(0).message()).startsWith("not valid YAML");
    assertThat(ps.get(0).line()).isGreaterThan(0);
    assertThat(problems("groups:\n- name: a\n  name: b\n").get(0).toString())
        .isEqualTo("r.yml:3: mapping key \"name\" already defined at line 2");
  }

  @Test
  void parse_unknownTopLevelKeyOrWrongShapes_areProblems() {
    assertThat(problems("group:\n- name: a\n").get(0).message())
        .startsWith("field group not found");
    assertThat(problems("groups: {a: b}\n").get(0).message())
        .isEqualTo("groups: expected a list, got a map");
    assertThat(problems("groups:\n- name: a\n  limit: many\n").get(0).message())
        .isEqualTo("limit: expected an integer, got \"many\"");
    assertThat(problems("groups:\n- name: a\n  interval: 1h1h\n").get(0).message())
        .isEqualTo("interval: not a valid duration string: \"1h1h\"");
    assertThat(
            problems("groups:\n- name: a\n  rules:\n  - alert: x\n    expr: up\n    labels: [a]\n")
                .get(0)
                .message())
        .isEqualTo("labels: expected a map of strings, got a list");
    assertThat(problems("apiVersion: v1\nkind: ConfigMap\nspec:\n  groups: []\n").get(0).toString())
        .isEqualTo(
            "r.yml:1: apiVersion: expected monitoring.coreos.com/v1 for a PrometheusRule, got v1");
  }

  @Test
  void parse_templateErrors_areReportedForAlertingRulesOnly() {
    AnnotationExpander strict =
        new AnnotationExpander() {
          @Override
          public void check(String name, String text) {
            if (text.contains("{{") && !text.contains("}}")) {
              throw new IllegalArgumentException("template: " + name + ":1: unclosed action");
            }
          }

          @Override
          public String expand(String name, String text, Data data) {
            return text;
          }
        };
    String yaml =
        """
        groups:
        - name: g
          rules:
          - record: r
            expr: up
            labels: {a: "{{ x"}
          - alert: X
            expr: up
            labels:
              severity: "{{ $labels.foo"
        """;
    RuleFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuleFileException.class, () -> RuleFiles.parse("r.yml", yaml, strict));
    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "r.yml:10: group \"g\", rule 2, \"X\": label \"severity\": template: __alert_X:1:"
                + " unclosed action");
  }

  @Test
  void parse_withTheDefaultTemplateEngine_reportsTemplateErrorsAsPromtool() {
    List<Problem> ps =
        problems(
            """
            groups:
            - name: g
              rules:
              - alert: X
                expr: up
                labels:
                  severity: "{{ $labels.foo"
                annotations:
                  ok: "{{ $labels.instance }} is {{ humanize $value }}"
                  bad: "{{ nosuchfunc 1 }}"
            """);
    assertThat(ps)
        .extracting(Problem::toString)
        .containsExactly(
            "r.yml:7: group \"g\", rule 1, \"X\": label \"severity\": template: __alert_X:1: unclosed"
                + " action",
            "r.yml:10: group \"g\", rule 1, \"X\": annotation \"bad\": template: __alert_X:1:"
                + " function \"nosuchfunc\" not defined");
  }

  @Test
  void durations_followPrometheusSyntax() {
    assertThat(PromDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(PromDuration.parse("1d2h3m4s5ms")).isEqualTo(Duration.ofMillis(93_784_005L));
    assertThat(PromDuration.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(PromDuration.format(Duration.ZERO)).isEqualTo("0s");
    for (String bad : new String[] {"", "1.5m", "5", "m", "1m1h", "-1m", "1x"}) {
      assertThatThrownBy(() -> PromDuration.parse(bad))
          .hasMessageContaining("not a valid duration string");
    }
  }

  @Test
  void load_globsAndMissingFiles(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("rules"));
    Files.writeString(dir.resolve("rules/b.yml"), "groups: [{name: b, rules: []}]\n");
    Files.writeString(dir.resolve("rules/a.yml"), "groups: [{name: a, rules: []}]\n");
    Files.writeString(dir.resolve("rules/c.txt"), "not yaml: [");
    List<RuleFile> files = RuleFiles.load(List.of("rules/*.yml", "none/*.yml"), dir);
    assertThat(files).extracting(f -> f.groups().get(0).name()).containsExactly("a", "b");
    assertThat(files.get(0).file()).isEqualTo(dir.resolve("rules/a.yml").toString());

    RuleFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            RuleFileException.class,
            () -> RuleFiles.load(List.of("missing.yml", "rules/c.txt"), dir));
    assertThat(e.problems()).hasSize(2);
    assertThat(e.problems().get(0).toString()).isEqualTo("missing.yml: no such file");
    assertThat(e.problems().get(1).file()).endsWith("c.txt");
  }
}
