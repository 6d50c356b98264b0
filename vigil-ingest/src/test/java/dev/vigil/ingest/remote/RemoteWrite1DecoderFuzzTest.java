package dev.vigil.ingest.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import dev.vigil.ingest.IngestRequest;
import dev.vigil.ingest.IngestStats;
import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.SeriesCache;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link RemoteWrite1Decoder}: any message either decodes (and the decoded samples, encoded
 * again with {@link RemoteWriteEncoder#v1}, decode to the same samples; with or without a {@link
 * SeriesCache}, the same samples) or fails with a {@link ProtoException} naming the byte offset.
 * The same bytes, snappy-compressed and posted through {@link RemoteWriteHandler}, never get a 5xx
 * and change nothing stored when no sample is accepted.
 *
 * <p>{@code scripts/fuzz RemoteWrite1DecoderFuzzTest} fuzzes for the annotated duration; otherwise
 * the saved corpus in {@code RemoteWrite1DecoderFuzzTestInputs/decode} runs as a regression test.
 */
class RemoteWrite1DecoderFuzzTest {
  static final Set<Integer> STATUSES = Set.of(204, 400, 413);

  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    SampleBatch batch = new SampleBatch();
    MetadataStore meta = new MetadataStore(1_000);
    boolean ok;
    try {
      RemoteWrite1Decoder.decode(data, batch, meta);
      ok = true;
    } catch (ProtoException e) {
      assertThat(e.getClass()).isEqualTo(ProtoException.class);
      assertThat(e.getMessage()).startsWith("malformed protobuf at byte ");
      assertThat(e.offset()).isBetween(0, data.length);
      ok = false;
    }
    // The series cache path decodes to the same thing (twice: cold, then warm).
    SeriesCache cache = new SeriesCache(1_000);
    for (int pass = 0; pass < 2; pass++) {
      SampleBatch cached = new SampleBatch();
      try {
        RemoteWrite1Decoder.decode(data, cached, new MetadataStore(1_000), cache);
        assertThat(ok).as("decodes with a cache only").isTrue();
        assertThat(FuzzSupport.points(cached)).isEqualTo(FuzzSupport.points(batch));
      } catch (ProtoException e) {
        assertThat(ok).as("fails with a cache only: " + e.getMessage()).isFalse();
      }
    }
    if (ok) {
      roundTrip(batch);
    }
    throughHandler(Snappy.compress(data), RemoteWriteHandler.V1_PROTO, "0.1.0");
  }

  private static void roundTrip(SampleBatch batch) {
    List<RemoteWriteEncoder.Series> series = new ArrayList<>();
    for (Map.Entry<Labels, List<FuzzSupport.Point>> e : FuzzSupport.bySeries(batch).entrySet()) {
      List<FuzzSupport.Point> ps = e.getValue();
      long[] t = new long[ps.size()];
      double[] v = new double[ps.size()];
      for (int i = 0; i < t.length; i++) {
        t[i] = ps.get(i).t();
        v[i] = ps.get(i).v();
      }
      series.add(new RemoteWriteEncoder.Series(e.getKey(), t, v));
    }
    SampleBatch again = new SampleBatch();
    RemoteWrite1Decoder.decode(RemoteWriteEncoder.v1(series), again, new MetadataStore(1_000));
    assertThat(sorted(FuzzSupport.points(again))).isEqualTo(sorted(FuzzSupport.points(batch)));
  }

  /** Grouped by series as the encoder writes them, order kept within a series. */
  static List<FuzzSupport.Point> sorted(List<FuzzSupport.Point> points) {
    List<FuzzSupport.Point> out = new ArrayList<>(points);
    out.sort((a, b) -> a.labels().compareTo(b.labels()));
    return out;
  }

  static void throughHandler(byte[] body, String proto, String version) {
    FuzzSupport.Harness h = new FuzzSupport.Harness();
    RemoteWriteHandler handler = new RemoteWriteHandler(h.ingester);
    IngestRequest req =
        IngestRequest.builder()
            .header("Content-Type", "application/x-protobuf;proto=" + proto)
            .header("Content-Encoding", "snappy")
            .header("X-Prometheus-Remote-Write-Version", version)
            .body(body)
            .build();
    h.check(
        handler.handle(req),
        proto.equals(RemoteWriteHandler.V2_PROTO)
            ? IngestStats.REMOTE_WRITE_V2
            : IngestStats.REMOTE_WRITE,
        STATUSES);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButProtoException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(RemoteWrite1DecoderFuzzTest.class, "decode"),
        20261125,
        5_000,
        new byte[][] {
          {0x0a},
          {0x12},
          {0x1a},
          {0x22},
          {0x09},
          {0x10},
          {(byte) 0xff, (byte) 0xff, 0x7f},
          {0x0a, 0x00},
          {0x12, 0x09, 0x09},
          "__name__".getBytes(),
          {0x0a, 0x08}
        },
        RemoteWrite1DecoderFuzzTest::check);
  }
}
