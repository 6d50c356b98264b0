package dev.vigil.ingest.remote;

import dev.vigil.ingest.MetadataStore;
import dev.vigil.ingest.RejectReason;
import dev.vigil.ingest.SampleBatch;
import dev.vigil.ingest.SeriesCache;
import dev.vigil.ingest.wire.ProtoReader;
import dev.vigil.model.Exemplar;
import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a Prometheus remote write 1.0 {@code prometheus.WriteRequest} (already decompressed) into
 * a {@link SampleBatch}; metadata goes to a {@link MetadataStore}.
 *
 * <pre>{@code
 * SampleBatch batch = new SampleBatch();
 * RemoteWrite1Decoder.decode(Snappy.decompress(body, max), batch, metadataStore);
 * }</pre>
 *
 * <p>Stateless. Native histograms cannot be stored as floats: they are counted as {@link
 * RejectReason#UNSUPPORTED_TYPE}. Exemplars go into the batch next to their series' samples.
 */
public final class RemoteWrite1Decoder {
  /*
   * message WriteRequest { repeated TimeSeries timeseries = 1; reserved 2;
   *                        repeated MetricMetadata metadata = 3; }
   * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2;
   *                        repeated Exemplar exemplars = 3; repeated Histogram histograms = 4; }
   * message Label        { string name = 1; string value = 2; }
   * message Sample       { double value = 1; int64 timestamp = 2; }
   * message Exemplar     { repeated Label labels = 1; double value = 2; int64 timestamp = 3; }
   * message MetricMetadata { MetricType type = 1; string metric_family_name = 2;
   *                          string help = 4; string unit = 5; }
   */

  /** Field 1 (labels), wire type 2. */
  private static final int LABEL_TAG = (1 << 3) | ProtoReader.LEN;

  private RemoteWrite1Decoder() {}

  /**
   * Decodes one request.
   *
   * @throws dev.vigil.ingest.wire.ProtoException when the message is malformed (nothing of it is to
   *     be stored)
   */
  public static void decode(byte[] proto, SampleBatch batch, MetadataStore metadata) {
    decode(proto, batch, metadata, null);
  }

  /**
   * Decodes one request, resolving series whose encoded labels were seen before from {@code cache}
   * (may be null).
   */
  public static void decode(
      byte[] proto, SampleBatch batch, MetadataStore metadata, SeriesCache cache) {
    ProtoReader r = new ProtoReader(proto);
    SeriesScratch scratch = new SeriesScratch();
    List<MetricMetadata> meta = new ArrayList<>();
    while (r.hasMore()) {
      int tag = r.readTag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          r.expect(tag, ProtoReader.LEN, "WriteRequest.timeseries");
          int saved = r.enter();
          timeSeries(r, batch, scratch, cache);
          r.leave(saved);
        }
        case 3 -> {
          r.expect(tag, ProtoReader.LEN, "WriteRequest.metadata");
          int saved = r.enter();
          meta.add(metadata(r));
          r.leave(saved);
        }
        default -> r.skip(tag);
      }
    }
    // Only once the whole message decoded: a malformed request changes nothing.
    for (MetricMetadata m : meta) {
      metadata.put(m);
    }
  }

  private static void timeSeries(
      ProtoReader r, SampleBatch batch, SeriesScratch s, SeriesCache cache) {
    s.reset();
    // The leading run of label fields: its bytes are the cache key.
    int start = r.position();
    int end = start;
    while (cache != null && r.hasMore()) {
      int p = r.position();
      int tag = r.readTag();
      if (tag != LABEL_TAG) {
        r.rewind(p);
        break;
      }
      r.skip(tag);
      end = r.position();
    }
    SeriesCache.Entry entry = end > start ? cache.get(r.buffer(), start, end - start) : null;
    if (entry == null) {
      r.rewind(start);
    }
    boolean labelsAfterRun = false;
    int histograms = 0;
    while (r.hasMore()) {
      int tagAt = r.position();
      int tag = r.readTag();
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          if (entry != null) {
            // Labels not contiguous: the cached run was only part of them. Decode in full.
            entry = null;
            s.reset();
            histograms = 0;
            r.rewind(start);
            continue;
          }
          labelsAfterRun |= tagAt >= end;
          r.expect(tag, ProtoReader.LEN, "TimeSeries.labels");
          int saved = r.enter();
          label(r, s.nv);
          r.leave(saved);
        }
        case 2 -> {
          r.expect(tag, ProtoReader.LEN, "TimeSeries.samples");
          int saved = r.enter();
          sample(r, s);
          r.leave(saved);
        }
        case 3 -> {
          r.expect(tag, ProtoReader.LEN, "TimeSeries.exemplars");
          int saved = r.enter();
          s.exemplar(exemplar(r));
          r.leave(saved);
        }
        case 4 -> {
          histograms++;
          r.skip(tag);
        }
        default -> r.skip(tag);
      }
    }
    if (entry != null) {
      s.addSamples(batch, batch.series(entry));
    } else {
      Labels labels = s.labels(batch);
      if (labels != null) {
        int idx;
        if (cache != null && end > start && !labelsAfterRun) {
          idx = batch.series(cache.put(r.buffer(), start, end - start, labels));
        } else {
          idx = batch.series(labels);
        }
        s.addSamples(batch, idx);
      }
    }
    if (histograms > 0) {
      batch.reject(
          RejectReason.UNSUPPORTED_TYPE,
          histograms,
          s.describe() + ": " + histograms + " native histogram samples not stored (floats only)");
    }
  }

  /** One {@code Exemplar} message (the reader inside it). */
  private static Exemplar exemplar(ProtoReader r) {
    List<String> nv = new ArrayList<>();
    double v = 0;
    long ts = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          r.expect(t, ProtoReader.LEN, "Exemplar.labels");
          int saved = r.enter();
          label(r, nv);
          r.leave(saved);
        }
        case 2 -> {
          r.expect(t, ProtoReader.FIXED64, "Exemplar.value");
          v = r.readDouble();
        }
        case 3 -> {
          r.expect(t, ProtoReader.VARINT, "Exemplar.timestamp");
          ts = r.readVarint64();
        }
        default -> r.skip(t);
      }
    }
    return exemplar(nv, v, ts, r);
  }

  /**
   * Reads one {@code Sample} message (the reader inside it) into the series being decoded; the
   * message is the same in remote write 1.0 and 2.0.
   */
  static void sample(ProtoReader r, SeriesScratch s) {
    double v = 0;
    long ts = 0;
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          r.expect(t, ProtoReader.FIXED64, "Sample.value");
          v = r.readDouble();
        }
        case 2 -> {
          r.expect(t, ProtoReader.VARINT, "Sample.timestamp");
          ts = r.readVarint64();
        }
        default -> r.skip(t);
      }
    }
    s.sample(ts, v);
  }

  /** Reads one {@code Label} message (the reader inside it), appending its name and value. */
  private static void label(ProtoReader r, List<String> nameValues) {
    String name = "";
    String value = "";
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          r.expect(t, ProtoReader.LEN, "Label.name");
          name = r.readString();
        }
        case 2 -> {
          r.expect(t, ProtoReader.LEN, "Label.value");
          value = r.readString();
        }
        default -> r.skip(t);
      }
    }
    nameValues.add(name);
    nameValues.add(value);
  }

  /** An exemplar from alternating label names and values; bad labels are a malformed message. */
  static Exemplar exemplar(List<String> nv, double v, long ts, ProtoReader r) {
    try {
      return new Exemplar(Labels.of(nv.toArray(new String[0])), v, ts);
    } catch (IllegalArgumentException e) {
      throw new dev.vigil.ingest.wire.ProtoException(
          "invalid exemplar labels: " + e.getMessage(), r.position());
    }
  }

  private static MetricMetadata metadata(ProtoReader r) {
    int type = 0;
    String family = "";
    String help = "";
    String unit = "";
    while (r.hasMore()) {
      int t = r.readTag();
      switch (ProtoReader.field(t)) {
        case 1 -> {
          r.expect(t, ProtoReader.VARINT, "MetricMetadata.type");
          type = r.readVarint32();
        }
        case 2 -> {
          r.expect(t, ProtoReader.LEN, "MetricMetadata.metric_family_name");
          family = r.readString();
        }
        case 4 -> {
          r.expect(t, ProtoReader.LEN, "MetricMetadata.help");
          help = r.readString();
        }
        case 5 -> {
          r.expect(t, ProtoReader.LEN, "MetricMetadata.unit");
          unit = r.readString();
        }
        default -> r.skip(t);
      }
    }
    return new MetricMetadata(family, typeName(type), help, unit);
  }

  /** Reusable per-series buffers: labels and samples of the series being decoded. */
  static final class SeriesScratch {
    private final List<String> nv = new ArrayList<>();
    private long[] times = new long[16];
    private double[] values = new double[16];
    private int n;
    private final List<Exemplar> exemplars = new ArrayList<>();

    void reset() {
      nv.clear();
      n = 0;
      exemplars.clear();
    }

    void exemplar(Exemplar e) {
      exemplars.add(e);
    }

    /** Appends alternating name, value strings (remote write 2.0 label refs). */
    void pendingRefs(List<String> nameValues) {
      nv.addAll(nameValues);
    }

    /** The {@code __name__} value decoded so far, or null. */
    String metricName() {
      for (int i = 0; i + 1 < nv.size(); i += 2) {
        if (nv.get(i).equals(Labels.METRIC_NAME)) {
          return nv.get(i + 1);
        }
      }
      return null;
    }

    void sample(long t, double v) {
      if (n == times.length) {
        times = java.util.Arrays.copyOf(times, n * 2);
        values = java.util.Arrays.copyOf(values, n * 2);
      }
      times[n] = t;
      values[n] = v;
      n++;
    }

    String describe() {
      StringBuilder sb = new StringBuilder("series {");
      for (int i = 0; i + 1 < nv.size(); i += 2) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(nv.get(i)).append("=\"").append(nv.get(i + 1)).append('"');
      }
      return sb.append('}').toString();
    }

    /** Adds the series and its samples to the batch, or rejects them for invalid labels. */
    void flush(SampleBatch batch) {
      Labels labels = labels(batch);
      if (labels != null) {
        addSamples(batch, batch.series(labels));
      }
    }

    /** Adds the decoded samples and exemplars to a registered series. */
    void addSamples(SampleBatch batch, int idx) {
      for (int i = 0; i < n; i++) {
        batch.add(idx, times[i], values[i]);
      }
      for (Exemplar e : exemplars) {
        batch.addExemplar(idx, e);
      }
    }

    /**
     * The decoded labels, or null (samples rejected) when invalid or when there are neither samples
     * nor exemplars.
     */
    Labels labels(SampleBatch batch) {
      if (n == 0 && exemplars.isEmpty()) {
        return null;
      }
      if (nv.size() % 2 != 0) {
        batch.reject(
            RejectReason.INVALID_LABELS,
            n,
            describe() + ": odd number of label references (" + nv.size() + ")");
        return null;
      }
      Labels labels;
      try {
        labels = Labels.of(nv.toArray(new String[0]));
      } catch (IllegalArgumentException e) {
        batch.reject(RejectReason.INVALID_LABELS, n, describe() + ": " + e.getMessage());
        return null;
      }
      for (int i = 0; i < nv.size(); i += 2) {
        if (nv.get(i).isEmpty()) {
          batch.reject(RejectReason.INVALID_LABELS, n, describe() + ": empty label name");
          return null;
        }
      }
      return labels;
    }
  }

  private static final String[] TYPES = {
    "unknown", "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset"
  };

  /** The type name of a remote-write {@code MetricType} enum number (1.0 and 2.0 agree). */
  static String typeName(int protoType) {
    return protoType >= 0 && protoType < TYPES.length ? TYPES[protoType] : "unknown";
  }
}
