package dev.vigil.collectors.system;

import static dev.vigil.collectors.Snapshots.family;
import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.collectors.linux.ProcFs;
import dev.vigil.metrics.model.MetricSnapshot;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The OSHI fallback, run here on Linux and checked against the /proc collector. */
class OshiSystemCollectorTest {

  @Test
  void oshiFallback_agreesWithProcfsOnMemoryCpusAndBootTime() {
    Assumptions.assumeTrue(ProcFs.system().available(), "compares against /proc");
    List<MetricSnapshot> oshi = OshiSystemCollector.builder().build().collect();
    List<MetricSnapshot> proc = LinuxSystemCollector.builder().build().collect();
    double total = value(proc, "node_memory_MemTotal_bytes");
    assertThat(value(oshi, "node_memory_MemTotal_bytes")).isCloseTo(total, within(total * 0.01));
    assertThat(value(oshi, "vigil_cpu_cores")).isEqualTo(value(proc, "vigil_cpu_cores"));
    assertThat(value(oshi, "node_boot_time_seconds"))
        .isCloseTo(value(proc, "node_boot_time_seconds"), within(2.0));
    assertThat(family(oshi, "node_cpu_seconds").dataPoints())
        .hasSize(family(proc, "node_cpu_seconds").dataPoints().size());
    assertThat(value(oshi, "node_processes_pids")).isPositive();
    assertThat(family(oshi, "node_network_receive_bytes").dataPoints()).isNotEmpty();
    assertThat(family(oshi, "node_filesystem_size_bytes").dataPoints()).isNotEmpty();
    assertThat(family(oshi, "node_filesystem_files").dataPoints()).isNotEmpty();
  }
}
