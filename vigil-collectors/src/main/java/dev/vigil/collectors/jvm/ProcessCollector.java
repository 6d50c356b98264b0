package dev.vigil.collectors.jvm;

import dev.vigil.collectors.SnapshotList;
import dev.vigil.collectors.linux.CpuStat;
import dev.vigil.collectors.linux.FileNr;
import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.collectors.linux.ProcessStat;
import dev.vigil.collectors.linux.ProcessStatus;
import dev.vigil.metrics.Collector;
import dev.vigil.metrics.model.MetricSnapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Metrics of this process under client_java's names: {@code process_cpu_seconds_total}, {@code
 * process_start_time_seconds}, {@code process_open_fds}, {@code process_max_fds}, {@code
 * process_virtual_memory_bytes}, {@code process_resident_memory_bytes}, plus {@code
 * process_threads}.
 *
 * {@snippet :
 * registry.register(new ProcessCollector());
 * }
 *
 * <p>On Linux the values come from {@code /proc/self}; elsewhere from the JDK's {@code
 * OperatingSystemMXBean} (memory and fd counts then only where the JDK reports them). Thread-safe.
 */
public final class ProcessCollector implements Collector {

  private final ProcFs proc;
  private final boolean linux;
  private final long bootTimeSeconds;

  /** Creates a collector reading {@code /proc/self} when present. */
  public ProcessCollector() {
    this(ProcFs.system());
  }

  /** Creates a collector reading the given proc root (tests use recorded files). */
  public ProcessCollector(ProcFs proc) {
    this.proc = proc;
    this.linux = proc.available();
    this.bootTimeSeconds = linux ? CpuStat.parse(proc.read("stat")).bootTimeSeconds() : 0;
  }

  @Override
  public List<MetricSnapshot> collect() {
    SnapshotList out = new SnapshotList();
    if (linux) {
      ProcessStat stat = ProcessStat.parse(proc.read("self/stat"));
      ProcessStatus status = ProcessStatus.parse(proc.read("self/status"));
      out.counter(
          "process_cpu_seconds", "User and system CPU time spent, in seconds.", stat.cpuSeconds());
      out.gauge(
          "process_start_time_seconds",
          "Start time of the process, seconds since the epoch.",
          stat.startTimeSeconds(bootTimeSeconds));
      long fds = countFds();
      if (fds >= 0) {
        out.gauge("process_open_fds", "Open file descriptors.", fds);
      }
      long max = FileNr.maxOpenFiles(proc.read("self/limits"));
      if (max >= 0) {
        out.gauge("process_max_fds", "Maximum open file descriptors.", max);
      }
      out.gauge(
          "process_virtual_memory_bytes", "Virtual memory size in bytes.", status.virtualBytes());
      out.gauge(
          "process_resident_memory_bytes",
          "Resident memory size in bytes.",
          status.residentBytes());
      out.gauge("process_threads", "OS threads of the process.", stat.threads());
    } else {
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
        out.counter(
            "process_cpu_seconds",
            "User and system CPU time spent, in seconds.",
            sun.getProcessCpuTime() / 1e9);
        out.gauge(
            "process_virtual_memory_bytes",
            "Virtual memory size in bytes.",
            sun.getCommittedVirtualMemorySize());
      }
      if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
        out.gauge("process_open_fds", "Open file descriptors.", unix.getOpenFileDescriptorCount());
        out.gauge(
            "process_max_fds", "Maximum open file descriptors.", unix.getMaxFileDescriptorCount());
      }
      out.gauge(
          "process_start_time_seconds",
          "Start time of the process, seconds since the epoch.",
          ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
    }
    return out.build();
  }

  private long countFds() {
    long n = 0;
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.resolve("self/fd"))) {
      for (Path ignored : dir) {
        n++;
      }
    } catch (IOException e) {
      return -1;
    }
    return Math.max(0, n - 1); // the directory stream holds one descriptor itself
  }
}
