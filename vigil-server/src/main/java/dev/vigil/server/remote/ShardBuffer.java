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
 * The samples (and exemplars) one shard has read and not sent yet, cut into requests of at most
 * {@code maxSamplesPerSend} samples with each series' samples grouped in the order read. Not
 * thread-safe: the queue's reader fills it, then one sender drains it while the reader waits.
 *
 * <p>Adding a sample allocates nothing: samples go into parallel arrays that are kept from one
 * flush to the next, and draining groups them by series with a counting sort over reused arrays
 * before encoding them straight into one reused buffer.
 */
final class ShardBuffer {
  /** What the queue knows of a series: its labels as sent and their 1.0 encoding (or null). */
  record SeriesLabels(Labels labels, byte[] encoded) {}

  /** An exemplar read from the WAL. */
  record Exemplar(Labels labels, long t, double v) {}

  /** One encoded request: the protobuf message and what it carries. */
  record Request(byte[] proto, int samples, int exemplars, long highestTimestamp) {}

  // Samples in the order read.
  private long[] refs = new long[256];
  private SeriesLabels[] labels = new SeriesLabels[256];
  private long[] ts = new long[256];
  private double[] vs = new double[256];
  private int samples;
  // Rare: exemplars by series ref, in the order read.
  private final Map<Long, List<Exemplar>> exemplars = new LinkedHashMap<>();
  private final Map<Long, SeriesLabels> exemplarLabels = new LinkedHashMap<>();
  private int exemplarCount;
  // Drain scratch, reused: ref -> series slot (open addressing), per slot first sample and count.
  private long[] slotKeys = new long[512];
  private int[] slotOf = new int[512];
  private boolean[] slotUsed = new boolean[512];
  private int[] slotStart = new int[256];
  private int[] slotCount = new int[256];
  private long[] slotRef = new long[256];
  private SeriesLabels[] slotLabels = new SeriesLabels[256];
  private int[] order = new int[256];
  private final Buf buf = new Buf();

  void add(long ref, SeriesLabels l, long t, double v) {
    if (samples == refs.length) {
      int n = samples * 2;
      refs = Arrays.copyOf(refs, n);
      labels = Arrays.copyOf(labels, n);
      ts = Arrays.copyOf(ts, n);
      vs = Arrays.copyOf(vs, n);
    }
    refs[samples] = ref;
    labels[samples] = l;
    ts[samples] = t;
    vs[samples] = v;
    samples++;
  }

  void addExemplar(long ref, SeriesLabels l, Exemplar e) {
    exemplars.computeIfAbsent(ref, r -> new ArrayList<>()).add(e);
    exemplarLabels.putIfAbsent(ref, l);
    exemplarCount++;
  }

  int samples() {
    return samples;
  }

  boolean isEmpty() {
    return samples == 0 && exemplarCount == 0;
  }

  /** Encodes everything as requests of at most {@code perSend} samples, and empties the buffer. */
  List<Request> drain(int perSend, boolean v2) {
    int slots = group();
    List<Request> out = new ArrayList<>();
    int from = 0; // first slot of the request being built
    int firstOffset = 0; // samples of slot `from` already sent in earlier requests
    while (from < slots) {
      // Take whole series (and the part of one that fits) up to perSend samples.
      int to = from;
      int taken = 0;
      int lastTake = 0;
      while (to < slots && taken < perSend) {
        int left = slotCount[to] - (to == from ? firstOffset : 0);
        lastTake = Math.min(left, perSend - taken);
        taken += lastTake;
        to++;
        if (lastTake < left) {
          break;
        }
      }
      out.add(encode(from, firstOffset, to, lastTake, v2));
      int last = to - 1;
      int lastDone = (last == from ? firstOffset : 0) + lastTake;
      if (lastDone < slotCount[last]) {
        from = last;
        firstOffset = lastDone;
      } else {
        from = to;
        firstOffset = 0;
      }
    }
    Arrays.fill(labels, 0, samples, null);
    Arrays.fill(slotLabels, 0, slots, null);
    samples = 0;
    exemplars.clear();
    exemplarLabels.clear();
    exemplarCount = 0;
    return out;
  }

