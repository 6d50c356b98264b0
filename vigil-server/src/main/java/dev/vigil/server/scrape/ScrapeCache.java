package dev.vigil.server.scrape;

import dev.vigil.model.Labels;
import dev.vigil.model.MetricMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 * {@link #commit()} (success) or {@link #forgetLastScrape()} (failure).
 */
final class ScrapeCache {
  /*
   * The raw "name{labels}" text of a line maps to its final labels and storage ref, so a steady
   * target costs no relabeling, no label sorting and no index lookups after its first scrape (the
   * idea of Prometheus' scrapeCache). Entries not seen in a successful scrape are dropped.
   */

  /** A cached series: its final labels (null when metric relabeling drops it) and storage ref. */
  static final class Entry {
    final Labels labels;
    long ref;
    boolean explicitTimestamp;

    Entry(Labels labels) {
      this.labels = labels;
    }
  }

  private final Map<String, Entry> byKey = new HashMap<>();
  private Map<Entry, Boolean> lastScrape = new IdentityHashMap<>();
  private Map<Entry, Boolean> thisScrape = new IdentityHashMap<>();
  private final Map<String, MetricMetadata> metadata = new ConcurrentHashMap<>();
  private final long[] reportRefs = new long[ScrapeLoop.REPORT_NAMES.length];

  /** The entry of an exposition key, or null on first sight. */
  Entry get(String key) {
    return byKey.get(key);
  }

  /** Remembers a new series under its exposition key. */
  Entry add(String key, Labels labels) {
    Entry e = new Entry(labels);
    byKey.put(key, e);
    return e;
  }

  /** Records that the running scrape exposed {@code e}. */
  void seen(Entry e) {
    thisScrape.put(e, Boolean.TRUE);
  }

  /** Series of the last successful scrape that the running one did not expose. */
  List<Entry> vanished() {
    List<Entry> out = new ArrayList<>();
    for (Entry e : lastScrape.keySet()) {
      if (!thisScrape.containsKey(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** Series of the last successful scrape. */
  List<Entry> lastScrape() {
    return new ArrayList<>(lastScrape.keySet());
  }

  /**
   * The running scrape succeeded: it becomes the last one; series it did not expose are dropped.
   */
  void commit() {
    byKey.values().removeIf(e -> !thisScrape.containsKey(e));
    lastScrape = thisScrape;
    thisScrape = new IdentityHashMap<>();
  }

  /** The running scrape is discarded, and the last one is forgotten (its series were staled). */
  void forgetLastScrape() {
    lastScrape = new IdentityHashMap<>();
    thisScrape = new IdentityHashMap<>();
  }

  /** The running scrape is discarded; the last one stays (the loop was stopped mid-scrape). */
  void abandon() {
    thisScrape = new IdentityHashMap<>();
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
