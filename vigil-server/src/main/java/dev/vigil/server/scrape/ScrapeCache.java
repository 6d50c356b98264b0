package dev.vigil.server.scrape;

import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one target's scrapes remember between runs: the final labels and storage ref of every
 * exposed series, the series of the last successful scrape (to mark the vanished ones stale), the
 * refs of the report series, and the metric metadata.
 *
 * <p>Not thread-safe except {@link #metadata()}: the {@link ScrapeLoop} owning it calls it under
 * its own lock. A scrape calls {@link #get}/{@link #add} and {@link #seen} per sample, then either
 * {@link #commit()} (success), {@link #forgetLastScrape()} (failure) or {@link #abandon()}.
 */
final class ScrapeCache {
  /*
   * The raw "name{labels}" bytes of a line map to its final labels (after target labels and
   * metric relabeling; null when relabeling drops it) and storage ref, so a steady target costs
   * no label parsing, no relabeling, no string and no index lookup after its first scrape (the
   * idea of Prometheus' scrapeCache). The table is keyed by the bytes themselves: open addressing
   * with linear probing over a hash of the byte range, compared byte by byte, so a lookup
   * allocates nothing (a String key per line was ~2 MiB per scrape of 20,000 series).
   *
   * Which series a scrape saw is an epoch stamp on each entry instead of a set per scrape: seen()
   * stamps the running epoch; commit() moves the stamp to "committed" and drops entries the scrape
   * did not see. Entries not seen in a successful scrape are dropped.
   */

  /** A cached series: its final labels (null when metric relabeling drops it) and storage ref. */
  static final class Entry {
    final byte[] key;
    final int hash;
    final Labels labels;
    long ref;
    boolean explicitTimestamp;

    /** Whether the key was first parsed as OpenMetrics (the same bytes may not parse as both). */
    boolean openMetrics;

    private long seenIn = -1;
    private long committedIn = -1;

    Entry(byte[] key, int hash, Labels labels) {
      this.key = key;
      this.hash = hash;
      this.labels = labels;
    }
  }

  private static final int MIN_CAPACITY = 64;

  private Entry[] table = new Entry[MIN_CAPACITY];
  private int size;

  /** The running scrape's epoch. */
  private long epoch = 1;

  /** The epoch of the last successful scrape, or -1 when there is none to compare with. */
  private long lastCommitted = -1;

  private final Map<String, MetricMetadata> metadata = new ConcurrentHashMap<>();
  private final long[] reportRefs = new long[ScrapeLoop.REPORT_NAMES.length];

  static int hash(byte[] b, int from, int to) {
    int h = 1;
    for (int i = from; i < to; i++) {
      h = 31 * h + b[i];
    }
    return h ^ (h >>> 16);
  }

  /** The entry of the series text {@code b[from, to)}, or null on first sight. */
  Entry get(byte[] b, int from, int to) {
    int h = hash(b, from, to);
    Entry[] t = table;
    int mask = t.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Entry e = t[i];
      if (e == null) {
        return null;
      }
      if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, b, from, to)) {
        return e;
      }
    }
  }

  /** Remembers a new series under its text {@code b[from, to)} (which must not be known yet). */
  Entry add(byte[] b, int from, int to, Labels labels) {
    Entry e = new Entry(Arrays.copyOfRange(b, from, to), hash(b, from, to), labels);
    if ((size + 1) * 2 > table.length) {
      rehash(table.length * 2);
    }
    insert(table, e);
    size++;
    return e;
  }

  private static void insert(Entry[] t, Entry e) {
    int mask = t.length - 1;
    int i = e.hash & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }

  private void rehash(int capacity) {
    Entry[] n = new Entry[capacity];
    for (Entry e : table) {
      if (e != null) {
        insert(n, e);
      }
    }
    table = n;
  }

  /** Records that the running scrape exposed {@code e}. */
  void seen(Entry e) {
    e.seenIn = epoch;
  }

  /** Series of the last successful scrape that the running one did not expose. */
  List<Entry> vanished() {
    List<Entry> out = List.of();
    if (lastCommitted < 0) {
      return out;
    }
    for (Entry e : table) {
      if (e != null && e.labels != null && e.committedIn == lastCommitted && e.seenIn != epoch) {
        if (out.isEmpty()) {
          out = new ArrayList<>();
        }
        out.add(e);
      }
    }
    return out;
  }

  /** Series of the last successful scrape (not the ones metric relabeling dropped). */
  List<Entry> lastScrape() {
    List<Entry> out = new ArrayList<>();
    if (lastCommitted < 0) {
      return out;
    }
    for (Entry e : table) {
      if (e != null && e.labels != null && e.committedIn == lastCommitted) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The running scrape succeeded: it becomes the last one; series it did not expose are dropped.
   */
  void commit() {
    int kept = 0;
    for (Entry e : table) {
      if (e != null && e.seenIn == epoch) {
        e.committedIn = epoch;
        kept++;
      }
    }
    if (kept != size) {
      int capacity = MIN_CAPACITY;
      while (kept * 2 > capacity) {
        capacity *= 2;
      }
      Entry[] n = new Entry[capacity];
      for (Entry e : table) {
        if (e != null && e.seenIn == epoch) {
          insert(n, e);
        }
      }
      table = n;
      size = kept;
    }
    lastCommitted = epoch;
    epoch++;
  }

  /** The running scrape is discarded, and the last one is forgotten (its series were staled). */
  void forgetLastScrape() {
    lastCommitted = -1;
    epoch++;
  }

  /** The running scrape is discarded; the last one stays (the loop was stopped mid-scrape). */
  void abandon() {
    epoch++;
  }

  /** Number of cached series (for tests). */
  int size() {
    return size;
  }

  /** Storage refs of the report series ({@code up}, ...), 0 before their first append. */
  long[] reportRefs() {
    return reportRefs;
  }

  /** Metadata of the metric families of the last scrapes, by family name; thread-safe. */
  Map<String, MetricMetadata> metadata() {
    return metadata;
  }
}