  /** Numbers the series in the order first read and sorts the samples' indexes by series. */
  private int group() {
    int cap = Integer.highestOneBit(Math.max(16, (samples + exemplars.size()) * 2)) * 2;
    if (slotKeys.length < cap) {
      slotKeys = new long[cap];
      slotOf = new int[cap];
      slotUsed = new boolean[cap];
    } else {
      Arrays.fill(slotUsed, false);
    }
    int need = samples + exemplars.size();
    if (slotCount.length < need) {
      int n = Math.max(need, slotCount.length * 2);
      slotStart = new int[n];
      slotCount = new int[n];
      slotRef = new long[n];
      slotLabels = new SeriesLabels[n];
    }
    if (order.length < samples) {
      order = new int[Math.max(samples, order.length * 2)];
    }
    int slots = 0;
    for (int i = 0; i < samples; i++) {
      int s = slot(refs[i], slots);
      if (s == slots) {
        slotCount[s] = 0;
        slotRef[s] = refs[i];
        slotLabels[s] = labels[i];
        slots++;
      }
      slotCount[s]++;
      order[i] = s; // for now: each sample's slot
    }
    for (Map.Entry<Long, SeriesLabels> e : exemplarLabels.entrySet()) {
      int s = slot(e.getKey(), slots);
      if (s == slots) {
        slotCount[s] = 0;
        slotRef[s] = e.getKey();
        slotLabels[s] = e.getValue();
        slots++;
      }
    }
    int at = 0;
    for (int s = 0; s < slots; s++) {
      slotStart[s] = at;
      at += slotCount[s];
    }
    // Counting sort: sample indexes by slot, each slot's samples in the order read. slotStart
    // advances while placing and is restored after.
    int[] sorted = scratchSorted(samples);
    for (int i = 0; i < samples; i++) {
      sorted[slotStart[order[i]]++] = i;
    }
    for (int s = 0; s < slots; s++) {
      slotStart[s] -= slotCount[s];
    }
    System.arraycopy(sorted, 0, order, 0, samples);
    return slots;
  }

  private int[] sortedScratch = new int[256];

  private int[] scratchSorted(int n) {
    if (sortedScratch.length < n) {
      sortedScratch = new int[Math.max(n, sortedScratch.length * 2)];
    }
    return sortedScratch;
  }

  /** The slot of {@code ref}, or {@code next} after registering it as a new one. */
  private int slot(long ref, int next) {
    int mask = slotKeys.length - 1;
    int i = (int) ((ref * 0x9E3779B97F4A7C15L) >>> 33) & mask;
    while (slotUsed[i]) {
      if (slotKeys[i] == ref) {
        return slotOf[i];
      }
      i = (i + 1) & mask;
    }
    slotUsed[i] = true;
    slotKeys[i] = ref;
    slotOf[i] = next;
    return next;
  }

  /**
   * One request: slots {@code from} (starting at its sample {@code firstOffset}) to {@code to}
   * exclusive, of which the last contributes {@code lastTake} samples.
   */
  private Request encode(int from, int firstOffset, int to, int lastTake, boolean v2) {
    int count = 0;
    int exCount = 0;
    long highest = Long.MIN_VALUE;
    List<RemoteWriteEncoder.Series> v2Series = v2 ? new ArrayList<>() : null;
    buf.reset();
    for (int s = from; s < to; s++) {
      int off = s == from ? firstOffset : 0;
      int n = s == to - 1 ? lastTake : slotCount[s] - off;
      int base = slotStart[s] + off;
      // A series' exemplars go with its first part.
      List<Exemplar> ex = off == 0 ? exemplars.get(slotRef[s]) : null;
      if (n == 0 && ex == null) {
        continue;
      }
      exCount += ex == null ? 0 : ex.size();
      for (int k = 0; k < n; k++) {
        highest = Math.max(highest, ts[order[base + k]]);
      }
      count += n;
      if (v2) {
        long[] t = new long[n];
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
          t[k] = ts[order[base + k]];
          v[k] = vs[order[base + k]];
        }
        v2Series.add(new RemoteWriteEncoder.Series(slotLabels[s].labels(), t, v));
      } else {
        timeSeries(slotLabels[s], base, n, ex);
      }
    }
    byte[] proto = v2 ? RemoteWriteEncoder.v2(v2Series) : buf.toByteArray();
    return new Request(proto, count, exCount, highest);
  }

  /**
   * A {@code prometheus.WriteRequest}'s TimeSeries{labels=1, samples=2, exemplars=3}, written
   * straight into the buffer: a series' labels are encoded once (cached per series by the queue)
   * and each sample is 12 to 21 bytes of fixed layout.
   */
  private void timeSeries(SeriesLabels l, int base, int n, List<Exemplar> ex) {
    byte[] lb = l.encoded() != null ? l.encoded() : encodeLabels(l.labels());
    byte[] eb = ex == null ? null : exemplars(ex);
    long size = lb.length + (eb == null ? 0 : eb.length);
    for (int k = 0; k < n; k++) {
      int inner = 10 + Buf.varintSize(ts[order[base + k]]);
      size += 1 + Buf.varintSize(inner) + inner;
    }
    buf.put(0x0A); // field 1, LEN: a TimeSeries
    buf.varint(size);
    buf.raw(lb, 0, lb.length);
    for (int k = 0; k < n; k++) {
      int i = order[base + k];
      int inner = 10 + Buf.varintSize(ts[i]);
      buf.put(0x12); // field 2, LEN: a Sample
      buf.varint(inner);
      buf.put(0x09); // field 1, fixed64: value
      buf.fixed64(Double.doubleToRawLongBits(vs[i]));
      buf.put(0x10); // field 2, varint: timestamp
      buf.varint(ts[i]);
    }
    if (eb != null) {
      buf.raw(eb, 0, eb.length);
    }
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

  /** A growable byte buffer for the hand-laid-out messages above, kept across requests. */
  private static final class Buf {
    private byte[] b = new byte[1 << 14];
    private int n;

    static int varintSize(long v) {
      return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    void reset() {
      n = 0;
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
