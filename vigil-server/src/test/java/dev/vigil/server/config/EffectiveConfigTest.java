package dev.vigil.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.server.Vigil;
import dev.vigil.server.http.Json;
import dev.vigil.server.testing.TestPki;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link VigilConfig#effectiveYaml()}, served by {@code /api/v1/status/config}: the whole
 * configuration in force (defaults, file, environment overrides, flags) with secrets as {@code
 * <secret>}, which fed back as a file (secrets filled in) gives the same configuration.
 */
class EffectiveConfigTest {
  private static final String READ = "read-token-0123456789";
  private static final String WRITE = "write-token-0123456789";
  private static final String ADMIN = "admin-token-0123456789";
  private static final String BEARER = "bearer-credentials-42";
  private static final String PASSWORD = "basic-password-43";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @TempDir Path dir;

  /** Loads the unredacted rendering of {@code c} as a file and checks it is {@code c} again. */
  private VigilConfig assertRoundTrips(VigilConfig c) throws Exception {
    String yaml = EffectiveYaml.render(c, false);
    Path file = dir.resolve("effective-" + System.nanoTime() + ".yml");
    Files.writeString(file, yaml);
    VigilConfig back = ConfigLoader.load(file, Map.of());
    assertThat(back.global()).isEqualTo(c.global());
    assertThat(back.logLevel()).isEqualTo(c.logLevel());
    assertThat(back.server()).isEqualTo(c.server());
    assertThat(back.storage()).isEqualTo(c.storage());
    assertThat(back.collect()).isEqualTo(c.collect());
    assertThat(back.ingest()).isEqualTo(c.ingest());
    assertThat(back.scrapeConfigs()).isEqualTo(c.scrapeConfigs());
    assertThat(back.ruleFiles()).isEqualTo(c.ruleFiles());
    assertThat(back.dashboard().toPlain()).isEqualTo(c.dashboard().toPlain());
    assertThat(EffectiveYaml.render(back, false)).isEqualTo(yaml);
    return back;
  }

  @Test
  void defaults_renderEveryKey_andRoundTrip() throws Exception {
    VigilConfig d = VigilConfig.defaults();
    String yaml = d.effectiveYaml();
    assertThat(yaml)
        .contains("evaluation_interval: 1m")
        .contains("listen: 127.0.0.1:9470")
        .contains("retention_time: 2w1d")
        .contains("max_body_size: 10MiB")
        .contains("level: info")
        .contains("interval: 5s");
    assertRoundTrips(d);
  }

  @Test
  void browserVitals_areShownAsInForce_andRoundTrip() throws Exception {
    assertThat(VigilConfig.defaults().effectiveYaml())
        .contains("browser_vitals:\n  enabled: false\n");
    VigilConfig c =
        ConfigLoader.parse(
            "v.yml",
            """
            browser_vitals:
              enabled: true
              allowed_origins: [https://Shop.Example:8443]
              pages: [/, /orders/:id, /docs/*]
              max_pages: 7
              rate_limit: 120
              max_body_size: 4KB
            """,
            Map.of());
    VigilConfig back = assertRoundTrips(c);
    assertThat(BrowserVitalsConfig.of(back)).isEqualTo(BrowserVitalsConfig.of(c));
    assertThat(c.effectiveYaml())
        .contains("https://shop.example:8443", "/orders/:id", "max_pages: 7", "rate_limit: 120");
  }

