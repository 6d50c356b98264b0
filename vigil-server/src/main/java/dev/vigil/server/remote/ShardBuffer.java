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
    final byte[] encodedLabels;
    long[] ts = new long[4];
    double[] vs = new double[4];
    int n;
    List<Exemplar> exemplars;

    Series(Labels labels, byte[] encodedLabels) {
      this.labels = labels;
      this.encodedLabels = encodedLabels;
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

  void add(long ref, Labels labels, byte[] encodedLabels, long t, double v) {
    Series s = byRef.get(ref);
    if (s == null) {
      s = new Series(labels, encodedLabels);
      byRef.put(ref, s);
    }
    s.add(t, v);
    samples++;
  }

  void addExemplar(long ref, Labels labels, Exemplar e) {
    Series s = byRef.computeIfAbsent(ref, r -> new Series(labels, null));
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
    Series p = new Series(s.labels, s.encodedLabels);
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

  /**
   * A {@code prometheus.WriteRequest}: TimeSeries{labels=1, samples=2, exemplars=3}, written
   * straight into one buffer: a series' labels are encoded once (cached per series by the queue)
   * and each sample is 12 to 21 bytes of fixed layout.
   */
  private static byte[] v1(List<Series> part) {
    Buf w = new Buf();
    for (Series s : part) {
      byte[] lb = s.encodedLabels != null ? s.encodedLabels : encodeLabels(s.labels);
      byte[] ex = s.exemplars == null ? null : exemplars(s.exemplars);
      long size = lb.length + (ex == null ? 0 : ex.length);
      for (int i = 0; i < s.n; i++) {
        int inner = 10 + Buf.varintSize(s.ts[i]);
        size += 1 + Buf.varintSize(inner) + inner;
      }
      w.put(0x0A); // field 1, LEN: a TimeSeries
      w.varint(size);
      w.raw(lb, 0, lb.length);
      for (int i = 0; i < s.n; i++) {
        int inner = 10 + Buf.varintSize(s.ts[i]);
        w.put(0x12); // field 2, LEN: a Sample
        w.varint(inner);
        w.put(0x09); // field 1, fixed64: value
        w.fixed64(Double.doubleToRawLongBits(s.vs[i]));
        w.put(0x10); // field 2, varint: timestamp
        w.varint(s.ts[i]);
      }
      if (ex != null) {
        w.raw(ex, 0, ex.length);
      }
    }
    return w.toByteArray();
  }

  /** The TimeSeries' repeated Label fields for {@code l}: what a queue caches per series. */
  static byte[] encodeLabels(Labels l) {
    ProtoWriter w = new ProtoWriter();
    labels(w, l);
    return w.toByteArray();
  }

  private static byte[] exemplars(List<Exemplar> es) {
    ProtoWriter w = new ProtoWriter();
    for (Exemplar e : es) {
      w.message(3, ex -> labels(ex, e.labels()).doubleField(2, e.v()).varint(3, e.t()));
    }
    return w.toByteArray();
  }

  /** A growable byte buffer for the hand-laid-out messages above. */
  private static final class Buf {
    private byte[] b = new byte[1 << 14];
    private int n;

    static int varintSize(long v) {
      int k = 1;
      while ((v & ~0x7FL) != 0) {
        v >>>= 7;
        k++;
      }
      return k;
    }

    private void ensure(int more) {
      if (n + more > b.length) {
        b = Arrays.copyOf(b, Math.max(n + more, b.length * 2));
      }
    }

    void put(int x) {
      ensure(1);
      b[n++] = (byte) x;
    }

    void varint(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        b[n++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      b[n++] = (byte) v;
    }

    void fixed64(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        b[n++] = (byte) (v >>> (8 * i)); // little-endian, as protobuf's fixed64
      }
    }

    void raw(byte[] x, int off, int len) {
      ensure(len);
      System.arraycopy(x, off, b, n, len);
      n += len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(b, n);
    }
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
