package dev.vigil.notify.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NotifyConfigTest {
  static final String BASE =
      """
      route:
        receiver: r
        group_by: ['...']
        routes:
          - match: {team: db}
            match_re: {severity: 'crit.*'}
            matchers: ['env=~"prod|stage"', 'zone!="b,c"']
            receiver: r
            group_wait: 5s
            continue: true
      receivers:
        - name: r
          webhook_configs: [{url: http://127.0.0.1:1/x}]
      """;

  @Test
  void parse_inheritsParentSettings_andSortsMatchersAsAlertmanager() {
    NotifyConfig c = NotifyConfig.parse("am.yml", BASE);
    Route child = c.root.routes.get(0);
    assertThat(child.groupByAll).isTrue();
    assertThat(child.groupWait).isEqualTo(Duration.ofSeconds(5));
    assertThat(child.groupInterval).isEqualTo(Route.DEFAULT_GROUP_INTERVAL);
    assertThat(child.key)
        .isEqualTo("{}/{env=~\"prod|stage\",severity=~\"crit.*\",team=\"db\",zone!=\"b,c\"}");
    assertThat(
            c.root.match(Map.of("team", "db", "severity", "critical", "env", "prod", "zone", "a")))
        .containsExactly(child);
    assertThat(c.root.match(Map.of("team", "db", "severity", "critical", "env", "production")))
        .containsExactly(c.root);
  }

  @Test
  void unknownKey_isRefusedWithFileLineAndKey() {
    String bad = BASE.replace("      group_wait: 5s", "      group_wiat: 5s");
    assertThatThrownBy(() -> NotifyConfig.parse("am.yml", bad))
        .hasMessage("am.yml:9: route.routes[0].group_wiat: unknown key");
  }

  @Test
  void undefinedReceiver_badDuration_badMatcher_unsupportedIntegration_areRefused() {
    assertThatThrownBy(
            () ->
                NotifyConfig.parse(
                    "f",
                    BASE.replace(
                        "receiver: r\n      group_wait", "receiver: nobody\n      group_wait")))
        .hasMessage("f:8: route.routes[0].receiver: undefined receiver \"nobody\" used in route");
    assertThatThrownBy(() -> NotifyConfig.parse("f", BASE.replace("5s", "5 seconds")))
        .hasMessage("f:9: route.routes[0].group_wait: not a valid duration string: \"5 seconds\"");
    assertThatThrownBy(
            () -> NotifyConfig.parse("f", BASE.replace("'env=~\"prod|stage\"'", "'env=~\"(\"'")))
        .hasMessageStartingWith("f:7: route.routes[0].matchers: invalid regular expression \"(\"");
    assertThatThrownBy(
            () -> NotifyConfig.parse("f", BASE + "    pagerduty_configs: [{routing_key: x}]\n"))
        .hasMessageStartingWith(
            "f:14: receivers[0].pagerduty_configs: not supported by this version of Vigil");
    assertThatThrownBy(
            () ->
                NotifyConfig.parse(
                    "f",
                    BASE.replace(
                        "route:\n  receiver: r\n", "route:\n  matchers: [a=b]\n  receiver: r\n")))
        .hasMessageContaining("root route must not have any matchers");
  }

  @Test
  void badTimeInterval_isRefusedAtBind_withLineAndAlertmanagersWording() {
    String yaml =
        BASE
            + """
            time_intervals:
              - name: nights
                time_intervals:
                  - times: [{start_time: '23:00', end_time: '22:00'}]
            """;
    assertThatThrownBy(() -> NotifyConfig.parse("f", yaml))
        .hasMessage(
            "f:17: time_intervals[0].time_intervals: times: start time cannot be equal or greater than end time");
  }

  @Test
  void matcherSyntax_quotedUnquotedAndLists() {
    assertThat(Matcher.parseList("{a=\"x,y\", b=~c.*, d!=\"q\\\"\"}").toString())
        .isEqualTo("[a=\"x,y\", b=~\"c.*\", d!=\"q\\\"\"]");
    assertThat(Matcher.parse("b=~c.*").matches(Map.of("b", "cde"))).isTrue();
    assertThat(Matcher.parse("b=~c").matches(Map.of("b", "cde"))).isFalse(); // anchored
    assertThat(Matcher.parse("missing=\"\"").matches(Map.of())).isTrue();
  }
}
