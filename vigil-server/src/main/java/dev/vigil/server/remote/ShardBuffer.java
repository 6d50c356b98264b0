package dev.vigil.server.remote;

import dev.vigil.ingest.remote.RemoteWriteEncoder;
import dev.vigil.ingest.wire.ProtoWriter;
import dev.vigil.model.Labels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples (and exemplars) one shard has read and not sent yet, grouped by series in the order
 * read, and cut into requests of at most {@code maxSamplesPerSend} samples. Not thread-safe: the
 * queue's reader fills it, then one sender drains it while the reader waits.
 */
final class ShardBuffer {
  /** One series' pending samples and exemplars. */
  static final class Series {
    final Labels labels;
    long[] ts = new long[4];
    double[] vs = new double[4];
    int n;
    List<Exemplar> exemplars;

    Series(Labels labels) {
      this.labels = labels;
    }

    void add(long t, double v) {
      if (n == ts.length) {
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
      }
      ts[n] = t;
      vs[n] = v;
      n++;
    }
  }

  /** An exemplar read from the WAL. */
  record Exemplar(Labels labels, long t, double v) {}

  /** One encoded request: the protobuf message and what it carries. */
  record Request(byte[] proto, int samples, int exemplars, long highestTimestamp) {}

  private final Map<Long, Series> byRef = new LinkedHashMap<>();
  private int samples;
  private int exemplars;

  void add(long ref, Labels labels, long t, double v) {
    byRef.computeIfAbsent(ref, r -> new Series(labels)).add(t, v);
    samples++;
  }

  void addExemplar(long ref, Labels labels, Exemplar e) {
    Series s = byRef.computeIfAbsent(ref, r -> new Series(labels));
    if (s.exemplars == null) {
      s.exemplars = new ArrayList<>();
    }
    s.exemplars.add(e);
    exemplars++;
  }

  int samples() {
    return samples;
  }

  boolean isEmpty() {
    return samples == 0 && exemplars == 0;
  }

  /** Encodes everything as requests of at most {@code perSend} samples, and empties the buffer. */
  List<Request> drain(int perSend, boolean v2) {
    List<Request> out = new ArrayList<>();
    List<Series> part = new ArrayList<>();
    int inPart = 0;
    for (Series s : byRef.values()) {
      int from = 0;
      do {
        int take = Math.min(s.n - from, perSend - inPart);
        part.add(slice(s, from, take, from == 0 ? s.exemplars : null));
        inPart += take;
        from += take;
        if (inPart >= perSend) {
          out.add(encode(part, v2));
          part.clear();
          inPart = 0;
        }
      } while (from < s.n);
    }
    if (!part.isEmpty()) {
      out.add(encode(part, v2));
    }
    byRef.clear();
    samples = 0;
    exemplars = 0;
    return out;
  }

  private static Series slice(Series s, int from, int n, List<Exemplar> ex) {
    Series p = new Series(s.labels);
    p.ts = Arrays.copyOfRange(s.ts, from, from + n);
    p.vs = Arrays.copyOfRange(s.vs, from, from + n);
    p.n = n;
    p.exemplars = ex;
    return p;
  }

  private static Request encode(List<Series> part, boolean v2) {
    int samples = 0;
    int exemplars = 0;
    long highest = Long.MIN_VALUE;
    for (Series s : part) {
      samples += s.n;
      exemplars += s.exemplars == null ? 0 : s.exemplars.size();
      for (int i = 0; i < s.n; i++) {
        highest = Math.max(highest, s.ts[i]);
      }
    }
    byte[] proto;
    if (v2) {
      List<RemoteWriteEncoder.Series> ss = new ArrayList<>(part.size());
      for (Series s : part) {
        ss.add(new RemoteWriteEncoder.Series(s.labels, s.ts, s.vs));
      }
      proto = RemoteWriteEncoder.v2(ss);
    } else {
      proto = v1(part);
    }
    return new Request(proto, samples, exemplars, highest);
  }

  /** A {@code prometheus.WriteRequest}: TimeSeries{labels=1, samples=2, exemplars=3}. */
  private static byte[] v1(List<Series> part) {
    ProtoWriter w = new ProtoWriter();
    for (Series s : part) {
      w.message(
          1,
          ts -> {
            labels(ts, s.labels);
            for (int i = 0; i < s.n; i++) {
              long t = s.ts[i];
              double v = s.vs[i];
              ts.message(2, smp -> smp.doubleField(1, v).varint(2, t));
            }
            if (s.exemplars != null) {
              for (Exemplar e : s.exemplars) {
                ts.message(3, ex -> labels(ex, e.labels()).doubleField(2, e.v()).varint(3, e.t()));
              }
            }
          });
    }
    return w.toByteArray();
  }

  private static ProtoWriter labels(ProtoWriter w, Labels l) {
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      String v = l.value(i);
      w.message(1, x -> x.string(1, n).string(2, v));
    }
    return w;
  }
}
