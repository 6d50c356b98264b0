package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-agent resources ({@code thread_groups}) and incidents through {@code Vigil.start}: the
 * configured groups, the code API and the recorders are on Vigil's own {@code /metrics}, over real
 * HTTP; a reload applies new groups.
 */
class AgentResourcesServerTest {
  @TempDir Path dir;

  private static String get(HttpClient client, String url) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url).isEqualTo(200);
    return r.body();
  }

  private static double sample(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(exposition);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  @Test
  void threadGroupsAndIncidents_areServedOnMetrics_andAReloadAppliesNewGroups() throws Exception {
    Path file = dir.resolve("vigil.yml");
    String data = dir.resolve("data").toString().replace("\\", "/");
    Files.writeString(
        file,
        "storage:\n  path: \""
            + data
            + "\"\nserver:\n  listen: 127.0.0.1:0\n"
            + "thread_groups:\n  max_groups: 5\n  groups:\n"
            + "    - name: indexer\n      thread_name: indexer-worker-\\d+\n");
    VigilConfig config = ConfigLoader.load(file, Map.of());
    assertThat(config.threadGroups().maxGroups()).isEqualTo(5);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch running = new CountDownLatch(1);
    Runnable waiting =
        () -> {
          running.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    Thread indexer = new Thread(waiting, "indexer-worker-1");
    Thread reviewer = new Thread(waiting, "reviewer-worker-1");
    ExecutorService shared = Executors.newSingleThreadExecutor();
    try (Vigil v = Vigil.builder(config).configFile(file, Map.of()).start();
        HttpClient client = HttpClient.newHttpClient()) {
      indexer.start();
      running.await();
      Executor planner = v.threadGroups().track("planner", shared);
      CountDownLatch done = new CountDownLatch(1);
      planner.execute(
          () -> {
            long end = System.nanoTime() + 20_000_000L;
            long x = 0;
            while (System.nanoTime() < end) {
              x += Long.numberOfTrailingZeros(System.nanoTime());
            }
            if (x == 42) {
              System.out.print("");
            }
            done.countDown();
          });
      assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
      v.recorders().recordIncidentStart("service", "comfyui");
      v.recorders().recordRecovered("service", "comfyui");
      v.recorders().recordIncidentStart("agent", "indexer");

      String metrics = get(client, v.url() + "/metrics");
      assertThat(sample(metrics, "vigil_thread_group_threads{group=\"indexer\"}")).isEqualTo(1);
      assertThat(sample(metrics, "vigil_thread_group_cpu_seconds_total{group=\"planner\"}"))
          .isPositive();
      assertThat(sample(metrics, "vigil_thread_group_allocated_bytes_total{group=\"indexer\"}"))
          .isNotNaN();
      assertThat(sample(metrics, "app_incidents_total{name=\"comfyui\",scope=\"service\"}"))
          .isEqualTo(1);
      assertThat(sample(metrics, "app_incidents_open{name=\"indexer\",scope=\"agent\"}"))
          .isEqualTo(1);
      assertThat(
              sample(
                  metrics,
                  "app_incident_recovery_duration_seconds_count{name=\"comfyui\",scope=\"service\"}"))
          .isEqualTo(1);
      assertThat(sample(metrics, "vigil_thread_group_threads{group=\"reviewer\"}")).isNaN();

      // The effective configuration shows the section; a reload adds the reviewer group.
      assertThat(get(client, v.url() + "/api/v1/status/config"))
          .contains("thread_groups:")
          .contains("indexer-worker-");
      Files.writeString(
          file,
          Files.readString(file)
              + "    - name: reviewer\n      thread_name: reviewer-worker-\\d+\n");
      reviewer.start();
      assertThat(v.reload()).isNull();
      String after = get(client, v.url() + "/metrics");
      assertThat(sample(after, "vigil_thread_group_threads{group=\"reviewer\"}")).isEqualTo(1);
      assertThat(v.config().threadGroups().groups()).hasSize(2);
    } finally {
      release.countDown();
      indexer.join();
      reviewer.join(); // returns at once when it never started
      shared.shutdown();
    }
  }

  @Test
  void badThreadGroups_areRefusedNamingKeyAndLine() {
    Map<String, String> cases =
        Map.of(
            "thread_groups:\n  groups:\n    - name: a\n      thread_name: \"(\"\n",
            "thread_groups.groups[0].thread_name: not a valid regular expression",
            "thread_groups:\n  groups:\n    - thread_name: a.*\n",
            "thread_groups.groups[0].name: is required",
            "thread_groups:\n  groups:\n    - name: other\n      thread_name: a.*\n",
            "\"other\" is reserved",
            "thread_groups:\n  groups:\n    - name: a\n      thread_name: a.*\n"
                + "    - name: a\n      thread_name: b.*\n",
            "thread_groups.groups[1].name: duplicate group \"a\"",
            "thread_groups:\n  max_groups: 1\n  groups:\n    - name: a\n      thread_name: a.*\n"
                + "    - name: b\n      thread_name: b.*\n",
            "more than max_groups (1)",
            "thread_groups:\n  max_groups: 0\n",
            "thread_groups.max_groups: must be between 1",
            "thread_groups:\n  groups:\n    - name: a\n      pattern: a.*\n",
            "thread_groups.groups[0]",
            "thread_groups:\n  sizes: 3\n",
            "thread_groups.sizes: unknown key");
    cases.forEach(
        (yaml, message) ->
            assertThatThrownBy(() -> ConfigLoader.parse("vigil.yml", yaml, Map.of()))
                .as(yaml)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("vigil.yml:")
                .hasMessageContaining(message));
  }
}
