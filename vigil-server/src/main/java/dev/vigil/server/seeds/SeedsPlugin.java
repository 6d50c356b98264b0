package dev.vigil.server.seeds;

import dev.vigil.report.ReportRunner;
import dev.vigil.server.Vigil;
import dev.vigil.server.VigilPlugin;
import dev.vigil.server.http.Routes;
import java.time.Clock;
import java.util.List;

/**
 * Mounts the seeds' API ({@link SeedApiRoutes}, with the reports of {@code vigil-report}), runs
 * {@code reports.schedule} ({@link ScheduledReports}), and mounts the WebSocket ({@link
 * LiveRoutes}, at most {@link #MAX_WS_CONNECTIONS} connections) on every {@link Vigil} with HTTP,
 * found through {@code META-INF/services/dev.vigil.server.VigilPlugin}. Queries before the store is
 * open get 503.
 */
public final class SeedsPlugin implements VigilPlugin {
  /** WebSocket connections served at once. */
  public static final int MAX_WS_CONNECTIONS = 256;

  private LiveRoutes live;
  private ScheduledReports scheduled;

  @Override
  public List<Routes> routes(Vigil vigil) {
    DashboardData d =
        new DashboardData(
            vigil::engine,
            vigil.recorders().namespace(),
            vigil.recorders()::recentErrors,
            System::currentTimeMillis);
    d.withQualityEvents(vigil.recorders()::recentQualityEvents);
    live = new LiveRoutes(d, MAX_WS_CONNECTIONS, vigil.registry());
    Reports reports =
        new Reports(
            () -> Reports.folderOf(vigil.config()),
            new ReportRunner(vigil::engine, vigil.recorders().namespace()));
    scheduled = new ScheduledReports(vigil::config, reports, Clock.systemUTC());
    vigil.registry().register(scheduled);
    scheduled.start();
    return List.of(new SeedApiRoutes(d, reports), live);
  }

  @Override
  public void close() {
    if (live != null) {
      live.close();
    }
    if (scheduled != null) {
      scheduled.close();
    }
  }
}
