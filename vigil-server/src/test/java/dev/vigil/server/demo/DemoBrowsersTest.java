package dev.vigil.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.MetricRegistry;
import dev.vigil.server.Vigil;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.ServerConfig;
import dev.vigil.server.config.VigilConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's simulated browsers against a running Vigil's real {@code POST /api/v1/vitals}: every
 * beacon is accepted, and every vital, resource kind and mark the Browser page charts gets series
 * under the page templates the endpoint names.
 */
class DemoBrowsersTest {
  @TempDir Path dir;

  private Vigil start(String vitals) throws Exception {
    String yaml = "collect:\n  system: false\n  jvm: false\n  gpu: false\n  self: false\n" + vitals;
    ServerConfig d = ServerConfig.defaults();
    ServerConfig sc =
        new ServerConfig(
            "127.0.0.1", 0, List.of(), List.of(), List.of(), false, d.tls(), d.limits());
    VigilConfig config =
        ConfigLoader.parse("demo-browsers.yml", yaml, Map.of())
            .withServer(sc)
            .withStoragePath(dir.resolve("data"));
    return Vigil.start(config);
  }

  @Test
  void beacons_areAcceptedByTheEndpoint_andFeedEveryBrowserPageSeries() throws Exception {
    try (Vigil v =
            start("browser_vitals:\n  enabled: true\n  rate_limit: 100000\n  rate_burst: 1000\n");
        DemoBrowsers browsers = new DemoBrowsers(URI.create(v.url()), 7, Duration.ofMillis(10))) {
      browsers.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (browsers.sent() < 60 && System.nanoTime() < deadline) {
        Thread.sleep(20); // polls a running sender, no latch to wait on
      }
      browsers.close();
      assertThat(browsers.sent()).isGreaterThanOrEqualTo(60);
      assertThat(browsers.failed()).as("beacons refused").isZero();

      String metrics = get(v, "/metrics");
      for (String page : List.of("/desktop", "/apps/:id", "/chat", "/settings")) {
        String l = "{page=\"" + page + "\"}";
        assertThat(count(metrics, "vigil_browser_lcp_seconds_count" + l)).as(page).isPositive();
        for (String vital :
            List.of(
                "fcp_seconds",
                "ttfb_seconds",
                "inp_seconds",
                "fid_seconds",
                "cls",
                "load_seconds",
                "dom_content_loaded_seconds")) {
          assertThat(count(metrics, "vigil_browser_" + vital + "_count" + l))
              .as("%s %s", vital, page)
              .isPositive();
        }
        for (String kind : List.of("script", "css", "fetch")) {
          assertThat(
                  count(
                      metrics,
                      "vigil_browser_resource_duration_seconds_count{kind=\""
                          + kind
                          + "\",page=\""
                          + page
                          + "\"}"))
              .isPositive();
        }
        assertThat(
                count(
                    metrics,
                    "vigil_browser_mark_seconds_count{mark=\"app_ready\",page=\"" + page + "\"}"))
            .isPositive();
      }
      assertThat(
              count(
                  metrics,
                  "vigil_browser_mark_seconds_count{mark=\"first_message\",page=\"/chat\"}"))
          .isPositive();
      // Each beacon is one page view, counted once as accepted.
      assertThat(count(metrics, "vigil_browser_beacons_total{result=\"accepted\"}"))
          .isEqualTo(browsers.sent());
    }
  }

  @Test
  void demo_runsBrowsersOnlyWhenBrowserVitalsAreOn() throws Exception {
    try (Vigil v = start("");
        DemoApplications demo =
            new DemoApplications(
                DemoApplications.recorders("app"), new MetricRegistry(), 7, () -> 0L)) {
      assertThat(demo.browsers(v.config(), v.url())).isFalse();
    }
    try (Vigil v = start("browser_vitals:\n  enabled: true\n");
        DemoApplications demo =
            new DemoApplications(
                DemoApplications.recorders("app"), new MetricRegistry(), 7, () -> 0L)) {
      assertThat(demo.browsers(v.config(), "https://127.0.0.1:1")).isFalse();
      assertThat(demo.browsers(v.config(), v.url())).isTrue();
    }
  }

  private static double count(String metrics, String series) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static String get(Vigil v, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(v.url() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
