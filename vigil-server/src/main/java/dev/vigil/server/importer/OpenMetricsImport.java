package dev.vigil.server.importer;

import dev.vigil.model.Appendable;
import dev.vigil.model.Appender;
import dev.vigil.model.Labels;
import dev.vigil.model.OutOfOrderException;
import dev.vigil.server.scrape.ScrapeFormat;
import dev.vigil.server.scrape.ScrapeParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Imports an OpenMetrics (or Prometheus text) file with timestamps into storage, as {@code promtool
 * tsdb create-blocks-from openmetrics} does for Prometheus. Gzip'd files ({@code .gz}) are read as
 * such. Samples without a timestamp are rejected: an import has no scrape time to give them.
 *
 * <pre>{@code
 * OpenMetricsImport.Result r = OpenMetricsImport.importFile(Path.of("host.om.gz"), tsdb);
 * }</pre>
 */
public final class OpenMetricsImport {
  /** Samples per transaction. */
  static final int BATCH = 50_000;

  private OpenMetricsImport() {}

  /**
   * What was imported.
   *
   * @param series distinct series
   * @param samples samples stored
   * @param outOfOrder samples rejected as out of order
   * @param minTime first timestamp (ms)
   * @param maxTime last timestamp (ms)
   */
  public record Result(long series, long samples, long outOfOrder, long minTime, long maxTime) {}

  /**
   * Imports a file.
   *
   * @throws IOException when it cannot be read or does not parse (the message names the line)
   */
  public static Result importFile(Path file, Appendable db) throws IOException {
    byte[] body;
    try (InputStream in = Files.newInputStream(file)) {
      InputStream s = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
      body = s.readAllBytes();
    }
    String name = file.getFileName().toString();
    ScrapeFormat f =
        name.contains(".om") || name.contains("openmetrics")
            ? ScrapeFormat.OPENMETRICS
            : ScrapeFormat.PROMETHEUS_TEXT;
    return importBytes(body, f, db, file.toString());
  }

  /** Imports a body already in memory. */
  public static Result importBytes(byte[] body, ScrapeFormat f, Appendable db, String source)
      throws IOException {
    Map<String, long[]> refs = new HashMap<>();
    long[] counts = new long[5];
    counts[3] = Long.MAX_VALUE;
    counts[4] = Long.MIN_VALUE;
    Appender[] app = {db.appender()};
    try {
      ScrapeParser.parse(
          body,
          f,
          (key, metric, labels, value, ts) -> {
            if (ts == Long.MIN_VALUE) {
              throw new IllegalArgumentException(
                  "sample of " + key + " has no timestamp; an import needs one on every sample");
            }
            long[] ref = refs.get(key);
            Labels l = null;
            if (ref == null) {
              ref = new long[1];
              refs.put(key, ref);
              Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, metric);
              for (int i = 0; i < labels.size(); i += 2) {
                b.set(labels.get(i), labels.get(i + 1));
              }
              l = b.build();
            }
            try {
              ref[0] = app[0].append(ref[0], l, ts, value);
              counts[1]++;
              counts[3] = Math.min(counts[3], ts);
              counts[4] = Math.max(counts[4], ts);
            } catch (OutOfOrderException e) {
              counts[2]++;
            }
            if (counts[1] % BATCH == 0) {
              app[0].commit();
              app[0] = db.appender();
            }
          });
      app[0].commit();
    } catch (ScrapeParser.ParseException e) {
      app[0].rollback();
      throw new IOException(source + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      app[0].rollback();
      throw new IOException(source + ": " + e.getMessage(), e);
    }
    return new Result(refs.size(), counts[1], counts[2], counts[3], counts[4]);
  }

  /** The labels of a parsed sample, for callers that build their own. */
  static Labels labels(String metric, List<String> pairs) {
    Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, metric);
    for (int i = 0; i < pairs.size(); i += 2) {
      b.set(pairs.get(i), pairs.get(i + 1));
    }
    return b.build();
  }
}
