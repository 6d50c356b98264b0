package dev.vigil.collectors;

import dev.vigil.collectors.gpu.GpuCollector;
import dev.vigil.collectors.health.HealthCollector;
import dev.vigil.collectors.health.HealthScore;
import dev.vigil.collectors.jvm.JvmCollector;
import dev.vigil.collectors.jvm.ProcessCollector;
import dev.vigil.collectors.jvm.ThreadGroupCollector;
import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.collectors.recorders.Recorders;
import dev.vigil.collectors.system.LinuxSystemCollector;
import dev.vigil.collectors.system.OshiSystemCollector;
import dev.vigil.collectors.system.SystemOptions;
import dev.vigil.collectors.system.SystemSummary;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.MetricRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * The standard set of collectors, wired together: system, process, JVM, GPU, thread groups, the
 * health score and the service status, each wrapped in a {@link MonitoredCollector}.
 *
 * {@snippet :
 * Recorders recorders = Recorders.builder().namespace("dinoair").build();
 * HostCollectors host = HostCollectors.builder().recorders(recorders).build();
 * host.registerAll(registry);           // registers the collectors and the recorders
 * host.serviceStatus().healthy();
 * host.health().last().score();
 * }
 *
 * <p>The system collector needs Linux's {@code /proc}; elsewhere it is left out with a log line and
 * the health score's resource inputs read as unknown. The GPU collector produces nothing when
 * {@code nvidia-smi} is absent. Thread-safe once built.
 */
public final class HostCollectors {

  private static final System.Logger LOG = System.getLogger(HostCollectors.class.getName());

  private final List<MonitoredCollector> monitored = new ArrayList<>();
  private final Supplier<SystemSummary> system;
  private final ThreadGroupCollector threadGroups;
  private final HealthCollector health;
  private final ServiceStatus status;
  private final Recorders recorders;

  private HostCollectors(Builder b) {
    this.recorders = b.recorders;
    Supplier<SystemSummary> sys = () -> SystemSummary.NONE;
    if (b.system) {
      if (ProcFs.system().available()) {
        LinuxSystemCollector linux = LinuxSystemCollector.builder().options(b.options).build();
        monitored.add(new MonitoredCollector("system", linux));
        sys = linux::summary;
      } else {
        LOG.log(System.Logger.Level.INFO, "no /proc here: system metrics through OSHI");
        OshiSystemCollector oshi = OshiSystemCollector.builder().options(b.options).build();
        monitored.add(new MonitoredCollector("system", oshi));
        sys = oshi::summary;
      }
    }
    this.system = sys;
    if (b.process) {
      monitored.add(new MonitoredCollector("process", new ProcessCollector()));
    }
    if (b.jvm) {
      monitored.add(new MonitoredCollector("jvm", new JvmCollector()));
    }
    if (b.gpu) {
      monitored.add(new MonitoredCollector("gpu", GpuCollector.builder().build()));
    }
    this.threadGroups = new ThreadGroupCollector(b.maxThreadGroups);
    monitored.add(new MonitoredCollector("thread_groups", threadGroups));
    final Supplier<SystemSummary> s = sys;
    final Recorders rec = b.recorders;
    final DoubleSupplier alerts = b.firingAlerts;
    this.health =
        new HealthCollector(
            b.healthScore,
            () -> {
              SystemSummary sum = s.get();
              return new HealthScore.Inputs(
                  sum.cpuRatio(),
                  sum.memoryRatio(),
                  sum.diskRatio(),
                  rec == null ? Double.NaN : rec.errorsLastMinute(),
                  alerts.getAsDouble());
            });
    monitored.add(new MonitoredCollector("health", health));
    this.status = new ServiceStatus(monitored);
  }

  /** Returns a builder with every collector on. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers every collector, the service status and the recorders (when given).
   *
   * @throws IllegalArgumentException when a name is already registered in {@code registry}
   */
  public void registerAll(MetricRegistry registry) {
    for (Collector c : monitored) {
      registry.register(c);
    }
    registry.register(status);
    if (recorders != null) {
      registry.register(recorders);
    }
  }

  /** Returns the collectors' state, for health endpoints and {@code get_service_status()}. */
  public ServiceStatus serviceStatus() {
    return status;
  }

  /** Returns the health score collector. */
  public HealthCollector health() {
    return health;
  }

  /** Returns the latest system summary (CPU, memory, disk ratios). */
  public SystemSummary systemSummary() {
    return system.get();
  }

  /** Returns the thread-group collector, to register an application's pools. */
  public ThreadGroupCollector threadGroups() {
    return threadGroups;
  }

  /** Returns the recorders given to the builder, or null. */
  public Recorders recorders() {
    return recorders;
  }

  /** Chooses the collectors. */
  public static final class Builder {
    private boolean system = true;
    private boolean process = true;
    private boolean jvm = true;
    private boolean gpu = true;
    private SystemOptions options = SystemOptions.defaults();
    private Recorders recorders;
    private HealthScore healthScore = HealthScore.builder().build();
    private DoubleSupplier firingAlerts = () -> 0;
    private int maxThreadGroups = ThreadGroupCollector.DEFAULT_MAX_GROUPS;

    private Builder() {}

    /** Host CPU, memory, disks, network, load (default on). */
    public Builder system(boolean on) {
      this.system = on;
      return this;
    }

    /** This process's CPU, memory, fds (default on). */
    public Builder process(boolean on) {
      this.process = on;
      return this;
    }

    /** JVM memory, GC, threads, classes (default on). */
    public Builder jvm(boolean on) {
      this.jvm = on;
      return this;
    }

    /** NVIDIA GPUs through nvidia-smi (default on; nothing when absent). */
    public Builder gpu(boolean on) {
      this.gpu = on;
      return this;
    }

    /** Filters of the system collector. */
    public Builder systemOptions(SystemOptions options) {
      this.options = options;
      return this;
    }

    /** The application's recorders: registered too, and their error rate feeds the health score. */
    public Builder recorders(Recorders recorders) {
      this.recorders = recorders;
      return this;
    }

    /** The health score's thresholds and weights. */
    public Builder healthScore(HealthScore score) {
      this.healthScore = score;
      return this;
    }

    /** The number of firing alerts, once alerting runs (default 0). */
    public Builder firingAlerts(DoubleSupplier firing) {
      this.firingAlerts = firing;
      return this;
    }

    /** The most thread groups (agents) reported; more are counted as {@code other}. */
    public Builder maxThreadGroups(int n) {
      this.maxThreadGroups = n;
      return this;
    }

    /** Builds the collectors (the system collector takes its first reading now). */
    public HostCollectors build() {
      return new HostCollectors(this);
    }
  }
}
