package dev.vigil.collectors.gpu;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * NVIDIA GPU metrics from {@code nvidia-smi}: utilisation, memory used and total, temperature,
 * power, fan, per GPU ({@code vigil_gpu_*{gpu, uuid, name}}).
 *
 * {@snippet :
 * registry.register(GpuCollector.builder().build());
 * }
 *
 * <p>When {@code nvidia-smi} is not on the PATH, the collector produces no series and logs one
 * debug line. It runs {@code nvidia-smi} at most once per {@code minInterval} (default 5 s: one run
 * costs tens of milliseconds of CPU, far more than the rest of a collection) and serves the cached
 * readings in between; a run that takes longer than the timeout is killed and reported through
 * {@link #lastError()}. Thread-safe.
 */
public final class GpuCollector implements Collector {

  private static final System.Logger LOG = System.getLogger(GpuCollector.class.getName());

  private final List<String> command;
  private final Duration timeout;
  private final long minIntervalNanos;
  private final LongSupplier nanoClock;
  private final boolean present;
  private List<NvidiaSmi.Gpu> cached = List.of(); // guarded by this
  private long lastRunNanos;
  private boolean ran;
  private volatile String lastError;

  private GpuCollector(Builder b) {
    this.command = b.command;
    this.timeout = b.timeout;
    this.minIntervalNanos = b.minInterval.toNanos();
    this.nanoClock = b.nanoClock;
    this.present =
        b.command.get(0).contains("/")
            ? Files.isExecutable(Path.of(b.command.get(0)))
            : onPath(b.command.get(0));
    if (!present) {
      LOG.log(System.Logger.Level.DEBUG, "nvidia-smi not found on PATH: no GPU metrics");
    }
  }

  /** Returns a builder running {@code nvidia-smi} from the PATH. */
  public static Builder builder() {
    return new Builder();
  }

  private static boolean onPath(String exe) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, exe))) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether {@code nvidia-smi} was found. */
  public boolean present() {
    return present;
  }

  /** Returns the last run's error, or null when it succeeded. */
  public String lastError() {
    return lastError;
  }

  @Override
  public List<MetricSnapshot> collect() {
    if (!present) {
      return List.of();
    }
    List<NvidiaSmi.Gpu> gpus = readings();
    SnapshotList out = new SnapshotList();
    SnapshotList.Family util =
        out.gaugeFamily("vigil_gpu_utilization_ratio", "GPU busy ratio, 0-1.");
    SnapshotList.Family memUtil =
        out.gaugeFamily(
            "vigil_gpu_memory_utilization_ratio", "GPU memory controller busy ratio, 0-1.");
    SnapshotList.Family used = out.gaugeFamily("vigil_gpu_memory_used_bytes", "GPU memory used.");
    SnapshotList.Family total =
        out.gaugeFamily("vigil_gpu_memory_total_bytes", "GPU memory installed.");
    SnapshotList.Family temp =
        out.gaugeFamily("vigil_gpu_temperature_celsius", "GPU core temperature.");
    SnapshotList.Family power = out.gaugeFamily("vigil_gpu_power_watts", "GPU power draw.");
    SnapshotList.Family limit = out.gaugeFamily("vigil_gpu_power_limit_watts", "GPU power limit.");
    SnapshotList.Family fan =
        out.gaugeFamily("vigil_gpu_fan_speed_ratio", "GPU fan speed, 0-1 of maximum.");
    for (NvidiaSmi.Gpu g : gpus) {
      Labels l = Labels.of("gpu", g.index(), "uuid", g.uuid(), "name", g.name());
      addIfKnown(util, l, g.utilizationRatio());
      addIfKnown(memUtil, l, g.memoryUtilizationRatio());
      addIfKnown(used, l, g.memoryUsedBytes());
      addIfKnown(total, l, g.memoryTotalBytes());
      addIfKnown(temp, l, g.temperatureCelsius());
      addIfKnown(power, l, g.powerWatts());
      addIfKnown(limit, l, g.powerLimitWatts());
      addIfKnown(fan, l, g.fanRatio());
    }
    return out.build();
  }

  private static void addIfKnown(SnapshotList.Family f, Labels l, double v) {
    if (!Double.isNaN(v)) {
      f.add(l, v);
    }
  }

  private synchronized List<NvidiaSmi.Gpu> readings() {
    long now = nanoClock.getAsLong();
    if (ran && now - lastRunNanos < minIntervalNanos) {
      return cached;
    }
    ran = true;
    lastRunNanos = now;
    try {
      cached = NvidiaSmi.parse(run());
      lastError = null;
    } catch (IOException | RuntimeException e) {
      lastError = e.getMessage();
      cached = List.of();
      LOG.log(System.Logger.Level.DEBUG, "nvidia-smi failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return cached;
  }

  private String run() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    AtomicBoolean killed = new AtomicBoolean();
    // A watchdog kills a hung nvidia-smi, which ends the read below with what it printed so far.
    Thread watchdog =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                      killed.set(true);
                      kill(p);
                    }
                  } catch (InterruptedException e) {
                    kill(p);
                  }
                });
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readNBytes(1 << 20);
    } catch (IOException e) {
      if (!killed.get()) {
        throw e;
      }
      out = new byte[0]; // the kill closed the pipe ("Stream closed"): reported as killed below
    }
    boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    watchdog.interrupt();
    if (killed.get() || !finished || (p.exitValue() != 0 && p.exitValue() >= 128)) {
      kill(p);
      throw new IOException(
          "nvidia-smi took longer than " + timeout.toMillis() + " ms and was killed");
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException("nvidia-smi exited with " + p.exitValue() + ": " + text.strip());
    }
    return text;
  }

  /** Kills the process and its children (a wrapper script's child would hold the pipe open). */
  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** Configures a {@link GpuCollector}. */
  public static final class Builder {
    private List<String> command =
        List.of("nvidia-smi", "--query-gpu=" + NvidiaSmi.QUERY_FIELDS, "--format=csv,nounits");
    private Duration timeout = Duration.ofSeconds(5);
    private Duration minInterval = Duration.ofSeconds(5);
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /**
     * Runs another executable (a path, or a name looked up on the PATH) with the same arguments.
     */
    public Builder executable(String exe) {
      this.command = List.of(exe, "--query-gpu=" + NvidiaSmi.QUERY_FIELDS, "--format=csv,nounits");
      return this;
    }

    /** Kills a run that takes longer (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Runs at most once per this interval, serving cached readings in between (default 5 s). */
    public Builder minInterval(Duration minInterval) {
      this.minInterval = minInterval;
      return this;
    }

    /** The monotonic clock for the interval. */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /** Builds the collector; looks for the executable once. */
    public GpuCollector build() {
      return new GpuCollector(this);
    }
  }
}
