package dev.vigil.ingest.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.IngestLimits;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestResponse;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.Ingester;
import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Exemplar;
import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SeriesExemplars;
import dev.vigil.tsdb.Tsdb;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote write 1.0 and 2.0 exemplars reach a real store next to their samples. */
class RemoteWriteExemplarsTest {
  @TempDir Path dir;
  private Tsdb db;
  private RemoteWriteHandler handler;

  private static final Labels BUCKET =
      Labels.of("__name__", "req_seconds_bucket", "le", "0.5", "job", "api");

  @BeforeEach
  void open() throws Exception {
    db = Tsdb.builder(dir).backgroundInterval(Duration.ZERO).log(m -> {}).open();
    handler =
        new RemoteWriteHandler(
            new Ingester(db, IngestLimits.DEFAULTS, new IngestStats(), System::nanoTime));
  }

  @AfterEach
  void close() throws Exception {
    db.close();
  }

  private List<Exemplar> stored() {
    List<SeriesExemplars> r =
        db.selectExemplars(
            Long.MIN_VALUE,
            Long.MAX_VALUE,
            List.of(List.of(LabelMatcher.equal("__name__", "req_seconds_bucket"))));
    assertThat(r).hasSize(1);
    assertThat(r.get(0).seriesLabels()).isEqualTo(BUCKET);
    return r.get(0).exemplars();
  }

  private static void labels(ProtoWriter ts, Labels l) {
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      String v = l.value(i);
      ts.message(1, m -> m.string(1, n).string(2, v));
    }
  }

  /** A 1.0 TimeSeries with samples (may be none) and one exemplar. */
  private static void v1Series(ProtoWriter w, long sampleT, String trace, double v, long t) {
    w.message(
        1,
        ts -> {
          labels(ts, BUCKET);
          if (sampleT > 0) {
            ts.message(2, s -> s.doubleField(1, 3).varint(2, sampleT));
          }
          ts.message(
              3,
              e -> {
                e.message(1, l -> l.string(1, "trace_id").string(2, trace));
                e.doubleField(2, v).varint(3, t);
              });
        });
  }

  private IngestResponse post(byte[] proto, boolean v2) {
    return handler.handle(
        IngestRequest.builder()
            .header("Content-Encoding", "snappy")
            .header(
                "Content-Type",
                v2
                    ? "application/x-protobuf;proto=io.prometheus.write.v2.Request"
                    : "application/x-protobuf")
            .header("X-Prometheus-Remote-Write-Version", v2 ? "2.0.0" : "0.1.0")
            .body(Snappy.compress(proto))
            .build());
  }

  @Test
  void v1_exemplars_withSamplesAndAlone_areStored_olderOnesSkippedWithout4xx() {
    ProtoWriter w = new ProtoWriter();
    v1Series(w, 1000, "a", 0.4, 900);
    v1Series(w, 0, "b", 0.3, 1500); // Prometheus sends exemplars in series of their own
    IngestResponse r = post(w.toByteArray(), false);
    assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
    assertThat(stored())
        .containsExactly(
            new Exemplar(Labels.of("trace_id", "a"), 0.4, 900),
            new Exemplar(Labels.of("trace_id", "b"), 0.3, 1500));

    ProtoWriter older = new ProtoWriter();
    v1Series(older, 2000, "c", 0.1, 100);
    assertThat(post(older.toByteArray(), false).status()).isEqualTo(204);
    assertThat(stored()).hasSize(2);
  }

  @Test
  void v2_exemplars_resolveSymbols_andAreCountedInTheWrittenHeader() {
    // symbols: "", then the series' names and values, then the exemplar's.
    List<String> sym =
        List.of("", "__name__", "req_seconds_bucket", "job", "api", "le", "0.5", "trace_id", "xyz");
    ProtoWriter w = new ProtoWriter();
    for (String s : sym) {
      w.string(4, s);
    }
    w.message(
        5,
        ts -> {
          ts.packedVarints(1, 1, 2, 3, 4, 5, 6);
          ts.message(2, s -> s.doubleField(1, 3).varint(2, 1000));
          ts.message(4, e -> e.packedVarints(1, 7, 8).doubleField(2, 0.25).varint(3, 990));
        });
    IngestResponse r = post(w.toByteArray(), true);
    assertThat(r.status()).as(r.bodyText()).isEqualTo(204);
    assertThat(r.headers()).containsEntry(RemoteWriteHandler.EXEMPLARS_WRITTEN, "1");
    assertThat(stored()).containsExactly(new Exemplar(Labels.of("trace_id", "xyz"), 0.25, 990));
  }

  @Test
  void v2_exemplarWithAnOddNumberOfLabelRefs_isMalformed_andNothingIsStored() {
    ProtoWriter w = new ProtoWriter();
    for (String s : List.of("", "__name__", "req_seconds_bucket", "trace_id")) {
      w.string(4, s);
    }
    w.message(
        5,
        ts -> {
          ts.packedVarints(1, 1, 2);
          ts.message(2, s -> s.doubleField(1, 3).varint(2, 1000));
          ts.message(4, e -> e.packedVarints(1, 3).doubleField(2, 0.25).varint(3, 990));
        });
    IngestResponse r = post(w.toByteArray(), true);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("odd number of exemplar label references");
    assertThat(db.headSeries()).isZero();
  }
}
