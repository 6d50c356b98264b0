package dev.vigil.cli;

import dev.vigil.cli.export.ExportRequest;
import dev.vigil.cli.export.ExportRun;
import dev.vigil.export.ExportFormat;
import dev.vigil.export.ExportWriters;
import dev.vigil.export.SeriesExport;
import dev.vigil.export.TimeExpression;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigil export}: series history out of a running server or a data directory, in the format
 * another tool reads.
 *
 * <pre>{@code
 * ./vigil export --url http://127.0.0.1:9470 --match 'up' --start "24h ago" --format csv --output up.csv
 * ./vigil export --storage.path data --match '{job="node"}' --format openmetrics --output - | gzip > n.om.gz
 * ./vigil export --url http://127.0.0.1:9470 --query 'rate(http_requests_total[5m])' --step 1m \
 *     --format csv --layout wide --output rates.csv
 * AWS_REGION=eu-west-1 ./vigil export --url http://127.0.0.1:9470 --match up --output s3://b/vigil/
 * }</pre>
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Export series from a running server (--url) or a data directory (--storage.path): raw"
          + " samples, or with --step PromQL evaluated on a grid.",
      "Formats: csv (long, or --layout wide), json (Prometheus' matrix), jsonl (VictoriaMetrics'"
          + " export/import format), influx (line protocol), openmetrics (promtool tsdb"
          + " create-blocks-from openmetrics), sqlite (tables series and samples). parquet is"
          + " refused (see docs/cli.md).",
      "Times: now, 24h ago, 7d ago, -30m, RFC 3339 (2026-12-07T10:00:00Z) or Unix seconds."
    })
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--match",
      paramLabel = "SELECTOR",
      description = "Series selector, e.g. 'up{job=\"node\"}'; repeatable (their union).")
  List<String> match = new ArrayList<>();

  @Option(
      names = "--query",
      paramLabel = "PROMQL",
      description = "Any PromQL expression, evaluated on the --step grid (instead of --match).")
  String query;

  @Option(names = "--start", defaultValue = "24h ago", description = "Start (${DEFAULT-VALUE}).")
  String start;

  @Option(names = "--end", defaultValue = "now", description = "End (${DEFAULT-VALUE}).")
  String end;

  @Option(
      names = "--step",
      description = "Evaluate on this grid (e.g. 1m) instead of exporting raw samples.")
  String step;

  @Option(
      names = "--format",
      defaultValue = "csv",
      description = "csv, json, jsonl, influx, openmetrics, sqlite (${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--layout",
      defaultValue = "long",
      description =
          "CSV layout: long (timestamp,name,labels,value) or wide (a column per series)"
              + " (${DEFAULT-VALUE}).")
  String layout;

  @Option(
      names = {"--output", "-o"},
      defaultValue = "-",
      description =
          "A file (written whole or not at all), - for standard output (${DEFAULT-VALUE}),"
              + " s3://BUCKET/PREFIX/[NAME] (credentials from AWS_ACCESS_KEY_ID,"
              + " AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; AWS_REGION; AWS_ENDPOINT_URL for an"
              + " S3-compatible server), influxdb://HOST:8086/DB or datadog[:URL].")
  String output;

  @Option(names = "--url", description = "A running Vigil server, e.g. http://127.0.0.1:9470.")
  String url;

  @Option(
      names = "--token",
      description = "Bearer token for --url (default: the VIGIL_TOKEN environment variable).")
  String token;

  @Option(
      names = "--storage.path",
      description =
          "A data directory (its lock taken for the export); while a server holds it, its"
              + " persisted blocks, read-only without the lock.")
  Path storagePath;

  @Option(names = "--no-progress", description = "No progress bar (there is none when piped).")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    long now = System.currentTimeMillis();
    long startMs = at("--start", start, now);
    long endMs = at("--end", end, now);
    long stepMs = 0;
    if (step != null) {
      try {
        stepMs = TimeExpression.parseDuration(step);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--step: " + e.getMessage());
      }
    }
    ExportWriters.Layout l =
        switch (layout.strip().toLowerCase(java.util.Locale.ROOT)) {
          case "long" -> ExportWriters.Layout.LONG;
          case "wide" -> ExportWriters.Layout.WIDE;
          default ->
              throw new IllegalArgumentException(
                  "unknown --layout \"" + layout + "\": expected long or wide");
        };
    String tok = token != null ? token : System.getenv("VIGIL_TOKEN");
    ExportRequest req =
        new ExportRequest(
            match,
            query,
            startMs,
            endMs,
            stepMs,
            ExportFormat.of(format),
            l,
            output,
            url,
            tok,
            storagePath);
    boolean bar = !noProgress && terminal() && !output.equals("-");
    if (!bar) {
      ExportRun.run(req, System.out, System.err, n -> {});
      return 0;
    }
    try (ProgressBar pb =
        new ProgressBarBuilder()
            .setTaskName("export")
            .setInitialMax(-1)
            .setUnit(" samples", 1)
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
            .setUpdateIntervalMillis(250)
            .build()) {
      SeriesExport.Progress p = pb::stepTo;
      long n = ExportRun.run(req, System.out, System.err, p);
      pb.stepTo(n);
    }
    return 0;
  }

  private static long at(String option, String expr, long now) {
    try {
      return TimeExpression.parse(expr, now);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  /**
   * Whether a person watches: standard input and output are a terminal. JDK 22+ gives every process
   * a console and says through {@code Console.isTerminal()}; on 21 a console exists only for a
   * terminal.
   */
  static boolean terminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
