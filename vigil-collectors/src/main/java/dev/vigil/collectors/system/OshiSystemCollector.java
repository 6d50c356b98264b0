package dev.vigil.collectors.system;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Host metrics through OSHI, for hosts without Linux's {@code /proc} (macOS, Windows, the BSDs),
 * under the same node_exporter names as {@link LinuxSystemCollector} where OSHI has the value.
 *
 * {@snippet :
 * registry.register(OshiSystemCollector.builder().build());
 * }
 *
 * <p>Only OSHI's cheap reads run at every collection (CPU ticks, memory, load, process and thread
 * counts). The expensive ones are cached: the filesystem list for {@code filesystemListTtl} (sizes
 * are read through the JDK's {@link FileStore}, one {@code statvfs} each), network interface
 * counters for {@link #NETWORK_TTL_SECONDS} s (OSHI's network refresh measured 2–9 ms here). Disk
 * I/O is not reported (OSHI's disk refresh is the most expensive of all). Thread-safe.
 */
public final class OshiSystemCollector implements Collector {

  /** Network counters are refreshed at most this often. */
  public static final int NETWORK_TTL_SECONDS = 10;

  private static final TickType[] MODES = {
    TickType.USER,
    TickType.NICE,
    TickType.SYSTEM,
    TickType.IDLE,
    TickType.IOWAIT,
    TickType.IRQ,
    TickType.SOFTIRQ,
    TickType.STEAL
  };

  /** A mount; its inode counts are OSHI's from the listing, so they refresh with the list. */
  private record Fs(Labels labels, FileStore store, boolean readOnly, long files, long filesFree) {}

  private final CentralProcessor cpu;
  private final GlobalMemory memory;
  private final OperatingSystem os;
  private final SystemInfo si;
  private final SystemOptions options;
  private final LongSupplier nanoClock;
  private long[] previousTicks; // guarded by this
  private List<Fs> filesystems; // guarded by this
  private long filesystemsAt;
  private List<NetworkIF> network; // guarded by this
  private long networkAt;
  private volatile SystemSummary summary = SystemSummary.NONE;

  private OshiSystemCollector(Builder b) {
    this.si = new SystemInfo();
    this.cpu = si.getHardware().getProcessor();
    this.memory = si.getHardware().getMemory();
    this.os = si.getOperatingSystem();
    this.options = b.options;
    this.nanoClock = b.nanoClock;
    this.previousTicks = cpu.getSystemCpuLoadTicks();
  }

  /** Returns a builder with node_exporter's default filters. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the headline numbers of the latest collection. */
  public SystemSummary summary() {
    return summary;
  }

  @Override
  public synchronized List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    long[] ticks = cpu.getSystemCpuLoadTicks();
    long[][] perCore = cpu.getProcessorCpuLoadTicks();
    SnapshotList.Family seconds =
        out.counterFamily("node_cpu_seconds", "Seconds the CPUs spent in each mode.");
    for (int c = 0; c < perCore.length; c++) {
      for (TickType m : MODES) {
        seconds.add(
            Labels.of(
                "cpu", Integer.toString(c), "mode", m.name().toLowerCase(java.util.Locale.ROOT)),
            perCore[c][m.getIndex()] / 1000.0);
      }
    }
    double cpuRatio = busy(previousTicks, ticks);
    previousTicks = ticks;
    out.gauge(
        "vigil_cpu_usage_ratio",
        "Busy share of all CPUs since the previous collection, 0-1.",
        cpuRatio);
    out.gauge("vigil_cpu_cores", "Online logical CPUs.", cpu.getLogicalProcessorCount());
    out.counter("node_context_switches", "Context switches since boot.", cpu.getContextSwitches());
    out.counter("node_intr", "Interrupts serviced since boot.", cpu.getInterrupts());
    double[] load = cpu.getSystemLoadAverage(3);
    String[] loadNames = {"node_load1", "node_load5", "node_load15"};
    for (int i = 0; i < 3; i++) {
      if (load[i] >= 0) {
        out.gauge(loadNames[i], "Load average.", load[i]);
      }
    }
    long total = memory.getTotal();
    long available = memory.getAvailable();
    out.gauge("node_memory_MemTotal_bytes", "Total usable memory.", total);
    out.gauge("node_memory_MemAvailable_bytes", "Memory available for new work.", available);
    out.gauge(
        "node_memory_SwapTotal_bytes", "Swap size.", memory.getVirtualMemory().getSwapTotal());
    out.gauge("vigil_swap_used_bytes", "Swap used.", memory.getVirtualMemory().getSwapUsed());
    out.gauge("vigil_memory_used_bytes", "Total minus available memory.", total - available);
    double memRatio = total > 0 ? (double) (total - available) / total : Double.NaN;
    out.gauge("vigil_memory_usage_ratio", "Used share of memory, 0-1.", memRatio);
    out.gauge("node_processes_pids", "Processes on the system.", os.getProcessCount());
    out.gauge("node_processes_threads", "Threads on the system.", os.getThreadCount());
    out.gauge(
        "node_boot_time_seconds", "Boot time, seconds since the epoch.", os.getSystemBootTime());
    out.gauge("vigil_system_uptime_seconds", "Seconds since boot.", os.getSystemUptime());
    out.gauge(
        "node_time_seconds",
        "System time, seconds since the epoch.",
        System.currentTimeMillis() / 1000.0);
    double disk = filesystems(out);
    network(out);
    summary = new SystemSummary(cpuRatio, memRatio, disk, System.currentTimeMillis());
    return out.build();
  }

  private static double busy(long[] before, long[] now) {
    long total = 0;
    long idle = 0;
    for (TickType m : MODES) {
      long d = now[m.getIndex()] - before[m.getIndex()];
      total += d;
      if (m == TickType.IDLE || m == TickType.IOWAIT) {
        idle += d;
      }
    }
    return total <= 0 ? 0 : Math.max(0, Math.min(1, 1 - (double) idle / total));
  }

  private double filesystems(SnapshotList out) {
    long now = nanoClock.getAsLong();
    if (filesystems == null || now - filesystemsAt > options.filesystemListTtl().toNanos()) {
      List<Fs> list = new ArrayList<>();
      for (OSFileStore s : os.getFileSystem().getFileStores(true)) {
        if (options.fsTypeExclude() != null
            && options.fsTypeExclude().matcher(s.getType()).matches()) {
          continue;
        }
        try {
          FileStore store = Files.getFileStore(Path.of(s.getMount()));
          list.add(
              new Fs(
                  Labels.of(
                      "device", s.getVolume(), "fstype", s.getType(), "mountpoint", s.getMount()),
                  store,
                  store.isReadOnly(),
                  s.getTotalInodes(),
                  s.getFreeInodes()));
        } catch (IOException | RuntimeException e) {
          // unreadable mount: left out
        }
      }
      filesystems = list;
      filesystemsAt = now;
    }
    FilesystemFamilies fs = new FilesystemFamilies(out);
    for (Fs f : filesystems) {
      try {
        fs.space(
            f.labels,
            f.readOnly,
            f.store.getTotalSpace(),
            f.store.getUnallocatedSpace(),
            f.store.getUsableSpace());
        fs.inodes(f.labels, f.files, f.filesFree); // none on Windows volumes
      } catch (IOException e) {
        // vanished since listing
      }
    }
    return fs.finish();
  }

  private void network(SnapshotList out) {
    long now = nanoClock.getAsLong();
    if (network == null || now - networkAt > NETWORK_TTL_SECONDS * 1_000_000_000L) {
      network = si.getHardware().getNetworkIFs(true);
      networkAt = now;
    }
    SnapshotList.Family rx = out.counterFamily("node_network_receive_bytes", "Bytes received.");
    SnapshotList.Family tx = out.counterFamily("node_network_transmit_bytes", "Bytes sent.");
    SnapshotList.Family rxp =
        out.counterFamily("node_network_receive_packets", "Packets received.");
    SnapshotList.Family txp = out.counterFamily("node_network_transmit_packets", "Packets sent.");
    SnapshotList.Family rxe = out.counterFamily("node_network_receive_errs", "Receive errors.");
    SnapshotList.Family txe = out.counterFamily("node_network_transmit_errs", "Transmit errors.");
    SnapshotList.Family rxd = out.counterFamily("node_network_receive_drop", "Receive drops.");
    for (NetworkIF n : network) {
      if (options.netDeviceExclude() != null
          && options.netDeviceExclude().matcher(n.getName()).matches()) {
        continue;
      }
      Labels l = Labels.of("device", n.getName());
      rx.add(l, n.getBytesRecv());
      tx.add(l, n.getBytesSent());
      rxp.add(l, n.getPacketsRecv());
      txp.add(l, n.getPacketsSent());
      rxe.add(l, n.getInErrors());
      txe.add(l, n.getOutErrors());
      rxd.add(l, n.getInDrops());
    }
  }

  /** Configures an {@link OshiSystemCollector}. */
  public static final class Builder {
    private SystemOptions options = SystemOptions.defaults();
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /** Filesystem and interface filters, and the filesystem list cache time. */
    public Builder options(SystemOptions options) {
      this.options = options;
      return this;
    }

    /** The monotonic clock for the caches. */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /** Builds the collector and takes a first CPU reading. */
    public OshiSystemCollector build() {
      return new OshiSystemCollector(this);
    }
  }
}
