package dev.vigil.ingest;

import dev.vigil.model.Exemplar;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The decoded content of one push request: series, their float samples, and what the decoder
 * already refused (e.g. string fields), before limits and storage have had their say.
 *
 * <pre>{@code
 * SampleBatch b = new SampleBatch();
 * int s = b.series(Labels.of("__name__", "up", "job", "node"));
 * b.add(s, 1_700_000_000_000L, 1);
 * }</pre>
 *
 * <p>Not thread-safe: one decoder fills it, then {@link Ingester#write} consumes it.
 */
public final class SampleBatch {
  private final List<Labels> series = new ArrayList<>();
  private final List<SeriesCache.Entry> entries = new ArrayList<>();
  private int[] sampleSeries = new int[64];
  private long[] times = new long[64];
  private double[] values = new double[64];
  private int samples;
  private int[] exemplarSeries = new int[0];
  private final List<Exemplar> exemplars = new ArrayList<>();
  private final Map<RejectReason, Long> decodeRejects = new EnumMap<>(RejectReason.class);
  private final List<String> errors = new ArrayList<>();

  /** Registers a series; returns its index for {@link #add}. */
  public int series(Labels labels) {
    series.add(labels);
    entries.add(null);
    return series.size() - 1;
  }

  /** Registers a series known to a {@link SeriesCache}; returns its index for {@link #add}. */
  public int series(SeriesCache.Entry entry) {
    series.add(entry.labels);
    entries.add(entry);
    return series.size() - 1;
  }

  /** The cache entry of a series, or null when it was registered by labels. */
  SeriesCache.Entry entry(int seriesIndex) {
    return entries.get(seriesIndex);
  }

  /** Adds a sample (milliseconds since the epoch) to a registered series. */
  public void add(int seriesIndex, long timeMillis, double value) {
    if (samples == times.length) {
      int n = samples * 2;
      sampleSeries = Arrays.copyOf(sampleSeries, n);
      times = Arrays.copyOf(times, n);
      values = Arrays.copyOf(values, n);
    }
    sampleSeries[samples] = seriesIndex;
    times[samples] = timeMillis;
    values[samples] = value;
    samples++;
  }

  /** Adds an exemplar to a registered series (stored next to its samples). */
  public void addExemplar(int seriesIndex, Exemplar e) {
    int i = exemplars.size();
    if (i == exemplarSeries.length) {
      exemplarSeries = Arrays.copyOf(exemplarSeries, Math.max(16, i * 2));
    }
    exemplarSeries[i] = seriesIndex;
    exemplars.add(e);
  }

  public int exemplarCount() {
    return exemplars.size();
  }

  int exemplarSeries(int i) {
    return exemplarSeries[i];
  }

  Exemplar exemplar(int i) {
    return exemplars.get(i);
  }

  /** Records {@code n} points the decoder refused, with a message for the response. */
  public void reject(RejectReason reason, long n, String message) {
    decodeRejects.merge(reason, n, Long::sum);
    if (message != null) {
      errors.add(message);
    }
  }

  public int seriesCount() {
    return series.size();
  }

  public int sampleCount() {
    return samples;
  }

  public Labels labels(int seriesIndex) {
    return series.get(seriesIndex);
  }

  int sampleSeries(int i) {
    return sampleSeries[i];
  }

  long time(int i) {
    return times[i];
  }

  double value(int i) {
    return values[i];
  }

  /** Points the decoder refused, by reason. */
  public Map<RejectReason, Long> decodeRejects() {
    return decodeRejects;
  }

  /** Messages of the decoder's refusals, in order. */
  public List<String> decodeErrors() {
    return errors;
  }
}
