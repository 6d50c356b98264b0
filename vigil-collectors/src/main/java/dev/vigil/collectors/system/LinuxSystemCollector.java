package dev.vigil.collectors.system;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.collectors.linux.CpuStat;
import dev.vigil.collectors.linux.DiskStats;
import dev.vigil.collectors.linux.FileNr;
import dev.vigil.collectors.linux.LoadAvg;
import dev.vigil.collectors.linux.MemInfo;
import dev.vigil.collectors.linux.NetDev;
import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.Labels;
import dev.vigil.metrics.model.MetricSnapshot;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Host metrics read straight from {@code /proc} under node_exporter's names, plus the derived
 * values dashboards want (CPU usage ratio, memory and disk usage ratios, network bandwidth).
 *
 * {@snippet :
 * MetricRegistry registry = new MetricRegistry();
 * registry.register(LinuxSystemCollector.builder().build());
 * }
 *
 * <p>One {@link #collect()} reads {@code stat}, {@code meminfo}, {@code loadavg}, {@code
 * diskstats}, {@code net/dev}, {@code sys/fs/file-nr} and {@code uptime}, lists {@code /proc} to
 * count processes, and asks each cached filesystem for its sizes ({@link Filesystems}).
 * Thread-safe: collections are serialised because the rates are computed from the previous
 * collection.
 */
public final class LinuxSystemCollector implements Collector {

  /*
   * Why not OSHI: OSHI's disk, filesystem and network reads each cost 2-9 ms here (a full OSHI
   * collection measured 25 ms); the procfs files below cost a few microseconds each to read and
   * parse. Rates (CPU usage, bandwidth) come from the delta to the previous collection; the
   * constructor takes a first reading so the first collect() already has one.
   */

  private final ProcFs proc;
  private final SystemOptions options;
  private final Filesystems filesystems;
  private final LongSupplier nanoClock;
  private final Object lock = new Object();

  // Previous readings for rates; guarded by lock.
  private CpuStat previousCpu;
  private Map<String, long[]> previousNet = new HashMap<>();
  private long previousNetNanos;
  private volatile SystemSummary summary = SystemSummary.NONE;
  private long processCount = -1; // guarded by lock
  private long processCountNanos;
  private double cpuRatio = Double.NaN; // guarded by lock
  private double memoryRatio = Double.NaN; // guarded by lock

  private LinuxSystemCollector(Builder b) {
    this.proc = b.proc;
    this.options = b.options;
    this.nanoClock = b.nanoClock;
    this.filesystems = new Filesystems(proc, options, nanoClock);
    try {
      previousCpu = CpuStat.parse(proc.read("stat"));
      previousNetNanos = nanoClock.getAsLong();
      for (NetDev.Interface i : NetDev.parse(proc.read("net/dev"), options.netDeviceExclude())) {
        previousNet.put(
            i.name(), new long[] {i.receive()[NetDev.BYTES], i.transmit()[NetDev.BYTES]});
      }
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot read " + proc.root() + " (is this Linux?): " + e.getMessage(), e);
    }
  }

  /** Returns a builder reading the running system's {@code /proc}. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    synchronized (lock) {
      cpu(out);
      memory(out);
      load(out);
      disks(out);
      network(out);
    }
    double disk = filesystems.collect(out);
    files(out);
    synchronized (lock) {
      summary = new SystemSummary(cpuRatio, memoryRatio, disk, System.currentTimeMillis());
    }
    return out.build();
  }

  /** Returns the headline numbers of the latest collection. */
  public SystemSummary summary() {
    return summary;
  }

  private void cpu(SnapshotList out) {
    CpuStat s = CpuStat.parse(proc.read("stat"));
    SnapshotList.Family seconds =
        out.counterFamily("node_cpu_seconds", "Seconds the CPUs spent in each mode.");
    SnapshotList.Family guest =
        out.counterFamily(
            "node_cpu_guest_seconds", "Seconds the CPUs spent in guests (VMs) for each mode.");
    for (CpuStat.Cpu c : s.perCpu()) {
      String cpu = Integer.toString(c.cpu());
      for (int m = 0; m < CpuStat.GUEST; m++) {
        seconds.add(Labels.of("cpu", cpu, "mode", CpuStat.MODES.get(m)), c.seconds(m));
      }
      guest.add(Labels.of("cpu", cpu, "mode", "user"), c.seconds(CpuStat.GUEST));
      guest.add(Labels.of("cpu", cpu, "mode", "nice"), c.seconds(CpuStat.GUEST_NICE));
    }
    cpuRatio = usage(previousCpu.total(), s.total());
    out.gauge(
        "vigil_cpu_usage_ratio",
        "Busy share of all CPUs since the previous collection, 0-1.",
        cpuRatio);
    SnapshotList.Family core =
        out.gaugeFamily(
            "vigil_cpu_core_usage_ratio",
            "Busy share of each CPU since the previous collection, 0-1.");
    for (CpuStat.Cpu c : s.perCpu()) {
      CpuStat.Cpu before = null;
      for (CpuStat.Cpu p : previousCpu.perCpu()) {
        if (p.cpu() == c.cpu()) {
          before = p;
          break;
        }
      }
      core.add("cpu", Integer.toString(c.cpu()), usage(before, c));
    }
    out.gauge("vigil_cpu_cores", "Online logical CPUs.", s.perCpu().size());
    out.counter("node_context_switches", "Context switches since boot.", s.contextSwitches());
    out.counter("node_intr", "Interrupts serviced since boot.", s.interrupts());
    out.counter("node_forks", "Processes and threads created since boot.", s.forks());
    out.gauge("node_boot_time_seconds", "Boot time, seconds since the epoch.", s.bootTimeSeconds());
    out.gauge("node_procs_running", "Processes in runnable state.", s.procsRunning());
    out.gauge("node_procs_blocked", "Processes blocked waiting for I/O.", s.procsBlocked());
    previousCpu = s;
  }

