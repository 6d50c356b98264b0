package dev.vigil.tsdb.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.SampleIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChainIteratorTest {
  /** A source: samples every {@code step} ms from {@code from} to {@code to}, values tagged. */
  private static SampleIterator source(long from, long to, long step, double tag) {
    List<long[]> ts = new ArrayList<>();
    for (long t = from; t <= to; t += step) {
      ts.add(new long[] {t});
    }
    long[] a = new long[ts.size()];
    double[] v = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = ts.get(i)[0];
      v[i] = tag + i;
    }
    ChunkMeta c = new ChunkMeta(from, to, () -> new ArrayChunkIterator(a, v, a.length));
    return new ChunkSeriesIterator(List.of(c), Long.MIN_VALUE, Long.MAX_VALUE, Intervals.NONE);
  }

  private static List<SampleIterator> sources(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<SampleIterator> out = new ArrayList<>();
    long t = r.nextLong(0, 100);
    for (int k = 0; k < 1 + r.nextInt(4); k++) {
      long end = t + r.nextLong(0, 200);
      out.add(source(t, end, 1 + r.nextLong(0, 15), 1000.0 * (k + 1)));
      // the next source starts where this one ends (a shared boundary sample) or later
      t = end + (r.nextBoolean() ? 0 : r.nextLong(1, 50));
    }
    return out;
  }

  private static List<String> drain(SampleIterator it, long[] seeks) {
    List<String> out = new ArrayList<>();
    for (long s : seeks) {
      if (!it.seek(s)) {
        out.add("end at seek " + s);
        return out;
      }
      out.add("seek " + s + " -> " + it.timestamp() + "=" + it.value());
      for (int i = 0; i < 7; i++) {
        if (!it.next()) {
          out.add("end");
          return out;
        }
        out.add(it.timestamp() + "=" + it.value());
      }
    }
    while (it.next()) {
      out.add(it.timestamp() + "=" + it.value());
    }
    return out;
  }

  @Test
  void sourcesFollowingEachOther_giveWhatTheMergeGives_boundarySampleFromTheEarlierSource() {
    for (long seed = 0; seed < 500; seed++) {
      SplittableRandom r = new SplittableRandom(seed * 31);
      long[] seeks = new long[r.nextInt(4)];
      long s = 0;
      for (int i = 0; i < seeks.length; i++) {
        s += r.nextLong(0, 120);
        seeks[i] = s;
      }
      List<String> merged = drain(new MergeIterator(sources(seed)), seeks);
      List<String> chained = drain(new ChainIterator(sources(seed)), seeks);
      assertThat(chained)
          .as("seed %d, seeks %s", seed, java.util.Arrays.toString(seeks))
          .isEqualTo(merged);
    }
  }

  @Test
  void plainIteration_skipsTheDuplicateAtTheBoundary() {
    SampleIterator it = new ChainIterator(List.of(source(0, 20, 10, 100), source(20, 40, 10, 200)));
    assertThat(drain(it, new long[0]))
        .containsExactly("0=100.0", "10=101.0", "20=102.0", "30=201.0", "40=202.0");
  }
}
