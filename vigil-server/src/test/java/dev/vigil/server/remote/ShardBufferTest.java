package dev.vigil.server.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.remote.RemoteWrite1Decoder;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardBufferTest {
  private static ShardBuffer.SeriesLabels series(String name) {
    Labels l = Labels.of("__name__", name);
    return new ShardBuffer.SeriesLabels(l, ShardBuffer.encodeLabels(l));
  }

  /** Three series read interleaved, five samples each. */
  private static void fill(ShardBuffer b, long t0) {
    ShardBuffer.SeriesLabels[] s = {series("a"), series("b"), series("c")};
    for (int i = 0; i < 5; i++) {
      for (int k = 0; k < 3; k++) {
        b.add(100 + k, s[k], t0 + i, i);
      }
    }
  }

  private static List<String> decoded(ShardBuffer.Request r) {
    SampleBatch batch = new SampleBatch();
    RemoteWrite1Decoder.decode(r.proto(), batch, new MetadataStore(10));
    List<String> out = new ArrayList<>();
    out.add(batch.sampleCount() + " samples");
    for (int i = 0; i < batch.seriesCount(); i++) {
      out.add(batch.labels(i).get("__name__"));
    }
    return out;
  }

  @Test
  void drain_groupsSamplesBySeriesInOrderRead_andCutsRequestsAtMaxSamplesPerSend() {
    ShardBuffer b = new ShardBuffer();
    fill(b, 1_000);
    assertThat(b.samples()).isEqualTo(15);

    List<ShardBuffer.Request> reqs = b.drain(4, false);

    assertThat(reqs).extracting(ShardBuffer.Request::samples).containsExactly(4, 4, 4, 3);
    assertThat(reqs.stream().map(ShardBufferTest::decoded).toList())
        .containsExactly(
            List.of("4 samples", "a"),
            List.of("4 samples", "a", "b"),
            List.of("4 samples", "b", "c"),
            List.of("3 samples", "c"));
    assertThat(reqs).extracting(ShardBuffer.Request::highestTimestamp).containsOnly(1_003L, 1_004L);
    assertThat(b.isEmpty()).isTrue();
  }

  @Test
  void aDrainedBuffer_isReused_andSendsOnlyWhatWasAddedSince() {
    ShardBuffer b = new ShardBuffer();
    fill(b, 1_000);
    b.drain(100, false);
    for (int i = 0; i < 300; i++) { // more than the arrays held at first: they grow
      b.add(7, series("d"), 5_000 + i, i);
    }
    fill(b, 2_000);

    List<ShardBuffer.Request> reqs = b.drain(1_000, false);

    assertThat(reqs).hasSize(1);
    assertThat(decoded(reqs.get(0))).containsExactly("315 samples", "d", "a", "b", "c");
    assertThat(reqs.get(0).highestTimestamp()).isEqualTo(5_299L);
  }

  @Test
  void addingSamples_allocatesNothing_onceTheArraysHaveGrown() {
    var mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    ShardBuffer b = new ShardBuffer();
    ShardBuffer.SeriesLabels[] s = new ShardBuffer.SeriesLabels[1_000];
    for (int k = 0; k < s.length; k++) {
      s[k] = series("m" + k);
    }
    for (int round = 0; round < 2; round++) { // the first round grows the arrays
      long before = mx.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 20; i++) {
        for (int k = 0; k < s.length; k++) {
          b.add(1_000_000L + k, s[k], 1_000L * i, i);
        }
      }
      long allocated = mx.getCurrentThreadAllocatedBytes() - before;
      if (round == 1) {
        assertThat(allocated).as("bytes allocated adding 20,000 samples").isLessThan(1_024);
      }
      assertThat(b.drain(2_000, false)).hasSize(10);
    }
  }

  @Test
  void exemplarsOfASeriesWithoutSamples_areSentToo() {
    ShardBuffer b = new ShardBuffer();
    b.addExemplar(9, series("e"), new ShardBuffer.Exemplar(Labels.of("trace_id", "x"), 1, 2));
    assertThat(b.isEmpty()).isFalse();

    List<ShardBuffer.Request> reqs = b.drain(10, false);

    assertThat(reqs).hasSize(1);
    assertThat(reqs.get(0).exemplars()).isEqualTo(1);
    assertThat(reqs.get(0).samples()).isZero();
  }

  @Test
  void refMap_findsEveryRef_afterGrowing() {
    RefMap<String> m = new RefMap<>();
    for (long r = 0; r < 10_000; r += 3) {
      m.put(r, "v" + r);
    }
    m.put(3, "three");
    assertThat(m.get(3)).isEqualTo("three");
    assertThat(m.get(9_999)).isEqualTo("v9999");
    assertThat(m.get(1)).isNull();
    assertThat(m.size()).isEqualTo(3_334);
  }
}