  /** Busy share between two readings; when nothing elapsed, the share since boot. */
  static double usage(CpuStat.Cpu before, CpuStat.Cpu now) {
    long total = now.totalTicks();
    long idle = now.idleTicks();
    if (before != null && now.totalTicks() > before.totalTicks()) {
      total -= before.totalTicks();
      idle -= before.idleTicks();
    }
    if (total <= 0) {
      return 0;
    }
    return Math.max(0, Math.min(1, 1 - (double) idle / total));
  }

  private void memory(SnapshotList out) {
    MemInfo m = MemInfo.parse(proc.read("meminfo"));
    for (Map.Entry<String, Long> e : m.values().entrySet()) {
      String name = "node_memory_" + e.getKey().replace('(', '_').replace(")", "");
      if (m.isBytes(e.getKey())) {
        out.gauge(name + "_bytes", "Memory information field " + e.getKey() + ".", e.getValue());
      } else {
        out.gauge(name, "Memory information field " + e.getKey() + ".", e.getValue());
      }
    }
    long total = m.bytes("MemTotal");
    long used = m.used();
    out.gauge("vigil_memory_used_bytes", "MemTotal minus MemAvailable.", used);
    memoryRatio = total > 0 ? (double) used / total : 0;
    out.gauge(
        "vigil_memory_usage_ratio",
        "Used share of memory (MemTotal - MemAvailable) / MemTotal, 0-1.",
        memoryRatio);
    long swapTotal = m.bytes("SwapTotal");
    long swapFree = m.bytes("SwapFree");
    if (swapTotal >= 0 && swapFree >= 0) {
      out.gauge("vigil_swap_used_bytes", "SwapTotal minus SwapFree.", swapTotal - swapFree);
    }
  }

  private void load(SnapshotList out) {
    LoadAvg l = LoadAvg.parse(proc.read("loadavg"));
    out.gauge("node_load1", "1-minute load average.", l.load1());
    out.gauge("node_load5", "5-minute load average.", l.load5());
    out.gauge("node_load15", "15-minute load average.", l.load15());
    out.gauge(
        "node_processes_threads", "Threads (scheduling entities) on the system.", l.threads());
    long now = nanoClock.getAsLong();
    if (processCount < 0 || now - processCountNanos > options.processCountTtl().toNanos()) {
      processCount = countProcesses();
      processCountNanos = now;
    }
    if (processCount >= 0) {
      out.gauge("node_processes_pids", "Processes on the system.", processCount);
    }
    String uptime = proc.read("uptime").trim();
    int space = uptime.indexOf(' ');
    out.gauge(
        "vigil_system_uptime_seconds",
        "Seconds since boot.",
        Double.parseDouble(space > 0 ? uptime.substring(0, space) : uptime));
    out.gauge(
        "node_time_seconds",
        "System time, seconds since the epoch.",
        System.currentTimeMillis() / 1000.0);
  }

