package dev.vigil.server.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.PushConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code push} section: defaults, and each bad value refused with file, line and key. */
class PushConfigTest {
  private static PushConfig bind(String yaml) {
    return PushConfig.bind(ConfigLoader.parse("vigil.yml", yaml, Map.of()).push(), null);
  }

  private static void refused(String yaml, String... parts) {
    assertThatThrownBy(() -> bind(yaml))
        .isInstanceOf(ConfigException.class)
        .message()
        .contains(parts);
  }

  @Test
  void absent_meansNoTargets() {
    assertThat(bind("").targets()).isEmpty();
  }

  @Test
  void defaults_areFilledIn_andNamesFollowThePosition() {
    PushConfig c =
        bind(
            """
            push:
              otlp:
                - url: http://c:4318/v1/metrics
              influxdb:
                - url: http://i:8086
                  database: db
            """);
    PushConfig.Target o = c.targets().get(0);
    assertThat(o.name()).isEqualTo("otlp-0");
    assertThat(o.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.serviceName()).isEqualTo("vigil");
    assertThat(o.match()).containsExactly("{__name__=~\".+\"}");
    PushConfig.Target i = c.targets().get(1);
    assertThat(i.name()).isEqualTo("influxdb-0");
    assertThat(i.precision()).isEqualTo("ms");
    assertThat(i.authorizationHeader()).isNull();
  }

  @Test
  void badValues_areRefused_withFileLineAndKey() {
    refused("push:\n  otlp:\n    - interval: 10s\n", "vigil.yml:3", "push.otlp[0].url", "required");
    refused(
        "push:\n  otlp:\n    - url: ftp://x/v1/metrics\n",
        "vigil.yml:3",
        "push.otlp[0].url",
        "http:// or https://");
    refused(
        "push:\n  influxdb:\n    - url: http://i:8086\n", "push.influxdb[0].database", "required");
    refused(
        "push:\n  influxdb:\n    - url: http://i:8086\n      database: d\n      precision: us\n",
        "vigil.yml:5",
        "push.influxdb[0].precision",
        "ns, u, ms, s, m, h");
    refused(
        "push:\n  influxdb:\n    - url: http://i:8086/write?db=d\n      database: d\n",
        "push.influxdb[0].url",
        "must not carry a query");
    refused(
        "push:\n  otlp:\n    - url: http://c/v1/metrics\n      interval: 5s\n      timeout: 6s\n",
        "push.otlp[0].timeout",
        "longer than interval");
    refused(
        "push:\n  otlp:\n    - url: http://c/v1/metrics\n      match: ['up{']\n",
        "push.otlp[0].match",
        "not a series selector");
    refused(
        "push:\n  otlp:\n    - url: http://c/v1/metrics\n      headers: {Authorization: x}\n",
        "push.otlp[0].headers",
        "basic_auth or authorization");
    refused(
        "push:\n  otlp:\n    - url: http://c/v1/metrics\n      tls_config: {insecure_skip_verify: true}\n",
        "push.otlp[0].tls_config",
        "https://");
    refused(
        "push:\n  otlp:\n    - url: http://c/v1/metrics\n      database: d\n",
        "push.otlp[0]",
        "database");
    refused("push:\n  graphite: []\n", "push", "graphite");
    refused(
        "push:\n  statsd:\n    - url: http://s:8125\n", "push.statsd[0].url", "udp://host:port");
    refused(
        "push:\n  statsd:\n    - url: udp://s:8125\n      headers: {a: b}\n",
        "push.statsd[0]",
        "headers");
    refused(
        "push:\n  otlp:\n    - url: http://a/v1/metrics\n      name: x\n"
            + "  influxdb:\n    - url: http://b:8086\n      database: d\n      name: x\n",
        "two targets are named \"x\"");
  }

  @Test
  void credentials_becomeTheAuthorizationHeader() {
    PushConfig c =
        bind(
            """
            push:
              otlp:
                - url: https://c:4318/v1/metrics
                  authorization: {credentials: tok}
            """);
    assertThat(c.targets().get(0).authorizationHeader()).isEqualTo("Bearer tok");
    assertThat(c.targets().get(0).toString()).doesNotContain("tok");
    assertThat(List.of(c.targets().get(0).headers())).containsExactly(Map.of());
  }
}
