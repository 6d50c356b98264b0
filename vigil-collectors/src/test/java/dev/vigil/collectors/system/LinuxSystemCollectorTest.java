package dev.vigil.collectors.system;

import static dev.vigil.collectors.Snapshots.family;
import static dev.vigil.collectors.Snapshots.sum;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collectors.linux.CpuStat;
import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.metrics.model.MetricSnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class LinuxSystemCollectorTest {

  private static ProcFs fixtures() throws URISyntaxException {
    return new ProcFs(
        Path.of(LinuxSystemCollectorTest.class.getResource("/procfs/stat").toURI()).getParent());
  }

  @Test
  void recordedProcFiles_giveNodeExporterNamesAndValues() throws Exception {
    AtomicLong nanos = new AtomicLong();
    LinuxSystemCollector c =
        LinuxSystemCollector.builder().procFs(fixtures()).nanoClock(nanos::get).build();
    nanos.addAndGet(1_000_000_000L);
    List<MetricSnapshot> s = c.collect();
    assertThat(value(s, "node_cpu_seconds", "cpu", "0", "mode", "user")).isEqualTo(21.47);
    assertThat(value(s, "node_cpu_seconds", "cpu", "1", "mode", "iowait")).isEqualTo(1.60);
    assertThat(family(s, "node_cpu_seconds").dataPoints()).hasSize(2 * 8);
    assertThat(value(s, "node_memory_MemTotal_bytes")).isEqualTo(24684092.0 * 1024);
    assertThat(value(s, "node_memory_Active_anon_bytes")).isEqualTo(1560.0 * 1024);
    assertThat(value(s, "node_memory_HugePages_Total")).isZero();
    assertThat(value(s, "vigil_memory_used_bytes")).isEqualTo((24684092.0 - 24259784) * 1024);
    assertThat(value(s, "node_context_switches")).isEqualTo(381111);
    assertThat(value(s, "node_boot_time_seconds")).isEqualTo(1795610175);
    assertThat(family(s, "node_disk_read_bytes").dataPoints()).hasSize(1); // vda only
    assertThat(value(s, "node_network_receive_bytes", "device", "lo")).isPositive();
    assertThat(family(s, "node_network_transmit_colls").dataPoints()).hasSize(4);
    // Same file read twice: no traffic, so a zero rate per interface.
    assertThat(value(s, "vigil_network_receive_bytes_per_second", "device", "eth0")).isZero();
    // Same stat twice: usage falls back to the share since boot.
    CpuStat stat = CpuStat.parse(fixtures().read("stat"));
    double sinceBoot = 1 - (double) stat.total().idleTicks() / stat.total().totalTicks();
    assertThat(value(s, "vigil_cpu_usage_ratio")).isCloseTo(sinceBoot, within(1e-12));
    assertThat(
            value(
                s,
                "node_filesystem_size_bytes",
                "device",
                "/dev/vda",
                "fstype",
                "ext4",
                "mountpoint",
                "/"))
        .isPositive();
    assertThat(value(s, "node_filefd_maximum")).isPositive();
    assertThat(c.summary().memoryRatio())
        .isCloseTo((24684092.0 - 24259784) / 24684092, within(1e-12));
  }

  @Test
  void cpuUsage_betweenReadings_isBusyShareOfDelta() {
    CpuStat a = CpuStat.parse("cpu 100 0 100 800 0 0 0 0 0 0\n");
    CpuStat b = CpuStat.parse("cpu 150 0 150 900 0 0 0 0 0 0\n");
    assertThat(LinuxSystemCollector.usage(a.total(), b.total())).isCloseTo(0.5, within(1e-12));
    assertThat(LinuxSystemCollector.usage(null, a.total())).isCloseTo(0.2, within(1e-12));
  }

  private static LinuxSystemCollector live() {
    Assumptions.assumeTrue(ProcFs.system().available(), "needs Linux /proc");
    return LinuxSystemCollector.builder().build();
  }

  @Test
  void memTotal_matchesKernelWithinOnePercent() throws IOException {
    List<MetricSnapshot> s = live().collect();
    Matcher m =
        Pattern.compile("MemTotal:\\s+(\\d+) kB")
            .matcher(Files.readString(Path.of("/proc/meminfo")));
    assertThat(m.find()).isTrue();
    double kernel = Long.parseLong(m.group(1)) * 1024.0;
    assertThat(value(s, "node_memory_MemTotal_bytes")).isCloseTo(kernel, within(kernel * 0.01));
    assertThat(value(s, "vigil_memory_usage_ratio")).isBetween(0.0, 1.0);
  }

  @Test
  void inodeCounts_matchStatOfTheFilesystem() throws Exception {
    List<MetricSnapshot> s = live().collect();
    MetricSnapshot files = family(s, "node_filesystem_files");
    assertThat(files).as("statvfs through JNA").isNotNull();
    // The first filesystem with an inode table, checked against coreutils' stat -f.
    var p =
        files.dataPoints().stream()
            .filter(d -> ((dev.vigil.metrics.model.GaugeDataPoint) d).value() > 0)
            .findFirst()
            .orElseThrow();
    String mount = p.labels().get("mountpoint");
    Process stat = new ProcessBuilder("stat", "-f", "-c", "%c %d", mount).start();
    String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
    assertThat(stat.waitFor()).isZero();
    assertThat(((dev.vigil.metrics.model.GaugeDataPoint) p).value())
        .isEqualTo(Double.parseDouble(out[0]));
    double free =
        value(
            s,
            "node_filesystem_files_free",
            "device",
            p.labels().get("device"),
            "fstype",
            p.labels().get("fstype"),
            "mountpoint",
            mount);
    // Free inodes move with other processes' files: close to stat's, not equal.
    assertThat(free).isCloseTo(Double.parseDouble(out[1]), within(1000.0));
  }

  @Test
  void cpuSeconds_increaseUnderLoad() {
    LinuxSystemCollector c = live();
    double busyBefore = busy(c.collect());
    long end = System.nanoTime() + 400_000_000L;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    List<MetricSnapshot> after = c.collect();
    assertThat(busy(after) - busyBefore + (x == -1 ? 1 : 0)).isGreaterThan(0.25);
    assertThat(value(after, "vigil_cpu_usage_ratio")).isGreaterThan(0.1);
  }

  private static double busy(List<MetricSnapshot> s) {
    MetricSnapshot f = family(s, "node_cpu_seconds");
    double sum = 0;
    for (var p : f.dataPoints()) {
      String mode = p.labels().get("mode");
      if (!mode.equals("idle") && !mode.equals("iowait")) {
        sum += ((dev.vigil.metrics.model.CounterDataPoint) p).value();
      }
    }
    return sum;
  }

  @Test
  void fileWrittenByTest_showsUpInDiskIo() throws IOException {
    LinuxSystemCollector c = live();
    Assumptions.assumeTrue(
        family(c.collect(), "node_disk_written_bytes") != null, "no block device");
    double before = sum(c.collect(), "node_disk_written_bytes");
    Path f = Files.createTempFile(Path.of("target"), "disk-io", ".bin");
    try {
      byte[] chunk = new byte[1 << 20];
      new java.util.Random(1).nextBytes(chunk);
      try (OutputStream out = Files.newOutputStream(f)) {
        for (int i = 0; i < 16; i++) {
          out.write(chunk);
        }
      }
      try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      double after = sum(c.collect(), "node_disk_written_bytes");
      assertThat(after - before).isGreaterThanOrEqualTo(16.0 * (1 << 20));
    } finally {
      Files.deleteIfExists(f);
    }
  }
}
