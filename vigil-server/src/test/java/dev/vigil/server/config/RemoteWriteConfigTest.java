package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code remote_write} section: Prometheus' keys and defaults, bad values named by line. */
class RemoteWriteConfigTest {
  private static List<RemoteWriteConfig> bind(String yaml) {
    VigilConfig c = ConfigLoader.parse("vigil.yml", yaml, Map.of());
    return RemoteWriteConfig.bindAll(c.remoteWrite(), null);
  }

  private static void rejected(String yaml, String message) {
    assertThatThrownBy(() -> bind(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void absentSection_isNoQueue() {
    assertThat(bind("")).isEmpty();
  }

  @Test
  void everyKey_isBound_withPrometheusDefaultsForTheRest() {
    List<RemoteWriteConfig> all =
        bind(
            """
            remote_write:
              - url: https://rw.example:8443/api/v1/write
                name: central
                remote_timeout: 10s
                headers: {X-Scope-OrgID: team-a}
                authorization: {credentials: secret-token}
                tls_config: {insecure_skip_verify: true}
                write_relabel_configs:
                  - {source_labels: [__name__], regex: go_.*, action: drop}
                queue_config: {capacity: 500, min_shards: 2, max_shards: 4, max_samples_per_send: 100,
                  batch_send_deadline: 1s, min_backoff: 10ms, max_backoff: 1s, retry_on_http_429: false}
                metadata_config: {send: false, send_interval: 2m}
                send_exemplars: true
              - url: http://other:9090/api/v1/write
                protobuf_message: io.prometheus.write.v2.Request
            """);
    RemoteWriteConfig c = all.get(0);
    assertThat(c.name()).isEqualTo("central");
    assertThat(c.remoteTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.headers()).containsEntry("X-Scope-OrgID", "team-a");
    assertThat(c.authorizationHeader()).isEqualTo("Bearer secret-token");
    assertThat(c.tls()).isNotNull();
    assertThat(c.writeRelabelConfigs()).hasSize(1);
    assertThat(c.queue())
        .isEqualTo(
            new RemoteWriteConfig.Queue(
                500,
                2,
                4,
                100,
                Duration.ofSeconds(1),
                Duration.ofMillis(10),
                Duration.ofSeconds(1),
                false));
    assertThat(c.sendExemplars()).isTrue();
    assertThat(c.toString()).doesNotContain("secret-token");
    RemoteWriteConfig d = all.get(1);
    assertThat(d.name()).matches("[0-9a-f]{6}");
    assertThat(d.queue()).isEqualTo(RemoteWriteConfig.Queue.DEFAULTS);
    assertThat(d.protobufMessage()).isEqualTo(RemoteWriteConfig.V2);
    assertThat(d.remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void badValues_nameFileLineAndKey() {
    rejected("remote_write:\n  - name: x\n", "vigil.yml:2: remote_write[0].url: required");
    rejected(
        "remote_write:\n  - url: ftp://x/\n",
        "vigil.yml:2: remote_write[0].url: must be an http:// or https:// URL");
    rejected(
        "remote_write:\n  - url: http://x/\n    queue_config:\n      min_shards: 5\n      max_shards: 2\n",
        "remote_write[0].queue_config.min_shards: is 5, more than max_shards (2)");
    rejected(
        "remote_write:\n  - url: http://x/\n    headers: {Content-Encoding: gzip}\n",
        "remote_write[0].headers: \"Content-Encoding\" is set by remote write itself");
    rejected(
        "remote_write:\n  - url: http://x/\n    protobuf_message: v3\n",
        "remote_write[0].protobuf_message: must be prometheus.WriteRequest or"
            + " io.prometheus.write.v2.Request");
    rejected(
        "remote_write:\n  - url: http://x/\n    metadata_config: {send: true}\n",
        "remote_write[0].metadata_config.send: sending metadata is not supported");
    rejected(
        "remote_write:\n  - url: http://x/\n    sigv4: {region: eu}\n",
        "remote_write[0].sigv4: unknown key");
    rejected(
        "remote_write:\n  - url: http://x/\n    tls_config: {insecure_skip_verify: true}\n",
        "remote_write[0].tls_config: set for an http:// url");
    rejected(
        "remote_write:\n  - url: http://x/\n    basic_auth: {username: u, password: p}\n"
            + "    authorization: {credentials: t}\n",
        "set either basic_auth or authorization, not both");
  }

  @Test
  void twoQueuesWithOneName_areRefused_alsoWhenTheNameIsTheUrlsHash() {
    rejected(
        "remote_write:\n  - url: http://a/\n    name: q\n  - url: http://b/\n    name: q\n",
        "remote_write[1].name: two remote_write entries are named \"q\"");
    rejected(
        "remote_write:\n  - url: http://a/\n  - url: http://a/\n",
        "remote_write[1].url: two remote_write entries are named");
  }
}
