package dev.vigil.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PipelinedWriterTest {
  /** Series of 0 to 3 batches' worth of samples, some empty, written through {@code w}. */
  private static void series(SeriesWriter w) throws IOException {
    SplittableRandom r = new SplittableRandom(5);
    for (int s = 0; s < 40; s++) {
      w.beginSeries(Labels.of("__name__", "m", "s", Integer.toString(s)));
      int n = s % 5 == 0 ? 0 : r.nextInt(0, 3 * PipelinedWriter.BATCH + 2);
      for (int i = 0; i < n; i++) {
        w.sample(1_765_100_000_000L + 15_000L * i, r.nextInt(1000) / 10.0);
      }
      w.endSeries();
    }
  }

  @Test
  void output_equalsTheDelegateDrivenDirectly() throws Exception {
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    try (SeriesWriter w =
        ExportWriters.open(ExportFormat.JSONL, ExportWriters.Layout.LONG, direct)) {
      series(w);
      w.finish();
    }
    ByteArrayOutputStream piped = new ByteArrayOutputStream();
    try (SeriesWriter w =
        ExportWriters.open(ExportFormat.JSONL, ExportWriters.Layout.LONG, piped)) {
      try (SeriesWriter p = ExportWriters.pipelined(w)) {
        series(p);
      }
      w.finish();
    }
    assertThat(piped.size()).isGreaterThan(1000);
    assertThat(piped.toByteArray()).isEqualTo(direct.toByteArray());
  }

  @Test
  void aFailingDelegate_failsTheCaller_withoutHanging() {
    SeriesWriter failing =
        new SeriesWriter() {
          @Override
          public void beginSeries(Labels labels) {}

          @Override
          public void sample(long t, double v) throws IOException {
            throw new IOException("disk full");
          }

          @Override
          public void endSeries() {}

          @Override
          public void finish() {}

          @Override
          public void close() {}
        };
    assertThatThrownBy(
            () -> {
              try (SeriesWriter p = ExportWriters.pipelined(failing)) {
                series(p);
              }
            })
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
  }
}
