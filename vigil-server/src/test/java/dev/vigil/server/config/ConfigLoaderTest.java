package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.relabel.RelabelAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static VigilConfig parse(String yaml) {
    return ConfigLoader.parse("vigil.yml", yaml, Map.of());
  }

  private static void assertRejected(String yaml, String expected) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void emptyFile_givesDocumentedDefaults() {
    VigilConfig c = parse("");
    assertThat(c.server().host()).isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(ServerConfig.DEFAULT_PORT);
    assertThat(c.storage().path()).isEqualTo(Path.of("data"));
    assertThat(c.storage().retentionTime()).isEqualTo(Duration.ofDays(15));
    assertThat(c.collect().interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.scrapeConfigs()).isEmpty();
  }

  @Test
  void fullScrapeConfig_isBound() {
    VigilConfig c =
        parse(
            """
            global:
              scrape_interval: 30s
            scrape_configs:
              - job_name: node
                scrape_timeout: 5s
                metrics_path: /m
                params:
                  module: [a, b]
                static_configs:
                  - targets: ['localhost:9100', '[::1]:9100']
                    labels: {env: prod}
                file_sd_configs:
                  - files: [targets/*.json]
                    refresh_interval: 1m
                authorization:
                  credentials: secret-token-123
                honor_labels: true
                honor_timestamps: false
                relabel_configs:
                  - source_labels: [__address__]
                    regex: '(.*):\\d+'
                    target_label: instance
                metric_relabel_configs:
                  - action: labeldrop
                    regex: tmp_.*
                sample_limit: 1000
                label_limit: 30
                label_name_length_limit: 100
                label_value_length_limit: 200
                body_size_limit: 10MB
            """);
    ScrapeConfig j = c.scrapeConfigs().get(0);
    assertThat(j.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(j.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(j.params()).containsEntry("module", java.util.List.of("a", "b"));
    assertThat(j.staticConfigs().get(0).targets()).containsExactly("localhost:9100", "[::1]:9100");
    assertThat(j.staticConfigs().get(0).labels()).containsEntry("env", "prod");
    assertThat(j.fileSdConfigs().get(0).refreshInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(j.bearerToken()).isEqualTo("secret-token-123");
    assertThat(j.honorLabels()).isTrue();
    assertThat(j.honorTimestamps()).isFalse();
    assertThat(j.relabelConfigs().get(0).targetLabel()).isEqualTo("instance");
    assertThat(j.metricRelabelConfigs().get(0).action()).isEqualTo(RelabelAction.LABELDROP);
    assertThat(j.sampleLimit()).isEqualTo(1000);
    assertThat(j.bodySizeLimit()).isEqualTo(10L << 20);
    assertThat(c.text()).contains("<secret>").doesNotContain("secret-token-123");
  }

  @Test
  void logLevel_isPrometheusNames_fileOrEnvironment_andABadOneNamesFileLineAndChoices() {
    assertThat(ConfigLoader.parse("vigil.yml", "", Map.of()).logLevel()).isEqualTo(LogLevel.INFO);
    assertThat(ConfigLoader.parse("vigil.yml", "log:\n  level: error\n", Map.of()).logLevel())
        .isEqualTo(LogLevel.ERROR);
    assertThat(
            ConfigLoader.parse(
                    "vigil.yml", "log:\n  level: error\n", Map.of("VIGIL_LOG_LEVEL", "debug"))
                .logLevel())
        .isEqualTo(LogLevel.DEBUG);
    assertRejected(
        "log:\n  level: verbose\n",
        "vigil.yml:2: log.level: unknown log level \"verbose\" (use debug, info, warn or error)");
  }

  @Test
  void unknownKey_isRejectedWithFileLineAndPath() {
    assertRejected(
        """
        server:
          listen: 127.0.0.1:1234
          lisen: x
        """,
        "vigil.yml:3: server.lisen: unknown key");
  }

  @Test
  void exemplarStorageSize_isBound_defaultsTo100000_andBadValuesNameTheKey() {
    assertThat(parse("").storage().maxExemplars()).isEqualTo(100_000);
    assertThat(parse("storage:\n  exemplars:\n    max_exemplars: 0\n").storage().maxExemplars())
        .isZero();
    assertThat(
            ConfigLoader.parse(
                    "vigil.yml", "", java.util.Map.of("VIGIL_STORAGE_EXEMPLARS_MAX_EXEMPLARS", "5"))
                .storage()
                .maxExemplars())
        .isEqualTo(5);
    assertRejected(
        "storage:\n  exemplars:\n    max_exemplars: -1\n",
        "vigil.yml:3: storage.exemplars.max_exemplars: must be between 0 and 10000000, got -1");
    assertRejected(
        "storage:\n  exemplars:\n    max_exemplar: 5\n",
        "vigil.yml:3: storage.exemplars.max_exemplar: unknown key");
  }

  @Test
  void maxAheadTime_isBound_defaultsToTenMinutes_andAboveAnHourIsRejectedByName() {
    assertThat(parse("").storage().maxAheadTime()).isEqualTo(Duration.ofMinutes(10));
    assertThat(parse("storage:\n  max_ahead_time: 30s\n").storage().maxAheadTime())
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(
            ConfigLoader.parse("vigil.yml", "", Map.of("VIGIL_STORAGE_MAX_AHEAD_TIME", "0s"))
                .storage()
                .maxAheadTime())
        .isZero();
    assertRejected(
        "storage:\n  max_ahead_time: 2h\n",
        "vigil.yml:2: storage.max_ahead_time: must be at most 1h (half the block range)");
  }

  @Test
  void queryThreadsAndQueue_areBound_defaultToCoresAnd32_andBadValuesNameTheKey() {
    var l = parse("").server().limits();
    assertThat(l.queryMaxConcurrency())
        .isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
    assertThat(l.queryQueueLength()).isEqualTo(32);
    var set =
        parse("server:\n  limits:\n    query_max_concurrency: 3\n    query_queue_length: 0\n")
            .server()
            .limits();
    assertThat(set.queryMaxConcurrency()).isEqualTo(3);
    assertThat(set.queryQueueLength()).isZero();
    assertRejected(
        "server:\n  limits:\n    query_queue_length: -1\n",
        "vigil.yml:3: server.limits.query_queue_length: must be between 0 and 10000, got -1");
  }

  @Test
  void unknownTopLevelSection_isRejected() {
    assertRejected("scrape_config: []\n", "vigil.yml:1: scrape_config: unknown key");
  }

  @Test
  void badDuration_namesKeyAndValue() {
    assertRejected(
        """
        scrape_configs:
          - job_name: a
            scrape_interval: 5x
        """,
        "vigil.yml:3: scrape_configs[0].scrape_interval: invalid duration \"5x\"");
  }

  @Test
  void timeoutLongerThanInterval_isRejected() {
    assertRejected(
        """
        scrape_configs:
          - job_name: a
            scrape_interval: 5s
            scrape_timeout: 10s
        """,
        "scrape_configs[0].scrape_timeout: must not be longer than scrape_interval");
  }

  @Test
  void collectIntervalBelowOneSecond_isRejected() {
    assertRejected(
        "collect:\n  interval: 500ms\n", "vigil.yml:2: collect.interval: must be at least 1s");
  }

  @Test
  void badBoolean_badListen_badAction_badRegex_areRejected() {
    assertRejected("collect:\n  jvm: yes please\n", "collect.jvm: expected true or false");
    assertRejected(
        "server:\n  listen: nowhere\n", "vigil.yml:2: server.listen: expected host:port");
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: explode\n",
        "vigil.yml:4: scrape_configs[0].relabel_configs[0].action: unknown relabel action \"explode\"");
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: '(('\n        action: drop\n",
        "relabel_configs[0].regex: invalid regular expression");
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action: hashmod\n        target_label: x\n",
        "modulus: required");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"(a)\\1", "(?=a)", "a++"})
  void relabelRegex_syntaxRe2Refuses_isRejectedNamingIt(String re) {
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: '"
            + re
            + "'\n        action: drop\n",
        "vigil.yml:4: scrape_configs[0].relabel_configs[0].regex: invalid regular expression");
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      - action: labeldrop\n        regex: '"
            + re
            + "'\n",
        "scrape_configs[0].metric_relabel_configs[0].regex: invalid regular expression \""
            + re.replace("\\", "\\\\")
            + "\"");
  }

  @Test
  void duplicateJobAndDuplicateKey_areRejected() {
    assertRejected(
        "scrape_configs:\n  - job_name: a\n  - job_name: a\n",
        "vigil.yml:3: scrape_configs[1].job_name: duplicate job name \"a\"");
    assertRejected("storage:\n  path: a\n  path: b\n", "vigil.yml:3: path: duplicate key");
  }

  @Test
  void targetWithScheme_isRejected() {
    assertRejected(
        "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['http://x:1/metrics']\n",
        "is not host:port");
  }

  @Test
  void invalidYaml_namesLine() {
    assertRejected("server:\n  listen: [unclosed\n", "vigil.yml:");
  }

  @Test
  void allowedHosts_areNamesOnly() {
    assertThat(
            parse("server:\n  allowed_hosts: [vigil.internal, Grafana-Host]\n")
                .server()
                .allowedHosts())
        .containsExactly("vigil.internal", "Grafana-Host");
    assertThat(parse("").server().allowedHosts()).isEmpty();
    assertRejected(
        "server:\n  allowed_hosts: ['http://vigil.internal:9470']\n",
        "server.allowed_hosts: \"http://vigil.internal:9470\" is not a host name");
  }

  @Test
  void publicListenWithoutReadTokens_isRefusedUnlessAllowed() {
    assertRejected("server:\n  listen: 0.0.0.0:9470\n", "server.allow_unauthenticated: true");
    assertThat(
            parse("server:\n  listen: 0.0.0.0:9470\n  allow_unauthenticated: true\n")
                .server()
                .host())
        .isEqualTo("0.0.0.0");
    assertThat(
            parse(
                    "server:\n  listen: 0.0.0.0:9470\n  auth:\n    read_tokens: [abcdefghijklmnopqrst]\n")
                .server()
                .readTokens())
        .containsExactly("abcdefghijklmnopqrst");
  }

  @Test
  void shortToken_isRejected() {
    assertRejected(
        "server:\n  auth:\n    admin_tokens: [short]\n",
        "server.auth.admin_tokens: tokens must be at least 16");
  }

  @Test
  void environment_overridesFile() {
    VigilConfig c =
        ConfigLoader.parse(
            "vigil.yml",
            "storage:\n  path: /a\n",
            Map.of(
                "VIGIL_STORAGE_PATH", "/b",
                "VIGIL_SERVER_LISTEN", "127.0.0.1:1111",
                "VIGIL_SERVER_AUTH_WRITE_TOKENS", "aaaaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbbbbbb",
                "VIGIL_JAVA_OPTS", "-Xmx1g"));
    assertThat(c.storage().path()).isEqualTo(Path.of("/b"));
    assertThat(c.server().port()).isEqualTo(1111);
    assertThat(c.server().writeTokens())
        .containsExactly("aaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb");
  }

  @Test
  void badEnvironmentValue_namesTheVariable() {
    assertThatThrownBy(
            () -> ConfigLoader.parse("vigil.yml", "", Map.of("VIGIL_COLLECT_INTERVAL", "soon")))
        .hasMessageContaining("env VIGIL_COLLECT_INTERVAL: collect.interval: invalid duration");
  }

  @Test
  void missingFile_isNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yml"), Map.of()))
        .hasMessageContaining("nope.yml: no such file");
  }

  @Test
  void exampleFile_inRepository_isValid() throws Exception {
    Path example = Path.of(System.getProperty("vigil.root", "..")).resolve("vigil.example.yml");
    assertThat(example).exists();
    VigilConfig c = ConfigLoader.load(example, Map.of());
    assertThat(c.scrapeConfigs()).isNotEmpty();
    assertThat(Files.readString(example)).contains("scrape_configs");
  }

  @Test
  void sizes_parseLikePrometheus() {
    assertThat(ByteSizes.parseBytes("512KB")).isEqualTo(512L << 10);
    assertThat(ByteSizes.parseBytes("2GiB")).isEqualTo(2L << 30);
    assertThat(ByteSizes.parseBytes("123")).isEqualTo(123);
    assertThatThrownBy(() -> ByteSizes.parseBytes("lots")).hasMessageContaining("invalid size");
  }
}
