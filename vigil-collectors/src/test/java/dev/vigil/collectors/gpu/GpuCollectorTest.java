package dev.vigil.collectors.gpu;

import static dev.vigil.collectors.Snapshots.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.metrics.model.MetricSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a real process standing in for nvidia-smi: a script printing recorded output. */
class GpuCollectorTest {

  private static Path script(Path dir, String body) throws Exception {
    Path s = dir.resolve("nvidia-smi");
    Files.writeString(s, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
    return s;
  }

  @Test
  void absentNvidiaSmi_givesNoSeriesAndNoError() {
    GpuCollector c = GpuCollector.builder().executable("/nonexistent/nvidia-smi").build();
    assertThat(c.present()).isFalse();
    assertThat(c.collect()).isEmpty();
    assertThat(c.lastError()).isNull();
  }

  @Test
  void recordedOutput_becomesPerGpuSeries_andRunsAreRateLimited(@TempDir Path dir)
      throws Exception {
    Path fixture = Path.of(GpuCollectorTest.class.getResource("/nvidia-smi/two-gpus.csv").toURI());
    Path count = dir.resolve("runs");
    Path exe = script(dir, "echo run >> '" + count + "'\ncat '" + fixture + "'");
    AtomicLong nanos = new AtomicLong();
    GpuCollector c =
        GpuCollector.builder().executable(exe.toString()).nanoClock(nanos::get).build();
    List<MetricSnapshot> s = c.collect();
    String[] gpu0 = {
      "gpu",
      "0",
      "uuid",
      "GPU-8f3c2a1e-5b7d-4e2f-9a61-0c3d2b1a4e5f",
      "name",
      "NVIDIA GeForce RTX 3090"
    };
    assertThat(value(s, "vigil_gpu_utilization_ratio", gpu0)).isEqualTo(0.87);
    assertThat(value(s, "vigil_gpu_memory_used_bytes", gpu0)).isEqualTo(18342.0 * 1024 * 1024);
    assertThat(value(s, "vigil_gpu_temperature_celsius", gpu0)).isEqualTo(71);
    assertThat(value(s, "vigil_gpu_power_watts", gpu0)).isEqualTo(312.45);
    // GPU 1 has no fan reading: the series is left out, not zero.
    assertThat(
            value(
                s,
                "vigil_gpu_fan_speed_ratio",
                "gpu",
                "1",
                "uuid",
                "GPU-2d6e9b40-1c3a-47f8-b2d5-6a7e8f901234",
                "name",
                "NVIDIA A100-SXM4-40GB"))
        .isNaN();
    c.collect();
    assertThat(Files.readAllLines(count)).hasSize(1);
    nanos.addAndGet(Duration.ofSeconds(6).toNanos());
    c.collect();
    assertThat(Files.readAllLines(count)).hasSize(2);
  }

  @Test
  void failingOrHangingNvidiaSmi_isReportedAndKilled(@TempDir Path dir) throws Exception {
    Path fail =
        script(
            dir,
            "echo 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver'; exit 9");
    // A generous timeout: under a loaded CI machine, starting bash can take seconds.
    GpuCollector c =
        GpuCollector.builder().executable(fail.toString()).timeout(Duration.ofSeconds(30)).build();
    assertThat(c.collect()).allSatisfy(f -> assertThat(f.dataPoints()).isEmpty());
    assertThat(c.lastError()).contains("exited with 9").contains("NVIDIA driver");

    Path hang = dir.resolve("hang");
    Files.createDirectories(hang);
    Path slow = script(hang, "sleep 30");
    long start = System.nanoTime();
    GpuCollector h =
        GpuCollector.builder().executable(slow.toString()).timeout(Duration.ofMillis(300)).build();
    h.collect();
    assertThat((System.nanoTime() - start) / 1e9).isLessThan(10);
    assertThat(h.lastError()).contains("killed");
  }
}
