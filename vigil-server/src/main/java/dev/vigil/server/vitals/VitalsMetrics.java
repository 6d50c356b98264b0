package dev.vigil.server.vitals;

import dev.vigil.metrics.Buckets;
import dev.vigil.metrics.Counter;
import dev.vigil.metrics.Histogram;
import dev.vigil.metrics.MetricRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The histograms browsers' beacons feed, by page ({@code vigil_browser_lcp_seconds{page}}, ...),
 * and the count of beacons by result. Stored like every metric of the registry: by Vigil's own
 * scrape of itself.
 */
final class VitalsMetrics {
  /*
   * Buckets include the web-vitals thresholds (good / poor: LCP 2.5 / 4 s, INP 0.2 / 0.5 s,
   * FID 0.1 / 0.3 s, TTFB 0.8 / 1.8 s, FCP 1.8 / 3 s, CLS 0.1 / 0.25), so a p75 near a threshold
   * is interpolated inside a bucket that ends on it and never crosses it by interpolation.
   */
  static final Buckets SECONDS =
      Buckets.of(0.05, 0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 1.8, 2.5, 3, 4, 6, 10, 20, 60);

  static final Buckets CLS = Buckets.of(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2);

  static final Buckets TIMINGS =
      Buckets.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);

  /** Results of {@code vigil_browser_beacons_total}. */
  static final List<String> RESULTS =
      List.of("accepted", "invalid", "too_large", "forbidden", "rate_limited", "disabled");

  private final Map<Beacon.Vital, Histogram> vitals = new EnumMap<>(Beacon.Vital.class);
  private final Histogram resources;
  private final Histogram marks;
  private final Counter beacons;

  VitalsMetrics(MetricRegistry registry, int maxPages, int maxMarks) {
    // Pages (+ other) times kinds or marks (+ other): the limit never folds a real series.
    int pages = maxPages + 1;
    for (Beacon.Vital v : Beacon.Vital.values()) {
      vitals.put(
          v,
          Histogram.builder()
              .name(v.metric)
              .help("Browsers' " + v.help + ", by page (vitals.js).")
              .labelNames("page")
              .buckets(v == Beacon.Vital.CLS ? CLS : SECONDS)
              .cardinalityLimit(pages)
              .register(registry));
    }
    resources =
        Histogram.builder()
            .name("vigil_browser_resource_duration_seconds")
            .help("Browsers' resource load durations by page and kind (vitals.js).")
            .labelNames("page", "kind")
            .buckets(TIMINGS)
            .cardinalityLimit(pages * Beacon.KINDS.size())
            .register(registry);
    marks =
        Histogram.builder()
            .name("vigil_browser_mark_seconds")
            .help("Navigation start to vigil.mark(name) in browsers, by page and mark.")
            .labelNames("page", "mark")
            .buckets(SECONDS)
            .cardinalityLimit(Math.max(1, pages * (maxMarks + 1)))
            .register(registry);
    beacons =
        Counter.builder()
            .name("vigil_browser_beacons_total")
            .help("Beacons POSTed to /api/v1/vitals by result.")
            .labelNames("result")
            .register(registry);
    for (String r : RESULTS) {
      beacons.labelValues(r);
    }
  }

  /**
   * Sizes the series limits for a reloaded {@code max_pages} and {@code max_marks}. They only grow:
   * the series of pages and marks already named stay, and a lower bound stops new names in {@link
   * Pages} and the marks' set, not here.
   */
  void resize(int maxPages, int maxMarks) {
    int pages = maxPages + 1;
    for (Histogram h : vitals.values()) {
      grow(h, pages);
    }
    grow(resources, pages * Beacon.KINDS.size());
    grow(marks, Math.max(1, pages * (maxMarks + 1)));
  }

  private static void grow(Histogram h, int limit) {
    if (limit > h.cardinalityLimit()) {
      h.cardinalityLimit(limit);
    }
  }

  /**
   * Creates a page's vital series at zero, so its first beacon is an increase that rate() sees (a
   * series born with a count of 1 shows no rate until its second beacon).
   */
  void init(String page) {
    vitals.values().forEach(h -> h.labelValues(page));
  }

  void beacon(String result) {
    beacons.labelValues(result).inc();
  }

  void record(String page, Beacon b, java.util.function.UnaryOperator<String> markName) {
    b.vitals().forEach((v, value) -> vitals.get(v).labelValues(page).observe(value));
    b.resources()
        .forEach(
            (kind, list) -> {
              Histogram.Child c = resources.labelValues(page, kind);
              for (double d : list) {
                c.observe(d);
              }
            });
    b.marks()
        .forEach((name, value) -> marks.labelValues(page, markName.apply(name)).observe(value));
  }
}
