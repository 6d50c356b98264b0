package dev.vigil.collectors;

import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Wraps a collector to time each collection and contain its failures: a collector that throws
 * yields no series for that scrape (instead of failing the whole scrape) and its error is kept for
 * {@link ServiceStatus}.
 *
 * {@snippet :
 * MonitoredCollector system = new MonitoredCollector("system", LinuxSystemCollector.builder().build());
 * registry.register(system);
 * system.status().lastDurationSeconds();
 * }
 *
 * <p>Thread-safe.
 */
public final class MonitoredCollector implements Collector {

  private static final System.Logger LOG = System.getLogger(MonitoredCollector.class.getName());

  private final String name;
  private final Collector delegate;
  private final LongSupplier clockMillis;
  private volatile ServiceStatus.CollectorStatus status;

  /** Wraps {@code delegate} under {@code name} (a label value of the self-metrics). */
  public MonitoredCollector(String name, Collector delegate) {
    this(name, delegate, System::currentTimeMillis);
  }

  /** Wraps {@code delegate}, reading wall time from {@code clockMillis}. */
  public MonitoredCollector(String name, Collector delegate, LongSupplier clockMillis) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("collector name is null or blank");
    }
    this.name = name;
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clockMillis = clockMillis;
    this.status = new ServiceStatus.CollectorStatus(name, 0, 0, Double.NaN, 0, 0, null);
  }

  @Override
  public List<MetricSnapshot> collect() {
    long start = System.nanoTime();
    List<MetricSnapshot> out;
    String error = null;
    try {
      out = delegate.collect();
    } catch (RuntimeException e) {
      out = List.of();
      error = e.getClass().getSimpleName() + ": " + e.getMessage();
      LOG.log(System.Logger.Level.WARNING, "collector " + name + " failed: " + error, e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    ServiceStatus.CollectorStatus before = status;
    status =
        new ServiceStatus.CollectorStatus(
            name,
            before.collections() + 1,
            before.errors() + (error == null ? 0 : 1),
            seconds,
            clockMillis.getAsLong(),
            out.size(),
            error);
    return out;
  }

  /** Returns the wrapped collector's name. */
  public String name() {
    return name;
  }

  /** Returns the wrapped collector. */
  public Collector delegate() {
    return delegate;
  }

  /** Returns the state after the latest collection. */
  public ServiceStatus.CollectorStatus status() {
    return status;
  }
}
