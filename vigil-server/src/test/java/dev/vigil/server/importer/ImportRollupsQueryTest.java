package dev.vigil.server.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.model.Resolution;
import dev.vigil.promql.Engine;
import dev.vigil.promql.QueryResult;
import dev.vigil.promql.SourceResolution;
import dev.vigil.server.scrape.ScrapeFormat;
import dev.vigil.tsdb.Tsdb;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The import path {@code scripts/bench-server} uses (OpenMetricsImport into a store, then a head
 * flush) ends with rollup blocks for the imported range, and {@code max_source_resolution=1h}
 * queries over the imported data read them.
 */
class ImportRollupsQueryTest {
  private static final long H = 3600_000L;
  private static final long STEP = 30_000L;

  @Test
  void importedRange_hasRollups_andOneHourQueriesReadThem(@TempDir Path dir) throws Exception {
    long base = 1_700_000_000_000L / H * H;
    int n = (int) (8 * H / STEP);
    StringBuilder om = new StringBuilder("# TYPE saw gauge\n# TYPE jobs counter\n");
    for (int i = 0; i < n; i++) {
      long t = base + i * STEP;
      String ts = String.format(Locale.ROOT, "%d.%03d", t / 1000, t % 1000);
      om.append("saw ").append(i % 10).append(' ').append(ts).append('\n');
      om.append("jobs_total ").append(i % 500).append(' ').append(ts).append('\n'); // resets
    }
    om.append("# EOF\n");
    try (Tsdb db = Tsdb.builder(dir).log(m -> {}).open()) {
      OpenMetricsImport.Result r =
          OpenMetricsImport.importBytes(
              om.toString().getBytes(StandardCharsets.UTF_8), ScrapeFormat.OPENMETRICS, db, "t");
      assertThat(r.samples()).isEqualTo(2L * n);
      db.flushHead(); // as scripts/bench-server does
      for (Resolution res : List.of(Resolution.FIVE_MINUTES, Resolution.ONE_HOUR)) {
        assertThat(
                db.blocks().stream()
                    .filter(b -> b.meta().resolution() == res.millis())
                    .mapToLong(b -> b.meta().maxTime() - b.meta().minTime())
                    .sum())
            .as("%s rollups cover the import", res)
            .isGreaterThanOrEqualTo(8 * H - STEP);
      }
      Engine e = Engine.builder(db).build();
      long start = base + 6 * H;
      long end = base + 8 * H - H / 2;
      // On the hour the raw sample is 0; the 1 h rollup's last value (window before) is 9.
      assertThat(values(e, "last_over_time(saw[6h])", start, end, SourceResolution.RAW))
          .containsOnly(0.0);
      assertThat(values(e, "last_over_time(saw[6h])", start, end, SourceResolution.ONE_HOUR))
          .containsOnly(9.0);
      double[] raw = values(e, "increase(jobs_total[6h])", start, end, SourceResolution.RAW);
      double[] coarse =
          values(e, "increase(jobs_total[6h])", start, end, SourceResolution.ONE_HOUR);
      assertThat(coarse).hasSameSizeAs(raw);
      for (int i = 0; i < raw.length; i++) {
        assertThat(coarse[i]).as("step %d", i).isCloseTo(raw[i], within(raw[i] * 0.02));
      }
    }
  }

  private static double[] values(Engine e, String q, long start, long end, SourceResolution res) {
    QueryResult r = e.rangeQuery(q, start, end, H, res);
    assertThat(r.matrix()).hasSize(1);
    return r.matrix().get(0).values();
  }
}
