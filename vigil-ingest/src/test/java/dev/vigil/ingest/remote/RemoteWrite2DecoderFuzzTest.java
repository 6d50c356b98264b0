package dev.vigil.ingest.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vigil.ingest.FuzzSupport;
import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.wire.ProtoException;
import dev.vigil.ingest.wire.Snappy;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link RemoteWrite2Decoder}: any message either decodes (and the decoded samples, encoded
 * again with {@link RemoteWriteEncoder#v2}, decode to the same samples) or fails with a {@link
 * ProtoException} naming the byte offset (malformed wire format or a symbol reference outside the
 * table). The same bytes, snappy-compressed and posted through {@link RemoteWriteHandler} as 2.0,
 * never get a 5xx and change nothing stored when no sample is accepted.
 *
 * <p>{@code scripts/fuzz RemoteWrite2DecoderFuzzTest} fuzzes for the annotated duration; otherwise
 * the saved corpus in {@code RemoteWrite2DecoderFuzzTestInputs/decode} runs as a regression test.
 */
class RemoteWrite2DecoderFuzzTest {
  // No JUnit @Timeout here: in fuzzing mode it would bound the whole campaign, not one input.
  @FuzzTest(maxDuration = "5m")
  void decode(byte[] data) {
    check(data);
  }

  static void check(byte[] data) {
    SampleBatch batch = new SampleBatch();
    RemoteWrite2Decoder.Counts counts;
    try {
      counts = RemoteWrite2Decoder.decode(data, batch, new MetadataStore(1_000));
    } catch (ProtoException e) {
      assertThat(e.getClass()).isEqualTo(ProtoException.class);
      assertThat(e.getMessage()).startsWith("malformed protobuf at byte ");
      assertThat(e.offset()).isBetween(0, data.length);
      counts = null;
    }
    if (counts != null) {
      assertThat(counts.histograms()).isNotNegative();
      assertThat(counts.exemplars()).isNotNegative();
      roundTrip(batch);
    }
    RemoteWrite1DecoderFuzzTest.throughHandler(
        Snappy.compress(data), RemoteWriteHandler.V2_PROTO, "2.0.0");
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
    RemoteWrite2Decoder.decode(RemoteWriteEncoder.v2(series), again, new MetadataStore(1_000));
    assertThat(RemoteWrite1DecoderFuzzTest.sorted(FuzzSupport.points(again)))
        .isEqualTo(RemoteWrite1DecoderFuzzTest.sorted(FuzzSupport.points(batch)));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void seededMutations_neverThrowAnythingButProtoException() throws Exception {
    FuzzSupport.mutate(
        FuzzSupport.corpus(RemoteWrite2DecoderFuzzTest.class, "decode"),
        20261125,
        5_000,
        new byte[][] {
          {0x22},
          {0x2a},
          {0x0a},
          {0x08},
          {0x12},
          {0x22, 0x00},
          {(byte) 0xff, (byte) 0xff, 0x7f},
          {0x08, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x10},
          {0x0a, 0x02, 0x01, 0x02}
        },
        RemoteWrite2DecoderFuzzTest::check);
  }
}
