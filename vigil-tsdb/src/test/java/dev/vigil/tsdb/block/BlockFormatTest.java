package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.LabelMatcher;
import dev.vigil.model.Labels;
import dev.vigil.model.SampleIterator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFormatTest {
  @TempDir Path dir;

  @Test
  void writtenBlock_readsBackLabelsPostingsSamplesAndMeta() throws Exception {
    int n = 5000; // more than one chunk per series
    long[] ts = new long[n];
    double[] a = new double[n];
    double[] b = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = 1_000_000 + i * 1000L + (i % 7);
      a[i] = i * 0.25;
      b[i] = Double.longBitsToDouble(0x7ff0000000000002L + (i % 3 == 0 ? 0 : i));
    }
    BlockWriter w = new BlockWriter(dir, 0, 10_000_000, 1, List.of(), 0, 42);
    w.add(Labels.of("__name__", "a", "job", "x"), ts, a, n);
    w.add(Labels.of("__name__", "b", "job", "x"), ts, b, n);
    w.add(Labels.of("__name__", "c", "job", "y"), ts, a, 0); // empty: skipped
    BlockMeta meta = w.finish();
    assertThat(dir.resolve(meta.id() + ".tmp")).doesNotExist();
    Block blk = Block.open(dir.resolve(meta.id()));
    assertThat(blk.meta()).isEqualTo(BlockMeta.read(dir.resolve(meta.id()).resolve("meta.json")));
    assertThat(blk.meta().numSamples()).isEqualTo(2L * n);
    assertThat(blk.meta().numChunks()).isEqualTo(4);
    assertThat(blk.damage()).isEmpty();
    assertThat(blk.select(List.of(LabelMatcher.equal("job", "x")))).containsExactly(0, 1);
    assertThat(blk.select(List.of(LabelMatcher.regex("__name__", "b|c")))).containsExactly(1);
    assertThat(blk.labelValues("__name__", List.of())).containsExactly("a", "b");
    List<String> warnings = new ArrayList<>();
    SampleIterator it = blk.iterator(1, Long.MIN_VALUE, Long.MAX_VALUE, warnings);
    for (int i = 0; i < n; i++) {
      assertThat(it.next()).isTrue();
      assertThat(it.timestamp()).isEqualTo(ts[i]);
      assertThat(Double.doubleToRawLongBits(it.value()))
          .isEqualTo(Double.doubleToRawLongBits(b[i]));
    }
    assertThat(it.next()).isFalse();
    assertThat(warnings).isEmpty();
  }

  @Test
  void seriesWithTheSameTimestamps_shareOneTimestampColumn() throws Exception {
    int n = 1000;
    long[] ts = new long[n];
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      ts[i] = i * 1000L + (i * 7919 % 13); // jittered scrape times
    }
    BlockWriter one = new BlockWriter(dir, 0, 2_000_000, 1, List.of(), 0, 1);
    one.add(Labels.of("__name__", "s0"), ts, v, n);
    long sizeOne = Files.size(dir.resolve(one.finish().id()).resolve("chunks/000001"));
    BlockWriter many = new BlockWriter(dir, 0, 2_000_000, 1, List.of(), 0, 2);
    for (int s = 0; s < 100; s++) {
      many.add(Labels.of("__name__", "s" + (100 + s)), ts, v, n);
    }
    long sizeMany = Files.size(dir.resolve(many.finish().id()).resolve("chunks/000001"));
    // 99 more series cost only their constant value columns (about 16 bytes each with framing).
    assertThat(sizeMany - sizeOne).isLessThan(99 * 20);
  }

  @Test
  void tombstones_roundTripAndHideSamples() throws Exception {
    long[] ts = {1, 2, 3, 4, 5};
    double[] v = {1, 2, 3, 4, 5};
    BlockWriter w = new BlockWriter(dir, 0, 10, 1, List.of(), 0, 1);
    w.add(Labels.of("__name__", "t"), ts, v, 5);
    Path p = dir.resolve(w.finish().id());
    Block.open(p).delete(0, 2, 3);
    Block blk = Block.open(p);
    assertThat(blk.tombstones().get(0).contains(2)).isTrue();
    SampleIterator it = blk.iterator(0, 0, 10, new ArrayList<>());
    List<Long> seen = new ArrayList<>();
    while (it.next()) {
      seen.add(it.timestamp());
    }
    assertThat(seen).containsExactly(1L, 4L, 5L);
  }
}
