package dev.vigil.export;

import dev.vigil.model.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * CSV, wide layout (DevLoop's): {@code timestamp,<series 1>,<series 2>,...}, one row per distinct
 * timestamp, a cell empty where a series has no sample at that time; each column named by its
 * series ({@code name{labels}}).
 *
 * <p>A row needs every series, so this layout holds the export in memory (16 bytes a sample) up to
 * {@link #MAX_SAMPLES} and refuses beyond: the long layout streams any size. With {@code --step}
 * the series share the grid and the rows are full.
 */
final class CsvWideWriter extends TextWriter {
  /** 10 M samples: 160 MB of arrays, the most a wide export buffers. */
  static final long MAX_SAMPLES = 10_000_000;

  private final long maxSamples;
  private final List<String> names = new ArrayList<>();
  private final List<long[]> times = new ArrayList<>();
  private final List<double[]> values = new ArrayList<>();
  private final List<Integer> sizes = new ArrayList<>();
  private final java.util.Map<String, Integer> columns = new java.util.HashMap<>();
  private int cur;
  private long total;
  private long[] ts;
  private double[] vs;
  private int n;

  CsvWideWriter(OutputStream out, long maxSamples) {
    super(out);
    this.maxSamples = maxSamples;
  }

  @Override
  public void beginSeries(Labels labels) {
    StringBuilder sb = new StringBuilder(Text.name(labels));
    StringBuilder sel = new StringBuilder();
    Text.selectorLabels(sel, labels);
    if (sel.length() > 2) {
      sb.append(sel);
    }
    // A series met again (the next block of a store) continues its column.
    Integer col = columns.get(sb.toString());
    if (col != null) {
      cur = col;
      ts = times.get(col);
      vs = values.get(col);
      n = sizes.get(col);
      return;
    }
    cur = names.size();
    columns.put(sb.toString(), cur);
    names.add(sb.toString());
    times.add(null);
    values.add(null);
    sizes.add(0);
    ts = new long[16];
    vs = new double[16];
    n = 0;
  }

  @Override
  public void sample(long t, double v) {
    if (++total > maxSamples) {
      throw new IllegalArgumentException(
          "the wide CSV layout holds the whole export in memory and this one passes "
              + maxSamples
              + " samples: use --layout long, a --step, or a shorter range");
    }
    if (n == ts.length) {
      ts = java.util.Arrays.copyOf(ts, n * 2);
      vs = java.util.Arrays.copyOf(vs, n * 2);
    }
    ts[n] = t;
    vs[n++] = v;
  }

  @Override
  public void endSeries() {
    times.set(cur, ts);
    values.set(cur, vs);
    sizes.set(cur, n);
  }

  @Override
  public void finish() throws IOException {
    line.append("timestamp");
    for (String name : names) {
      line.append(',');
      Text.csvField(line, name);
    }
    line.append('\n');
    int k = names.size();
    int[] pos = new int[k];
    // The series whose next sample is earliest: a k-way merge of the columns by timestamp.
    PriorityQueue<Integer> heap =
        new PriorityQueue<>(
            Math.max(1, k), (a, b) -> Long.compare(times.get(a)[pos[a]], times.get(b)[pos[b]]));
    for (int i = 0; i < k; i++) {
      if (sizes.get(i) > 0) {
        heap.add(i);
      }
    }
    String[] row = new String[k];
    while (!heap.isEmpty()) {
      long t = times.get(heap.peek())[pos[heap.peek()]];
      java.util.Arrays.fill(row, null);
      while (!heap.isEmpty() && times.get(heap.peek())[pos[heap.peek()]] == t) {
        int i = heap.poll();
        StringBuilder v = new StringBuilder();
        Text.number(v, values.get(i)[pos[i]]);
        row[i] = v.toString();
        if (++pos[i] < sizes.get(i)) {
          heap.add(i);
        }
      }
      Text.RFC3339_MS.formatTo(java.time.Instant.ofEpochMilli(t), line);
      for (String cell : row) {
        line.append(',');
        if (cell != null) {
          line.append(cell);
        }
      }
      line.append('\n');
      if (line.length() > 8192) {
        emit();
      }
    }
    super.finish();
  }
}
