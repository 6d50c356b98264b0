package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code query.remote}: every key bound, every bad value refused with file, line and key. */
class RemoteQueryConfigTest {
  @TempDir Path dir;

  private static RemoteQueryConfig bind(String yaml) {
    VigilConfig c = ConfigLoader.parse("vigil.yml", yaml, Map.of());
    return RemoteQueryConfig.bind(c.query(), null);
  }

  @Test
  void absent_meansTheLocalStoreOnly() {
    assertThat(bind("")).isNull();
    assertThat(bind("query: {}\n")).isNull();
  }

  @Test
  void everyKey_isBound_withDefaults() throws Exception {
    Files.writeString(dir.resolve("token.txt"), "s3cret\n");
    RemoteQueryConfig c =
        RemoteQueryConfig.bind(
            ConfigLoader.parse(
                    "vigil.yml",
                    """
                    query:
                      remote:
                        url: http://vm:8428/select/0/prometheus/
                        mode: merge
                        remote_timeout: 10s
                        headers: {X-Scope-OrgID: team-a}
                        authorization: {credentials_file: token.txt}
                        series_limit: 500
                        samples_limit: 100000
                    """,
                    Map.of(),
                    dir)
                .query(),
            dir);
    assertThat(c.url()).hasToString("http://vm:8428/select/0/prometheus");
    assertThat(c.mode()).isEqualTo(RemoteQueryConfig.Mode.MERGE);
    assertThat(c.remoteTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.headers()).containsEntry("X-Scope-OrgID", "team-a");
    assertThat(c.authorizationHeader()).isEqualTo("Bearer s3cret");
    assertThat(c.seriesLimit()).isEqualTo(500);
    assertThat(c.samplesLimit()).isEqualTo(100_000);
    assertThat(c.toString()).doesNotContain("s3cret");

    RemoteQueryConfig d = bind("query:\n  remote:\n    url: https://mimir/prometheus\n");
    assertThat(d.mode()).isEqualTo(RemoteQueryConfig.Mode.REPLACE);
    assertThat(d.remoteTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.seriesLimit()).isEqualTo(RemoteQueryConfig.DEFAULT_SERIES_LIMIT);
    assertThat(d.samplesLimit()).isEqualTo(RemoteQueryConfig.DEFAULT_SAMPLES_LIMIT);
    assertThat(d.authorizationHeader()).isNull();
  }

  @Test
  void badValues_areRefused_namingFileLineAndKey() {
    Map<String, String> cases =
        Map.ofEntries(
            Map.entry(
                "query:\n  remote:\n    mode: merge\n", "vigil.yml:3: query.remote.url: required"),
            Map.entry(
                "query:\n  remote:\n    url: ftp://x\n",
                "query.remote.url: must be an http:// or https:// URL"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428/api/v1/query\n",
                "query.remote.url: give the API's base URL, without /api/v1"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    mode: both\n",
                "query.remote.mode: must be replace or merge, got \"both\""),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    remote_timeout: soon\n",
                "query.remote.remote_timeout"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    series_limit: 0\n",
                "query.remote.series_limit: must be between 1"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    headers: {Authorization: x}\n",
                "query.remote.headers: \"Authorization\" is set by the query client itself"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    tls_config: {insecure_skip_verify: true}\n",
                "query.remote.tls_config: set for an http:// url"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    basic_auth: {username: u, password: p}\n"
                    + "    authorization: {credentials: t}\n",
                "set either basic_auth or authorization, not both"),
            Map.entry(
                "query:\n  remote:\n    url: http://vm:8428\n    read_recent: true\n",
                "query.remote.read_recent: unknown key"),
            Map.entry("query:\n  local: true\n", "query.local: unknown key"),
            Map.entry("query: [a]\n", "query: expected a map"));
    cases.forEach(
        (yaml, message) ->
            assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.yml:")
                .hasMessageContaining(message));
  }

  @Test
  void effectiveConfig_showsTheSection_withSecretsRedacted() {
    VigilConfig c =
        ConfigLoader.parse(
            "vigil.yml",
            "query:\n  remote:\n    url: http://vm:8428\n    basic_auth: {username: u, password: hunter2}\n",
            Map.of());
    assertThat(c.effectiveYaml())
        .contains("remote:")
        .contains("http://vm:8428")
        .doesNotContain("hunter2");
  }
}
