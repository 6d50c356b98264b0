package dev.vigil.server.seeds;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricType;
import dev.vigil.notify.builtin.NotifyConfig;
import dev.vigil.report.ReportScheduler;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.NotifyYaml;
import dev.vigil.server.config.ReportsConfig;
import dev.vigil.server.config.VigilConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code reports.schedule} on a running server: one daemon thread ticks every {@link
 * ReportScheduler#TICK}, rebuilds the schedule when a reload changed the {@code reports} section,
 * and runs the due reports. Exposes {@code vigil_report_schedule_runs_total} and {@code
 * vigil_report_schedule_failures_total} per report (kept across reloads).
 */
final class ScheduledReports implements Collector, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScheduledReports.class);

  private final Supplier<VigilConfig> config;
  private final Reports reports;
  private final Clock clock;
  private final Map<String, Long> retiredRuns = new TreeMap<>();
  private final Map<String, Long> retiredFailures = new TreeMap<>();
  private Object section;
  private ReportScheduler scheduler;
  private ScheduledExecutorService loop;

  ScheduledReports(Supplier<VigilConfig> config, Reports reports, Clock clock) {
    this.config = config;
    this.reports = reports;
    this.clock = clock;
  }

  synchronized void start() {
    refresh();
    loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-report-scheduler");
              t.setDaemon(true);
              return t;
            });
    long ms = ReportScheduler.TICK.toMillis();
    loop.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** One tick: applies a changed section, then runs what is due (the loop calls it; tests too). */
  void tick() {
    try {
      ReportScheduler s;
      synchronized (this) {
        refresh();
        s = scheduler;
      }
      if (s != null) {
        s.runDue();
      }
    } catch (RuntimeException e) {
      LOG.error("scheduled reports: tick failed", e);
    }
  }

  /** Rebuilds the schedule when the section in force changed. */
  private void refresh() {
    VigilConfig c = config.get();
    Object now = c.reports().toPlain();
    if (now.equals(section)) {
      return;
    }
    ReportsConfig rc;
    try {
      rc = Reports.bind(c);
    } catch (ConfigException e) {
      LOG.warn("reports.schedule: keeping the running schedule: {}", e.getMessage());
      section = now;
      return;
    }
    section = now;
    if (scheduler != null) {
      scheduler.runs().forEach((k, v) -> retiredRuns.merge(k, v, Long::sum));
      scheduler.failures().forEach((k, v) -> retiredFailures.merge(k, v, Long::sum));
    }
    scheduler =
        rc.jobs().isEmpty()
            ? null
            : new ReportScheduler(
                rc.jobs(),
                rc.zone(),
                clock,
                reports.library(),
                reports.runner(),
                this::notifyConfig);
    if (scheduler != null) {
      LOG.info("reports.schedule: {} job(s), next at {}", rc.jobs().size(), scheduler.nextRuns());
    }
  }

  private NotifyConfig notifyConfig() {
    VigilConfig c = config.get();
    if (c.notifySection().entries().isEmpty()) {
      return null;
    }
    return NotifyConfig.bind(NotifyYaml.tree(c.notifySection()), "notify");
  }

  @Override
  public synchronized List<MetricSnapshot> collect() {
    Map<String, Long> runs = new TreeMap<>(retiredRuns);
    Map<String, Long> failures = new TreeMap<>(retiredFailures);
    if (scheduler != null) {
      scheduler.runs().forEach((k, v) -> runs.merge(k, v, Long::sum));
      scheduler.failures().forEach((k, v) -> failures.merge(k, v, Long::sum));
    }
    return List.of(
        counter(
            "vigil_report_schedule_runs",
            "Scheduled report runs, by report (failed ones included).",
            runs),
        counter(
            "vigil_report_schedule_failures",
            "Scheduled report runs that failed (query, render, write or mail), by report.",
            failures));
  }

  private static MetricSnapshot counter(String name, String help, Map<String, Long> m) {
    List<CounterDataPoint> points = new ArrayList<>();
    m.forEach((k, v) -> points.add(CounterDataPoint.of(Labels.of("report", k), v)));
    return new MetricSnapshot(new MetricMetadata(name, help, ""), MetricType.COUNTER, points);
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }
}