  @Test
  void aFullFile_withEnvironmentOverrides_roundTrips_andRedactsEverySecret() throws Exception {
    TestPki pki = TestPki.create(dir);
    Files.writeString(dir.resolve("password.txt"), PASSWORD + "\n");
    Files.writeString(dir.resolve("targets.json"), "[]");
    String caInline = pki.text("ca.pem").replace("\n", "\n        ");
    String clientKeyInline = pki.text("client-key.pem").replace("\n", "\n        ");
    String clientCertInline = pki.text("client.pem").replace("\n", "\n        ");
    String file =
        """
        global:
          scrape_interval: 30s
          scrape_timeout: 20s
          evaluation_interval: 1m
          external_labels: {region: eu-1, cluster: c2}
        log:
          level: warn
        server:
          listen: 127.0.0.1:9471
          allowed_hosts: [vigil.internal]
          auth:
            read_tokens: [%s]
            write_tokens: [%s]
            admin_tokens: [%s]
          tls:
            cert_file: %s
            key_file: %s
          limits:
            max_body_size: 3MB
            query_timeout: 90s
            query_max_concurrency: 3
        storage:
          path: %s
          retention_time: 30d
          retention_size: 1GB
          wal_fsync: 0
          exemplars: {max_exemplars: 7}
        collect:
          interval: 2s
          gpu: false
          namespace: dinoair_
        ingest:
          max_series: 5000
          samples_per_second: 100
        thread_groups:
          max_groups: 7
          groups:
            - name: planner
              thread_name: 'planner-(worker|io)-\\d+'
        scrape_configs:
          - job_name: node
            params: {module: [a, b]}
            static_configs:
              - targets: ['127.0.0.1:9100']
                labels: {env: dev}
            file_sd_configs:
              - files: [targets.json]
            basic_auth: {username: u, password_file: password.txt}
            relabel_configs:
              - source_labels: [__address__]
                regex: '(.*):\\d+'
                target_label: host
              - action: hashmod
                source_labels: [instance]
                target_label: shard
                modulus: 4
            metric_relabel_configs:
              - action: labeldrop
                regex: tmp_.*
            sample_limit: 100
            body_size_limit: 1MB
          - job_name: secure
            scrape_interval: 10s
            scheme: https
            authorization: {credentials: %s}
            static_configs:
              - targets: ['localhost:9443']
            tls_config:
              ca_file: ca.pem
              cert_file: client.pem
              key_file: client-key.pem
              server_name: target.vigil.test
              min_version: TLS13
          - job_name: inline-tls
            scheme: https
            static_configs:
              - targets: ['localhost:9444']
            tls_config:
              ca: |
                %s
              cert: |
                %s
              key: |
                %s
        slo_files: [slos/*.yml]
        slos:
          - version: prometheus/v1
            service: s
            slos:
              - name: a
                objective: 99
                sli: {raw: {error_ratio_query: 'avg_over_time(x[{{.window}}])'}}
                alerting: {name: A}
        dashboard:
          refresh: {overview: 30s}
        """
            .formatted(
                READ,
                WRITE,
                ADMIN,
                pki.file("server.pem"),
                pki.file("server-key.pem"),
                dir.resolve("data"),
                BEARER,
                caInline,
                clientCertInline,
                clientKeyInline);
    Path path = dir.resolve("vigil.yml");
    Files.writeString(path, file);
    VigilConfig c =
        ConfigLoader.load(
            path, Map.of("VIGIL_SERVER_LISTEN", "127.0.0.1:0", "VIGIL_LOG_LEVEL", "debug"));

    // Environment overrides and flags are part of what runs.
    assertThat(c.server().port()).isZero();
    assertThat(c.logLevel()).isEqualTo(LogLevel.DEBUG);
    VigilConfig back = assertRoundTrips(c);
    assertThat(back.global().externalLabels()).containsEntry("region", "eu-1");
    assertThat(back.threadGroups().maxGroups()).isEqualTo(7);
    assertThat(back.threadGroups().groups())
        .containsExactly(new ThreadGroupsConfig.Group("planner", "planner-(worker|io)-\\d+"));
    assertThat(back.sloFiles()).containsExactly(dir.resolve("slos/*.yml").toString());
    assertThat(SlosConfig.of(back)).extracting(dev.vigil.rules.slo.Slo::id).containsExactly("s-a");

    String redacted = c.effectiveYaml();
    assertThat(redacted)
        .contains("listen: 127.0.0.1:0")
        .contains("level: debug")
        .contains("password_file: " + dir.resolve("password.txt"))
        .contains("ca_file: " + dir.resolve("ca.pem"))
        .contains("key_file: " + dir.resolve("client-key.pem"))
        .contains("BEGIN CERTIFICATE")
        .doesNotContain(READ)
        .doesNotContain(WRITE)
        .doesNotContain(ADMIN)
        .doesNotContain(BEARER)
        .doesNotContain(PASSWORD)
        .doesNotContain("PRIVATE KEY");
    // Redacted and plain differ exactly where a secret is: tokens, credentials, the inline key.
    List<String> secrets = new ArrayList<>();
    diff(YAML.readTree(redacted), YAML.readTree(EffectiveYaml.render(c, false)), "", secrets);
    assertThat(secrets)
        .containsExactlyInAnyOrder(
            "server.auth.read_tokens[0]",
            "server.auth.write_tokens[0]",
            "server.auth.admin_tokens[0]",
            "scrape_configs[1].authorization.credentials",
            "scrape_configs[2].tls_config.key");
  }

  /** Paths where {@code redacted} says {@code <secret>} and {@code plain} the value. */
  private static void diff(JsonNode redacted, JsonNode plain, String path, List<String> out) {
    if (redacted.isObject()) {
      assertThat(plain.isObject()).as(path).isTrue();
      assertThat(redacted.size()).as(path).isEqualTo(plain.size());
      for (Iterator<String> it = redacted.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        diff(redacted.get(k), plain.get(k), path.isEmpty() ? k : path + "." + k, out);
      }
    } else if (redacted.isArray()) {
      assertThat(redacted.size()).as(path).isEqualTo(plain.size());
      for (int i = 0; i < redacted.size(); i++) {
        diff(redacted.get(i), plain.get(i), path + "[" + i + "]", out);
      }
    } else if (!redacted.equals(plain)) {
      assertThat(redacted.asText()).as(path).isEqualTo("<secret>");
      out.add(path);
    }
  }

  @Test
  void statusConfig_ofAServerWithoutAFile_isTheEffectiveConfiguration_inPrometheusShape()
      throws Exception {
    ServerConfig d = ServerConfig.defaults();
    VigilConfig c =
        VigilConfig.defaults()
            .withServer(
                new ServerConfig(
                    "127.0.0.1",
                    0,
                    List.of(READ),
                    List.of(),
                    List.of(),
                    false,
                    d.tls(),
                    d.limits()))
            .withStoragePath(dir.resolve("data"))
            .withCollect(
                new CollectConfig(Duration.ofSeconds(5), false, false, false, false, "x_"));
    try (Vigil v = Vigil.start(c)) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(v.url() + "/api/v1/status/config"))
                      .header("Authorization", "Bearer " + READ)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode j = Json.MAPPER.readTree(r.body());
      assertThat(j.path("status").asText()).isEqualTo("success");
      String yaml = j.path("data").path("yaml").asText();
      assertThat(yaml)
          .contains("read_tokens:\n    - <secret>")
          .contains("listen: 127.0.0.1:0")
          .contains("namespace: x_")
          .contains("scrape_interval: 15s")
          .doesNotContain(READ);
      assertThat(yaml).isEqualTo(c.effectiveYaml());
    }
  }
}
