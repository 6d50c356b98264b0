package dev.vigil.server.config;

import dev.vigil.report.CronExpression;
import dev.vigil.report.ReportDefinition;
import dev.vigil.report.ReportException;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportLibrary;
import dev.vigil.report.ReportScheduler;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code reports} section: where custom report definitions live and which reports run on a
 * schedule.
 *
 * <pre>{@code
 * reports:
 *   folder: reports            # *.yml report definitions (relative to vigil.yml's folder)
 *   timezone: Europe/Paris     # how cron expressions are read (default UTC)
 *   schedule:
 *     - cron: "0 8 * * MON"
 *       report: weekly_summary
 *       format: pdf            # md, html, pdf, json (default pdf)
 *       folder: /var/reports   # and/or
 *       email: team            # a notify receiver with email_configs
 *       range: 7d              # default: the definition's
 * }</pre>
 *
 * @param folder the definitions' folder, or null
 * @param zone the zone of the cron expressions
 * @param jobs the scheduled reports
 */
public record ReportsConfig(Path folder, ZoneId zone, List<ReportScheduler.Job> jobs) {
  public ReportsConfig {
    jobs = List.copyOf(jobs);
  }

  /**
   * Binds and checks the section: keys, cron expressions, formats, that each scheduled report
   * exists and every definition in the folder is valid.
   *
   * @param baseDir the config file's folder (relative paths resolve against it), or null
   * @throws ConfigException naming file, line and key
   */
  public static ReportsConfig bind(ConfigNode section, Path baseDir) {
    Path folder = null;
    ZoneId zone = ZoneOffset.UTC;
    List<ConfigNode> schedule = List.of();
    for (Map.Entry<String, ConfigNode> e : section.entries().entrySet()) {
      ConfigNode v = e.getValue();
      switch (e.getKey()) {
        case "folder" -> folder = path(v, "reports.folder", baseDir);
        case "timezone" -> {
          try {
            zone = ZoneId.of(v.text() == null ? "" : v.text());
          } catch (DateTimeException ex) {
            throw new ConfigException(
                v.where()
                    + ": reports.timezone: unknown time zone \""
                    + v.text()
                    + "\" (e.g. UTC, Europe/Paris)");
          }
        }
        case "schedule" -> {
          if (v.kind() != ConfigNode.Kind.LIST && v.text() != null) {
            throw new ConfigException(v.where() + ": reports.schedule: expected a list");
          }
          schedule = v.items();
        }
        default ->
            throw new ConfigException(
                v.where()
                    + ": reports."
                    + e.getKey()
                    + ": unknown key (known: folder, timezone, schedule)");
      }
    }
    if (folder != null && Files.exists(folder) && !Files.isDirectory(folder)) {
      throw new ConfigException(
          section.entries().get("folder").where()
              + ": reports.folder: \""
              + folder
              + "\" is not a folder");
    }
    ReportLibrary library = ReportLibrary.of(folder);
    try {
      library.check();
    } catch (ReportException ex) {
      throw new ConfigException("reports.folder: " + ex.getMessage(), ex);
    }
    List<ReportScheduler.Job> jobs = new ArrayList<>();
    for (int i = 0; i < schedule.size(); i++) {
      jobs.add(job(schedule.get(i), "reports.schedule[" + i + "].", baseDir, library));
    }
    return new ReportsConfig(folder, zone, jobs);
  }

  /** Only {@code reports.folder}, resolved (null when absent); the definitions are not read. */
  public static Path folder(ConfigNode section, Path baseDir) {
    ConfigNode v = section.entries().get("folder");
    return v == null ? null : path(v, "reports.folder", baseDir);
  }

  private static ReportScheduler.Job job(
      ConfigNode n, String path, Path baseDir, ReportLibrary library) {
    if (n.kind() != ConfigNode.Kind.MAP) {
      throw new ConfigException(n.where() + ": " + path + "cron: each schedule entry is a map");
    }
    CronExpression cron = null;
    String report = null;
    ReportFormat format = ReportFormat.PDF;
    Path folder = null;
    String email = null;
    Duration range = null;
    for (Map.Entry<String, ConfigNode> e : n.entries().entrySet()) {
      ConfigNode v = e.getValue();
      String key = path + e.getKey();
      String text = v.text();
      try {
        switch (e.getKey()) {
          case "cron" -> cron = CronExpression.parse(text);
          case "report" -> {
            report = text;
            library.get(text);
          }
          case "format" -> format = ReportFormat.parse(text);
          case "folder" -> folder = path(v, key, baseDir);
          case "email" -> {
            if (text == null || text.isBlank()) {
              throw new IllegalArgumentException(
                  "expected the name of a notify receiver with email_configs");
            }
            email = text;
          }
          case "range" -> range = ReportDefinition.parseDuration(text == null ? "" : text);
          default ->
              throw new IllegalArgumentException(
                  "unknown key (known: cron, report, format, folder, email, range)");
        }
      } catch (IllegalArgumentException | ReportException ex) {
        throw new ConfigException(v.where() + ": " + key + ": " + ex.getMessage());
      }
    }
    if (cron == null) {
      throw new ConfigException(n.where() + ": " + path + "cron: missing (e.g. \"0 8 * * MON\")");
    }
    if (report == null) {
      throw new ConfigException(n.where() + ": " + path + "report: missing (a report name)");
    }
    if (folder == null && email == null) {
      throw new ConfigException(
          n.where() + ": " + path + "folder: give a folder and/or an email receiver to deliver to");
    }
    return new ReportScheduler.Job(cron, report, format, folder, email, range);
  }

  private static Path path(ConfigNode v, String key, Path baseDir) {
    if (v.text() == null || v.text().isBlank()) {
      throw new ConfigException(v.where() + ": " + key + ": expected a folder path");
    }
    try {
      Path p = Path.of(v.text());
      return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p);
    } catch (InvalidPathException e) {
      throw new ConfigException(v.where() + ": " + key + ": not a valid path: " + e.getReason());
    }
  }
}
