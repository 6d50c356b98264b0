package dev.vigil.ingest.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.Querier;
import dev.vigil.model.SampleIterator;
import dev.vigil.model.SelectHints;
import dev.vigil.model.SeriesSet;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A sample far ahead of the store's clock is refused by name and does not stop later writes. */
class RemoteWriteFutureSampleTest {
  private static final long H = 3600_000L;
  private static final Labels UP = Labels.of("__name__", "up", "job", "node");
  private static final Labels BAD = Labels.of("__name__", "skewed", "job", "node");

  @TempDir Path dir;
  private final long[] now = {4 * H};
  private final IngestStats stats = new IngestStats();
  private Tsdb db;
  private RemoteWriteHandler handler;

  @BeforeEach
  void open() throws Exception {
    db =
        Tsdb.builder(dir)
            .backgroundInterval(Duration.ZERO)
            .rollups(false)
            .clock(() -> now[0])
            .log(m -> {})
            .open();
    handler =
        new RemoteWriteHandler(new Ingester(db, IngestLimits.DEFAULTS, stats, System::nanoTime));
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  private IngestResponse write(RemoteWriteEncoder.Series... series) {
    return handler.handle(
        IngestRequest.builder()
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .body(Snappy.compress(RemoteWriteEncoder.v1(List.of(series))))
            .build());
  }

  private static RemoteWriteEncoder.Series sample(Labels l, long t) {
    return new RemoteWriteEncoder.Series(l, new long[] {t}, new double[] {1});
  }

  private List<Long> times(Labels l) {
    List<Long> out = new ArrayList<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet s =
          q.select(
              SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE),
              LabelMatcher.equal("__name__", l.get("__name__")));
      while (s.next()) {
        SampleIterator it = s.at().iterator();
        while (it.next()) {
          out.add(it.timestamp());
        }
      }
    }
    return out;
  }

  @Test
  void sampleTenYearsAhead_is400NamingItsTimeAndTheLimit_andTheRestIsStored() {
    long tenYears = now[0] + 10 * 365 * 24 * H;
    IngestResponse r = write(sample(BAD, tenYears), sample(UP, now[0]));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText())
        .contains("1 samples written, 1 rejected (out_of_order: 1)")
        .contains("skewed{")
        .contains("timestamp " + tenYears)
        .contains("600000 ms");
    assertThat(stats.rejected(IngestStats.REMOTE_WRITE, RejectReason.OUT_OF_ORDER)).isEqualTo(1);
    assertThat(times(UP)).containsExactly(now[0]);
    assertThat(times(BAD)).isEmpty();
  }

  @Test
  void sampleAtLargestTimestamp_doesNotMakeLaterWritesOutOfBoundsAfterTheNextCut() {
    for (long t = 0; t < 4 * H; t += 60_000) {
      assertThat(write(sample(UP, t)).status()).isEqualTo(204);
    }
    assertThat(write(sample(BAD, Long.MAX_VALUE)).status()).isEqualTo(400);
    db.maintain();
    now[0] += 60_000;
    assertThat(write(sample(UP, now[0])).status()).isEqualTo(204);
    assertThat(times(UP)).last().isEqualTo(now[0]);
  }
}
