package dev.vigil.server.seeds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.model.Labels;
import dev.vigil.promql.Engine;
import dev.vigil.promql.test.MemoryStorage;
import dev.vigil.report.ReportRunner;
import dev.vigil.server.config.ConfigLoader;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** reports.schedule on the server: runs on an injected clock, follows a reloaded section. */
class ScheduledReportsTest {
  @TempDir Path dir;

  private static final class TestClock extends Clock {
    final AtomicReference<Instant> now;

    TestClock(String t) {
      now = new AtomicReference<>(Instant.parse(t));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  private VigilConfig config(String schedule) {
    return ConfigLoader.parse("vigil.yml", "reports:\n  schedule:\n" + schedule, Map.of());
  }

  private static Map<String, Double> counter(ScheduledReports s, String name) {
    Map<String, Double> m = new TreeMap<>();
    for (MetricSnapshot snap : s.collect()) {
      if (snap.metadata().name().equals(name)) {
        snap.dataPoints()
            .forEach(
                p ->
                    m.put(
                        p.labels().get("report"),
                        ((dev.vigil.metrics.model.CounterDataPoint) p).value()));
      }
    }
    return m;
  }

  @Test
  void runsDueReports_andAReloadedSectionReplacesTheSchedule_keepingTheCounts() throws Exception {
    MemoryStorage db = new MemoryStorage();
    db.add(
        Labels.of("__name__", "app_api_requests_total", "service", "a"),
        Instant.parse("2026-03-01T23:00:00Z").toEpochMilli(),
        1);
    Engine engine = Engine.builder(db).build();
    Reports reports = new Reports(() -> null, new ReportRunner(() -> engine, "app_"));
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    AtomicReference<VigilConfig> cfg =
        new AtomicReference<>(
            config(
                "    - {cron: \"0 0 * * *\", report: system_performance, format: md, folder: "
                    + a
                    + "}\n"));
    TestClock clock = new TestClock("2026-03-01T23:59:30Z");
    try (ScheduledReports s = new ScheduledReports(cfg::get, reports, clock)) {
      s.tick();
      assertThat(a).doesNotExist();
      clock.now.set(Instant.parse("2026-03-02T00:00:10Z"));
      s.tick();
      assertThat(a.resolve("system_performance-20260302T0000Z.md")).exists();
      assertThat(counter(s, "vigil_report_schedule_runs")).containsEntry("system_performance", 1.0);

      cfg.set(config("    - {cron: \"@hourly\", report: cost, format: json, folder: " + b + "}\n"));
      s.tick(); // applies the new section; nothing due at 00:00:10
      assertThat(b).doesNotExist();
      clock.now.set(Instant.parse("2026-03-02T01:00:05Z"));
      s.tick();
      assertThat(Files.readString(b.resolve("cost-20260302T0100Z.json")))
          .startsWith("{\"name\":\"cost\"");
      try (var files = Files.list(a)) {
        assertThat(files.count()).isEqualTo(1); // the old schedule no longer runs
      }
      assertThat(counter(s, "vigil_report_schedule_runs"))
          .containsEntry("system_performance", 1.0)
          .containsEntry("cost", 1.0);
      assertThat(counter(s, "vigil_report_schedule_failures"))
          .containsEntry("system_performance", 0.0)
          .containsEntry("cost", 0.0);
    }
  }
}