  private long countProcesses() {
    long n = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.root())) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
          n++;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return n;
  }

  private void disks(SnapshotList out) {
    List<DiskStats.Device> devices =
        DiskStats.parse(proc.read("diskstats"), options.diskDeviceExclude());
    String[][] counters = {
      {"node_disk_reads_completed", "Reads completed successfully."},
      {"node_disk_reads_merged", "Adjacent reads merged."},
      {"node_disk_read_bytes", "Bytes read."},
      {"node_disk_read_time_seconds", "Seconds spent by all reads."},
      {"node_disk_writes_completed", "Writes completed successfully."},
      {"node_disk_writes_merged", "Adjacent writes merged."},
      {"node_disk_written_bytes", "Bytes written."},
      {"node_disk_write_time_seconds", "Seconds spent by all writes."},
      {"node_disk_io_time_seconds", "Seconds the device was busy doing I/O."},
      {"node_disk_io_time_weighted_seconds", "Weighted seconds spent doing I/O."},
      {"node_disk_discards_completed", "Discards completed successfully."},
      {"node_disk_discards_merged", "Adjacent discards merged."},
      {"node_disk_discarded_sectors", "Sectors discarded."},
      {"node_disk_discard_time_seconds", "Seconds spent by all discards."},
      {"node_disk_flush_requests", "Flush requests completed."},
      {"node_disk_flush_requests_time_seconds", "Seconds spent by all flush requests."}
    };
    SnapshotList.Family[] f = new SnapshotList.Family[counters.length];
    for (int i = 0; i < counters.length; i++) {
      f[i] = out.counterFamily(counters[i][0], counters[i][1]);
    }
    SnapshotList.Family now = out.gaugeFamily("node_disk_io_now", "I/Os currently in progress.");
    for (DiskStats.Device d : devices) {
      Labels l = Labels.of("device", d.name());
      f[0].add(l, d.readsCompleted());
      f[1].add(l, d.readsMerged());
      f[2].add(l, d.sectorsRead() * (double) DiskStats.SECTOR_BYTES);
      f[3].add(l, d.readTimeMs() / 1000.0);
      f[4].add(l, d.writesCompleted());
      f[5].add(l, d.writesMerged());
      f[6].add(l, d.sectorsWritten() * (double) DiskStats.SECTOR_BYTES);
      f[7].add(l, d.writeTimeMs() / 1000.0);
      f[8].add(l, d.ioTimeMs() / 1000.0);
      f[9].add(l, d.weightedIoTimeMs() / 1000.0);
      f[10].add(l, d.discardsCompleted());
      f[11].add(l, d.discardsMerged());
      f[12].add(l, d.sectorsDiscarded());
      f[13].add(l, d.discardTimeMs() / 1000.0);
      f[14].add(l, d.flushesCompleted());
      f[15].add(l, d.flushTimeMs() / 1000.0);
      now.add(l, d.ioInProgress());
    }
  }

  private void network(SnapshotList out) {
    List<NetDev.Interface> ifs = NetDev.parse(proc.read("net/dev"), options.netDeviceExclude());
    long nowNanos = nanoClock.getAsLong();
    double elapsed = (nowNanos - previousNetNanos) / 1e9;
    SnapshotList.Family[] rx = new SnapshotList.Family[NetDev.RECEIVE_COLUMNS.size()];
    SnapshotList.Family[] tx = new SnapshotList.Family[NetDev.TRANSMIT_COLUMNS.size()];
    for (int i = 0; i < rx.length; i++) {
      String col = NetDev.RECEIVE_COLUMNS.get(i);
      rx[i] =
          out.counterFamily(
              "node_network_receive_" + col, "Network device statistic receive_" + col + ".");
    }
    for (int i = 0; i < tx.length; i++) {
      String col = NetDev.TRANSMIT_COLUMNS.get(i);
      tx[i] =
          out.counterFamily(
              "node_network_transmit_" + col, "Network device statistic transmit_" + col + ".");
    }
    SnapshotList.Family rxRate =
        out.gaugeFamily(
            "vigil_network_receive_bytes_per_second",
            "Bytes received per second since the previous collection.");
    SnapshotList.Family txRate =
        out.gaugeFamily(
            "vigil_network_transmit_bytes_per_second",
            "Bytes sent per second since the previous collection.");
    Map<String, long[]> current = new HashMap<>();
    for (NetDev.Interface i : ifs) {
      Labels l = Labels.of("device", i.name());
      for (int c = 0; c < rx.length; c++) {
        rx[c].add(l, i.receive()[c]);
        tx[c].add(l, i.transmit()[c]);
      }
      long[] bytes = {i.receive()[NetDev.BYTES], i.transmit()[NetDev.BYTES]};
      current.put(i.name(), bytes);
      long[] before = previousNet.get(i.name());
      if (before != null && elapsed > 0) {
        // A counter that went down (interface reset) gives no rate rather than a negative one.
        if (bytes[0] >= before[0]) {
          rxRate.add(l, (bytes[0] - before[0]) / elapsed);
        }
        if (bytes[1] >= before[1]) {
          txRate.add(l, (bytes[1] - before[1]) / elapsed);
        }
      }
    }
    if (elapsed > 0) {
      previousNet = current;
      previousNetNanos = nowNanos;
    }
  }

  private void files(SnapshotList out) {
    FileNr f = FileNr.parse(proc.read("sys/fs/file-nr"));
    out.gauge("node_filefd_allocated", "Allocated file descriptors (system-wide).", f.allocated());
    out.gauge("node_filefd_maximum", "Maximum file descriptors (system-wide).", f.maximum());
  }

  /** Configures a {@link LinuxSystemCollector}. */
  public static final class Builder {
    private ProcFs proc = ProcFs.system();
    private SystemOptions options = SystemOptions.defaults();
    private LongSupplier nanoClock = System::nanoTime;

    private Builder() {}

    /** Reads from another proc root (tests use recorded files). */
    public Builder procFs(ProcFs proc) {
      this.proc = proc;
      return this;
    }

    /** Device and filesystem filters. */
    public Builder options(SystemOptions options) {
      this.options = options;
      return this;
    }

    /** The monotonic clock rates are computed with. */
    public Builder nanoClock(LongSupplier nanoClock) {
      this.nanoClock = nanoClock;
      return this;
    }

    /**
     * Builds the collector and takes its first reading.
     *
     * @throws IllegalStateException when the proc root cannot be read
     */
    public LinuxSystemCollector build() {
      return new LinuxSystemCollector(this);
    }
  }
}
