package dev.vigil.metrics;

import dev.vigil.metrics.model.CounterDataPoint;
import dev.vigil.metrics.model.DataPoint;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricMetadata;
import dev.vigil.metrics.model.MetricSnapshot;
import dev.vigil.metrics.model.MetricSnapshots;
import dev.vigil.metrics.model.MetricType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds the collectors of an application and scrapes them into one {@link MetricSnapshots}.
 *
 * <pre>{@code
 * MetricRegistry registry = new MetricRegistry();
 * Counter requests = Counter.builder().name("http_requests").help("Requests.")
 *     .labelNames("method").register(registry);
 * requests.labelValues("GET").inc();
 * MetricSnapshots scrape = registry.scrape();
 * }</pre>
 *
 * <p>Registering a second collector with a name already taken is an error naming the metric. {@link
 * #scrape()} is thread safe and may run concurrently with updates and registrations.
 *
 * <p>The registry also exposes {@value #OVERFLOW_METRIC}{@code _total{metric="..."}}: for each
 * labelled metric registered here, how many label sets were folded into its overflow series because
 * the metric reached its cardinality limit.
 */
public final class MetricRegistry {
  /** Name of the family counting label sets refused by cardinality limits. */
  public static final String OVERFLOW_METRIC = "vigil_cardinality_overflow";

  /** Default per-metric limit on label sets. */
  public static final int DEFAULT_CARDINALITY_LIMIT = 10_000;

  private static final MetricRegistry DEFAULT = new MetricRegistry();

  private final Object lock = new Object();
  private final CopyOnWriteArrayList<Collector> collectors = new CopyOnWriteArrayList<>();
  private final Map<String, Collector> byName = new HashMap<>(); // guarded by lock
  private final Map<Collector, List<String>> namesOf = new HashMap<>(); // guarded by lock
  private volatile int defaultCardinalityLimit = DEFAULT_CARDINALITY_LIMIT;

  /** An empty registry. */
  public MetricRegistry() {}

  /** The process-wide registry used by {@code Builder.register()} without argument. */
  public static MetricRegistry defaultRegistry() {
    return DEFAULT;
  }

  /**
   * Sets the cardinality limit applied to metrics registered from now on that did not set their own
   * limit.
   */
  public MetricRegistry defaultCardinalityLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("cardinality limit must be at least 1, got " + limit);
    }
    this.defaultCardinalityLimit = limit;
    return this;
  }

  /** The limit given to registered metrics without their own. */
  public int defaultCardinalityLimit() {
    return defaultCardinalityLimit;
  }

  /**
   * Registers a collector.
   *
   * @throws IllegalArgumentException when a name it declares is already registered, or the
   *     collector itself already is
   */
  public void register(Collector collector) {
    List<String> names = exposedNames(collector);
    synchronized (lock) {
      if (namesOf.containsKey(collector)) {
        throw new IllegalArgumentException("collector already registered: " + describe(collector));
      }
      for (String n : names) {
        if (byName.containsKey(n)) {
          throw new IllegalArgumentException(
              "duplicate metric name: "
                  + n
                  + " is already registered (by "
                  + describe(byName.get(n))
                  + ")");
        }
      }
      for (String n : names) {
        byName.put(n, collector);
      }
      namesOf.put(collector, names);
      if (collector instanceof LabelledMetric<?> m) {
        m.applyDefaultCardinalityLimit(defaultCardinalityLimit);
      }
      collectors.add(collector);
    }
  }

  /** Removes a collector; returns false when it was not registered. */
  public boolean unregister(Collector collector) {
    synchronized (lock) {
      List<String> names = namesOf.remove(collector);
      if (names == null) {
        return false;
      }
      for (String n : names) {
        byName.remove(n);
      }
      collectors.remove(collector);
      return true;
    }
  }

  /** Removes every collector. */
  public void clear() {
    synchronized (lock) {
      byName.clear();
      namesOf.clear();
      collectors.clear();
    }
  }

  /** The registered collectors, in registration order. */
  public List<Collector> collectors() {
    return List.copyOf(collectors);
  }

  /**
   * Collects every collector.
   *
   * @throws IllegalStateException when two collectors produced the same name (unless one of them
   *     {@linkplain Collector#yieldsDuplicateNames() yields}: its family is then left out)
   */
  public MetricSnapshots scrape() {
    List<MetricSnapshot> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<DataPoint> overflow = new ArrayList<>();
    List<Collector> yielding = new ArrayList<>();
    for (Collector c : collectors) {
      if (c.yieldsDuplicateNames()) {
        // Collected after all the others, so that their families win whatever the order.
        yielding.add(c);
        continue;
      }
      for (MetricSnapshot s : c.collect()) {
        if (!seen.add(s.name())) {
          throw new IllegalStateException(
              "duplicate metric name at scrape: " + s.name() + " (from " + describe(c) + ")");
        }
        all.add(s);
      }
      if (c instanceof LabelledMetric<?> m && m.hasLabels()) {
        overflow.add(
            new CounterDataPoint(
                Labels.of("metric", m.name()), m.overflowCount(), null, DataPoint.NO_CREATED));
      }
    }
    for (Collector c : yielding) {
      for (MetricSnapshot s : c.collect()) {
        if (seen.add(s.name())) {
          all.add(s);
        }
      }
    }
    if (!overflow.isEmpty() && seen.add(OVERFLOW_METRIC)) {
      all.add(
          new MetricSnapshot(
              new MetricMetadata(
                  OVERFLOW_METRIC,
                  "Label sets folded into a metric's overflow series because it reached its"
                      + " cardinality limit.",
                  ""),
              MetricType.COUNTER,
              overflow));
    }
    try {
      return new MetricSnapshots(all);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("scrape: " + e.getMessage(), e);
    }
  }

  /** Collects only the families whose name is in {@code names}. */
  public MetricSnapshots scrape(Set<String> names) {
    List<MetricSnapshot> picked = new ArrayList<>();
    for (MetricSnapshot s : scrape()) {
      if (names.contains(s.name())) {
        picked.add(s);
      }
    }
    return new MetricSnapshots(picked);
  }

  /**
   * Count, sum, mean, min, max and quantiles of the histogram, timer or summary {@code name}
   * (AgentOS' {@code getStats(name)}), over its series whose labels include {@code labelPairs}
   * (name, value, ...; none: all series added up). Accuracy: {@link MetricStats}.
   *
   * @param name the family's name, e.g. {@code tool_execution_seconds}; a timer's name without
   *     {@code _seconds} is found too
   * @throws IllegalArgumentException when no histogram, timer or summary has that name
   */
  public MetricStats stats(String name, String... labelPairs) {
    Collector c;
    synchronized (lock) {
      c = byName.get(name);
      if (c == null) {
        c = byName.get(name + "_seconds");
      }
    }
    List<MetricSnapshot> families = c != null ? c.collect() : scrape().list();
    for (String n : List.of(name, name + "_seconds")) {
      for (MetricSnapshot s : families) {
        if (s.name().equals(n)) {
          return MetricStats.of(s, labelPairs);
        }
      }
    }
    throw new IllegalArgumentException(
        "stats: no metric named " + name + " (or " + name + "_seconds) in this registry");
  }

  private static List<String> exposedNames(Collector c) {
    List<String> names = c.metricNames();
    if (c instanceof Metric m) {
      names = m.exposedNames();
    }
    return names;
  }

  private static String describe(Collector c) {
    return c instanceof Metric m
        ? m.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + m.name()
        : c.getClass().getName();
  }
}
