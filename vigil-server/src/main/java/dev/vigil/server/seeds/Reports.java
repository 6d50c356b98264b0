package dev.vigil.server.seeds;

import dev.vigil.report.Report;
import dev.vigil.report.ReportDefinition;
import dev.vigil.report.ReportException;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportLibrary;
import dev.vigil.report.ReportRunner;
import dev.vigil.server.config.ConfigException;
import dev.vigil.server.config.ReportsConfig;
import dev.vigil.server.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The report definitions of the configuration in force (built-in and {@code reports.folder}, which
 * follows reloads) and the runner over the server's engine: what {@code GET /api/metrics/report}
 * and the schedule render.
 *
 * <p>Thread-safe.
 */
final class Reports {
  private final Supplier<Path> folders;
  private final ReportRunner runner;
  private Path folder;
  private ReportLibrary library = ReportLibrary.of(null);
  private boolean bound;

  /**
   * @param folders {@code reports.folder} of the configuration in force (null: none)
   */
  Reports(Supplier<Path> folders, ReportRunner runner) {
    this.folders = folders;
    this.runner = runner;
  }

  /** The {@code reports} section of {@code c}, relative paths against vigil.yml's folder. */
  static ReportsConfig bind(VigilConfig c) {
    return ReportsConfig.bind(c.reports(), baseDir(c));
  }

  /**
   * {@code reports.folder} of {@code c}, or null. The definitions in it are not checked here: a
   * file broken since the configuration loaded answers its own name with its error.
   */
  static Path folderOf(VigilConfig c) {
    try {
      return ReportsConfig.folder(c.reports(), baseDir(c));
    } catch (ConfigException e) {
      return null;
    }
  }

  static Path baseDir(VigilConfig c) {
    try {
      Path src = Path.of(c.source());
      return Files.isRegularFile(src) ? src.toAbsolutePath().getParent() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The library for the folder configured now. */
  synchronized ReportLibrary library() {
    Path now = folders.get();
    if (!bound || !Objects.equals(now, folder)) {
      folder = now;
      library = ReportLibrary.of(folder);
      bound = true;
    }
    return library;
  }

  ReportRunner runner() {
    return runner;
  }

  /** Runs and renders report {@code name}; {@code range} null: the definition's. */
  byte[] render(String name, ReportFormat format, Duration range, Instant end) {
    ReportDefinition def = library().get(name);
    Report r = runner.run(def, range, end);
    return format.render(r);
  }

  static ReportException badRange(double hours) {
    return new ReportException("timeframe must be a number of hours in (0, 9600], got " + hours);
  }
}
