package dev.vigil.server.relabel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelabelerTest {
  private static final Labels IN =
      Labels.of(
          "__name__",
          "http_requests_total",
          "__address__",
          "host-a:9100",
          "job",
          "node",
          "Mode",
          "Idle");

  private static Labels run(RelabelConfig... rules) {
    return Relabeler.process(IN, List.of(rules));
  }

  private static RelabelConfig rule(
      RelabelAction a, List<String> src, String target, String regex, String replacement) {
    return RelabelConfig.of(a, src, null, target, regex, 0, replacement);
  }

  @Test
  void replace_withGroups_setsTarget() {
    Labels out =
        run(rule(RelabelAction.REPLACE, List.of("__address__"), "instance", "(.*):(\\d+)", "$1"));
    assertThat(out.get("instance")).isEqualTo("host-a");
  }

  @Test
  void replace_goStyleDollarName_takesLongestIdentifier() {
    // In Go, "$1_x" names a group "1_x", which does not exist: the result is "" and deletes.
    Labels out = run(rule(RelabelAction.REPLACE, List.of("job"), "job", "(.*)", "$1_x"));
    assertThat(out.has("job")).isFalse();
    Labels braced = run(rule(RelabelAction.REPLACE, List.of("job"), "job", "(.*)", "${1}_x"));
    assertThat(braced.get("job")).isEqualTo("node_x");
  }

  @Test
  void replace_noMatch_leavesLabels() {
    assertThat(run(rule(RelabelAction.REPLACE, List.of("job"), "x", "other", "y"))).isEqualTo(IN);
  }

  @Test
  void replace_joinsSourcesWithSeparator() {
    RelabelConfig r =
        RelabelConfig.of(RelabelAction.REPLACE, List.of("job", "Mode"), "/", "jm", null, 0, null);
    assertThat(run(r).get("jm")).isEqualTo("node/Idle");
  }

  @Test
  void keepAndDrop_filterOnAnchoredRegex() {
    assertThat(run(rule(RelabelAction.KEEP, List.of("job"), null, "no", null))).isNull();
    assertThat(run(rule(RelabelAction.KEEP, List.of("job"), null, "no.*", null))).isNotNull();
    assertThat(run(rule(RelabelAction.DROP, List.of("job"), null, "node", null))).isNull();
    // Anchored: "od" does not match "node".
    assertThat(run(rule(RelabelAction.DROP, List.of("job"), null, "od", null))).isNotNull();
  }

  @Test
  void keepEqualAndDropEqual_compareWithTarget() {
    Labels l = Labels.of("a", "x", "b", "x", "c", "y");
    RelabelConfig ke =
        RelabelConfig.of(RelabelAction.KEEPEQUAL, List.of("a"), null, "b", null, 0, null);
    RelabelConfig de =
        RelabelConfig.of(RelabelAction.DROPEQUAL, List.of("a"), null, "b", null, 0, null);
    RelabelConfig ke2 =
        RelabelConfig.of(RelabelAction.KEEPEQUAL, List.of("a"), null, "c", null, 0, null);
    assertThat(Relabeler.process(l, List.of(ke))).isEqualTo(l);
    assertThat(Relabeler.process(l, List.of(de))).isNull();
    assertThat(Relabeler.process(l, List.of(ke2))).isNull();
  }

  @Test
  void hashmod_matchesPrometheus() {
    // Prometheus' relabel_test.go: hashmod of "baz" with modulus 1000 is 976.
    RelabelConfig r =
        RelabelConfig.of(RelabelAction.HASHMOD, List.of("a"), null, "h", null, 1000, null);
    assertThat(Relabeler.process(Labels.of("a", "baz"), List.of(r)).get("h")).isEqualTo("976");
  }

  @Test
  void labelmap_labeldrop_labelkeep() {
    Labels l = Labels.of("__meta_x_team", "db", "__meta_x_env", "prod", "job", "j");
    Labels mapped =
        Relabeler.process(
            l,
            List.of(
                RelabelConfig.of(
                    RelabelAction.LABELMAP, List.of(), null, null, "__meta_x_(.+)", 0, "$1")));
    assertThat(mapped.get("team")).isEqualTo("db");
    assertThat(mapped.get("env")).isEqualTo("prod");
    assertThat(mapped.get("__meta_x_team")).isEqualTo("db");
    Labels dropped =
        Relabeler.process(
            mapped,
            List.of(
                RelabelConfig.of(
                    RelabelAction.LABELDROP, List.of(), null, null, "__meta_.*", 0, null)));
    assertThat(dropped.toMap()).containsOnlyKeys("team", "env", "job");
    Labels kept =
        Relabeler.process(
            dropped,
            List.of(
                RelabelConfig.of(
                    RelabelAction.LABELKEEP, List.of(), null, null, "job|env", 0, null)));
    assertThat(kept.toMap()).containsOnlyKeys("env", "job");
  }

  @Test
  void lowercaseAndUppercase() {
    assertThat(run(rule(RelabelAction.LOWERCASE, List.of("Mode"), "mode", null, null)).get("mode"))
        .isEqualTo("idle");
    assertThat(run(rule(RelabelAction.UPPERCASE, List.of("job"), "JOB", null, null)).get("JOB"))
        .isEqualTo("NODE");
  }

  @Test
  void replace_targetWithGroupReference_isExpanded() {
    Labels out = run(rule(RelabelAction.REPLACE, List.of("Mode"), "mode_$1", "(I)dle", "yes"));
    assertThat(out.get("mode_I")).isEqualTo("yes");
  }
}
